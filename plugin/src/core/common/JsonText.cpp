#include "JsonText.h"

#include <json/reader.h>
#include <json/value.h>
#include <json/writer.h>

#include <charconv>
#include <cmath>
#include <memory>

namespace mis {
namespace {

void AppendDouble(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";  // JSON has no NaN or infinity
    return;
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  const std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));
  out += text;
  // Keep it visibly a real number, as JsonCpp does ("3.0", not "3").
  if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

void Append(std::string& out, const Json::Value& value) {
  switch (value.type()) {
    case Json::nullValue: out += "null"; break;
    case Json::intValue: out += std::to_string(value.asLargestInt()); break;
    case Json::uintValue: out += std::to_string(value.asLargestUInt()); break;
    case Json::realValue: AppendDouble(out, value.asDouble()); break;
    case Json::booleanValue: out += value.asBool() ? "true" : "false"; break;
    case Json::stringValue: out += Json::valueToQuotedString(value.asCString()); break;
    case Json::arrayValue: {
      out += '[';
      for (Json::ArrayIndex i = 0; i < value.size(); ++i) {
        if (i > 0) out += ',';
        Append(out, value[i]);
      }
      out += ']';
      break;
    }
    case Json::objectValue: {
      out += '{';
      bool first = true;
      for (const std::string& name : value.getMemberNames()) {
        if (!first) out += ',';
        first = false;
        out += Json::valueToQuotedString(name.c_str());
        out += ':';
        Append(out, value[name]);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string WriteJsonText(const Json::Value& value) {
  std::string out;
  out.reserve(256);
  Append(out, value);
  return out;
}

bool ReadJsonText(std::string_view text, Json::Value& value, std::string& errors) {
  Json::CharReaderBuilder builder;
  // JsonCpp counts values on the way down, the innermost one included: a
  // container of kMaxJsonDepth holding a value is one more.
  builder.settings_["stackLimit"] = kMaxJsonDepth + 1;
  const std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  bool parsed = false;
  try {
    parsed = reader->parse(text.data(), text.data() + text.size(), &value, &errors);
  } catch (const Json::Exception&) {  // JsonCpp throws, rather than fails, past its stack limit
    errors = "arrays and objects nested more than " + std::to_string(kMaxJsonDepth) + " levels deep";
  }
  if (!parsed) value = Json::Value();  // not what JsonCpp had read before it stopped
  return parsed;
}

}  // namespace mis
