#pragma once

#include <string>

namespace mis::test {

// A multipart/form-data body (RFC 7578) built by hand, as a browser's form
// would send it.
class MultipartForm {
 public:
  void AddFile(const std::string& field, const std::string& fileName,
               const std::string& contentType, const std::string& bytes);
  void AddText(const std::string& field, const std::string& value);

  // The Content-Type header, boundary included.
  std::string ContentType() const;
  std::string Body() const;

 private:
  void AddPart(const std::string& headers, const std::string& content);

  std::string boundary_ = "mis-test-boundary-7d1f3c9a2b8e4f60";
  std::string parts_;
};

}  // namespace mis::test
