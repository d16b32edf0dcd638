#pragma once

#include <string>
#include <string_view>

namespace mis {

// Small operations on ASCII text, for protocol fields (HTTP headers, DICOM
// values) whose syntax is ASCII even when their content is not: bytes above
// 127 (UTF-8) are never changed or counted as spaces.

// Without the optional whitespace around a header value or parameter: spaces
// and horizontal tabs (RFC 9110 §5.6.3 "OWS").
std::string_view TrimHttpWhitespace(std::string_view text);

// Without the spaces that pad a DICOM value to an even length or pad a
// component of a person name (PS3.5 §6.2).
std::string_view TrimDicomPadding(std::string_view text);

// A copy with the letters A-Z made lower-case (header names, media types and
// schemes are case-insensitive: RFC 9110 §5.1, §8.3.1; RFC 3986 §3.1).
std::string ToLowerAscii(std::string_view text);
// The same with a-z made upper-case (method names, RFC 9110 §9.1).
std::string ToUpperAscii(std::string_view text);

// Whether `text` begins with `prefix`, exactly or ignoring the case of A-Z.
bool StartsWith(std::string_view text, std::string_view prefix);
bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix);

}  // namespace mis
