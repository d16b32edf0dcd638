#pragma once

#include <string>
#include <string_view>

namespace mis {

// Finds the uploaded file in a multipart/form-data body: the part named
// `fieldName`, else the first part that carries a filename. Returns a view into
// `body` (no copy). Throws HttpError 400 when the body is malformed or has no file.
std::string_view FindFormFile(std::string_view body, std::string_view contentType,
                              std::string_view fieldName);

}  // namespace mis
