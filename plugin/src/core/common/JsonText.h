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

// The levels of arrays and objects JSON text may nest: JsonCpp's reader
// recurses once a level, and Orthanc's HTTP threads have 100 KiB of stack
// (about 250 levels end the process). The HTTP front applies the same figure
// to bodies for Orthanc's own routes (orthanc-config/front/body-checks.mjs).
constexpr unsigned kMaxJsonDepth = 64;

// Parses JSON text (RFC 8259) into `value` with JsonCpp's reader. On invalid
// text, or text nesting arrays and objects more than kMaxJsonDepth levels
// deep, returns false, leaves `value` null and puts a description of what is
// wrong into `errors`. (JsonCpp counts values, not containers: innermost
// empty containers may go one level further.)
bool ReadJsonText(std::string_view text, Json::Value& value, std::string& errors);

}  // namespace mis
