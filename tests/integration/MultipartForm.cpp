#include "MultipartForm.h"

#include <stdexcept>

namespace mis::test {

void MultipartForm::AddPart(const std::string& headers, const std::string& content) {
  if (content.find("--" + boundary_) != std::string::npos) {
    throw std::invalid_argument("the content contains the multipart boundary");
  }
  parts_ += "--" + boundary_ + "\r\n" + headers + "\r\n" + content + "\r\n";
}

void MultipartForm::AddFile(const std::string& field, const std::string& fileName,
                            const std::string& contentType, const std::string& bytes) {
  AddPart("Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName +
              "\"\r\nContent-Type: " + contentType + "\r\n",
          bytes);
}

void MultipartForm::AddText(const std::string& field, const std::string& value) {
  AddPart("Content-Disposition: form-data; name=\"" + field + "\"\r\n", value);
}

std::string MultipartForm::ContentType() const {
  return "multipart/form-data; boundary=" + boundary_;
}

std::string MultipartForm::Body() const { return parts_ + "--" + boundary_ + "--\r\n"; }

}  // namespace mis::test
