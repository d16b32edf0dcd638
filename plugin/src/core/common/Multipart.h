#pragma once

#include <string>
#include <string_view>

namespace mis {

// The media type of a Content-Type header, lower-cased, without parameters
// ("multipart/form-data; boundary=x" -> "multipart/form-data").
std::string MediaType(std::string_view contentType);

// The value of one parameter of a Content-Type header (quotes removed), or ""
// when absent.
std::string HeaderParameter(std::string_view header, std::string_view name);

// Finds the uploaded file in a multipart/form-data body: the part named
// `fieldName`, else the first part that carries a filename. Returns a view into
// `body` (no copy). Throws HttpError 400 when the body is malformed or has no file.
std::string_view FindFormFile(std::string_view body, std::string_view contentType,
                              std::string_view fieldName);

}  // namespace mis
