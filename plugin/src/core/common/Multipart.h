#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mis {

// One part of a multipart body (RFC 2046 §5.1): views into the body.
struct MultipartPart {
  std::string_view headers;  // the header lines, CRLF-separated, without the blank line
  std::string_view content;
};

// The parts of a multipart body (multipart/form-data, RFC 7578, or
// multipart/related, RFC 2387, as STOW-RS sends, PS3.18 §10.5), split at the
// boundary its Content-Type names. Views into `body` (no copy). Throws
// HttpError 400 "malformed_multipart" when the boundary is missing or
// invalid, or a part is not terminated.
std::vector<MultipartPart> SplitMultipart(std::string_view body, std::string_view contentType);

// Finds the uploaded file in a multipart/form-data body: the part named
// `fieldName`, else the first part that carries a filename. Returns a view into
// `body` (no copy). Throws HttpError 400 when the body is malformed or has no file.
std::string_view FindFormFile(std::string_view body, std::string_view contentType,
                              std::string_view fieldName);

}  // namespace mis
