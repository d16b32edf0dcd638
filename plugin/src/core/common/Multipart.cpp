#include "Multipart.h"

#include "AsciiText.h"
#include "HttpError.h"
#include "MediaType.h"

namespace mis {
namespace {

constexpr std::string_view kCrLf = "\r\n";
constexpr size_t kMaxBoundaryLength = 70;  // RFC 2046

[[noreturn]] void ThrowMalformed(const std::string& detail) {
  throw HttpError(400, "malformed_multipart", detail);
}

// The value of the Content-Disposition header of a part, or "".
std::string_view ContentDisposition(std::string_view headers) {
  while (!headers.empty()) {
    const size_t end = headers.find(kCrLf);
    const std::string_view line = headers.substr(0, end);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos &&
        ToLowerAscii(TrimHttpWhitespace(line.substr(0, colon))) == "content-disposition") {
      return TrimHttpWhitespace(line.substr(colon + 1));
    }
    if (end == std::string_view::npos) break;
    headers.remove_prefix(end + kCrLf.size());
  }
  return {};
}

}  // namespace

std::vector<MultipartPart> SplitMultipart(std::string_view body, std::string_view contentType) {
  const std::string boundary = HeaderParameter(contentType, "boundary");
  if (boundary.empty() || boundary.size() > kMaxBoundaryLength) {
    ThrowMalformed("the multipart Content-Type has no valid boundary");
  }
  const std::string delimiter = "--" + boundary;

  // Walk the parts: each starts after a delimiter line and ends at CRLF + delimiter.
  size_t cursor = body.find(delimiter);
  if (cursor == std::string_view::npos) {
    ThrowMalformed("the body does not contain the boundary of its Content-Type");
  }
  std::vector<MultipartPart> parts;
  const std::string closing = std::string(kCrLf) + delimiter;
  while (true) {
    cursor += delimiter.size();
    if (body.substr(cursor, 2) == "--") break;  // closing delimiter
    const size_t headersStart = body.find(kCrLf, cursor);
    if (headersStart == std::string_view::npos) ThrowMalformed("truncated multipart body");
    const size_t headersEnd = body.find("\r\n\r\n", headersStart);
    if (headersEnd == std::string_view::npos) ThrowMalformed("a multipart part has no headers end");
    const size_t contentStart = headersEnd + 4;
    const size_t contentEnd = body.find(closing, contentStart);
    if (contentEnd == std::string_view::npos) {
      ThrowMalformed("a multipart part is not terminated by its boundary (truncated upload?)");
    }
    parts.push_back({body.substr(headersStart + 2, headersEnd - headersStart - 2),
                     body.substr(contentStart, contentEnd - contentStart)});
    cursor = contentEnd + kCrLf.size();
  }
  return parts;
}

std::string_view FindFormFile(std::string_view body, std::string_view contentType,
                              std::string_view fieldName) {
  std::string_view firstWithFilename;
  for (const MultipartPart& part : SplitMultipart(body, contentType)) {
    const std::string_view disposition = ContentDisposition(part.headers);
    if (HeaderParameter(disposition, "name") == fieldName) return part.content;
    if (firstWithFilename.data() == nullptr &&
        disposition.find("filename") != std::string_view::npos) {
      firstWithFilename = part.content;
    }
  }
  if (firstWithFilename.data() != nullptr) return firstWithFilename;
  throw HttpError(400, "missing_file",
                  "the multipart body has no field \"" + std::string(fieldName) + "\"");
}

}  // namespace mis
