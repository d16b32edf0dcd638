#pragma once

#include <stdexcept>
#include <string>

namespace mis {

// The one error type of the product: every failure that reaches a client is an
// HttpError, turned into {"error": code, "detail": detail} by the route wrapper.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, std::string detail)
      : std::runtime_error(detail), status_(status), code_(std::move(code)),
        detail_(std::move(detail)) {}

  int Status() const { return status_; }
  const std::string& Code() const { return code_; }
  const std::string& Detail() const { return detail_; }

 private:
  int status_;
  std::string code_;
  std::string detail_;
};

// Raised by the DICOM reader when DCMTK has no decoder for the file's transfer
// syntax; the glue may still decode it through Orthanc (JPEG 2000 with GDCM).
class UnsupportedTransferSyntax : public HttpError {
 public:
  explicit UnsupportedTransferSyntax(const std::string& uid, const std::string& name)
      : HttpError(422, "unsupported_transfer_syntax",
                  "cannot decode transfer syntax " + name + " (" + uid + ")"),
        uid_(uid) {}
  const std::string& Uid() const { return uid_; }

 private:
  std::string uid_;
};

}  // namespace mis
