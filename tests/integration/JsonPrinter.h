#pragma once

#include <json/value.h>

#include <ostream>

// Lets GoogleTest print Json::Value in failure messages (found by ADL).
namespace Json {
inline void PrintTo(const Value& value, std::ostream* out) { *out << value.toStyledString(); }
}  // namespace Json
