#pragma once

#include <string>
#include <string_view>

namespace mis {

// Reading a Content-Type header (RFC 9110 §8.3): its media type and its
// parameters.

// The media type of a Content-Type header, lower-cased, without parameters
// ("multipart/form-data; boundary=x" -> "multipart/form-data").
std::string MediaType(std::string_view contentType);

// The value of one parameter of a Content-Type header (quotes removed), or ""
// when absent.
std::string HeaderParameter(std::string_view header, std::string_view name);

}  // namespace mis
