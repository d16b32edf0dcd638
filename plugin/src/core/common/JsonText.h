#pragma once

#include <string>
#include <string_view>

namespace Json {
class Value;
}

namespace mis {

// Compact JSON text in which every double is written with the fewest digits
// that read back to the same value (0.8, not 0.80000000000000004; 143280.029296875
// exactly), which JsonCpp's fixed-precision writer cannot do.
std::string WriteJsonText(const Json::Value& value);

// Parses JSON text (RFC 8259) into `value` with JsonCpp's reader. On invalid
// text returns false and puts JsonCpp's description of what is wrong into
// `errors`.
bool ReadJsonText(std::string_view text, Json::Value& value, std::string& errors);

}  // namespace mis
