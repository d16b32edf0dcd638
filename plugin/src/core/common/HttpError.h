#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mis {

// A number a client acts on without parsing the English detail (the limit of
// a 413: "limit_bytes"), written into the error answer as a JSON number.
struct ErrorFigure {
  std::string name;
  uint64_t value;
};

// The one error type of the product: every failure that reaches a client is an
// HttpError, turned into {"error": code, "detail": detail, figures...} by the
// route wrapper.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, std::string detail,
            std::vector<ErrorFigure> figures = {})
      : std::runtime_error(detail), status_(status), code_(std::move(code)),
        detail_(std::move(detail)), figures_(std::move(figures)) {}

  int Status() const { return status_; }
  const std::string& Code() const { return code_; }
  const std::string& Detail() const { return detail_; }
  const std::vector<ErrorFigure>& Figures() const { return figures_; }

 private:
  int status_;
  std::string code_;
  std::string detail_;
  std::vector<ErrorFigure> figures_;
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
