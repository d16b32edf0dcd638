// Fuzz target: ReadJsonText (JsonText.h), the one reader of JSON the plugin
// runs on request threads (login bodies, Orthanc's answers), on the stack of
// Orthanc's HTTP threads. Whatever it reads, it writes and reads back the
// same; whatever it refuses leaves the value null.
#include <json/value.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "JsonText.h"
#include "ServerThreadStack.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

void FuzzOne(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Json::Value value;
  std::string errors;
  if (!mis::ReadJsonText(text, value, errors)) {
    Require(value.isNull() && !errors.empty());
    return;
  }
  Json::Value again;
  Require(mis::ReadJsonText(mis::WriteJsonText(value), again, errors));
  Require(again == value);
}

}  // namespace

// On the stack of Orthanc's HTTP threads, where the routes run this code.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mis::test::RunOnServerHttpStack([&] { FuzzOne(data, size); });
  return 0;
}
