// Fuzz target: ReadJsonText (JsonText.h), the one reader of JSON the plugin
// runs on request threads (login bodies, Orthanc's answers), on the stack of
// Orthanc's HTTP threads. Whatever it reads, it writes as text that reads
// back and settles; whatever it refuses leaves the value null.
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
  // What it writes reads back, and settles: a string of invalid UTF-8 is
  // written repaired, and two keys repaired alike become one, so the first
  // rounds may change the value; the second written text is a fixed point.
  Json::Value once;
  Require(mis::ReadJsonText(mis::WriteJsonText(value), once, errors));
  const std::string settled = mis::WriteJsonText(once);
  Json::Value twice;
  Require(mis::ReadJsonText(settled, twice, errors));
  Require(mis::WriteJsonText(twice) == settled);
}

}  // namespace

// On the stack of Orthanc's HTTP threads, where the routes run this code.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mis::test::RunOnServerHttpStack([&] { FuzzOne(data, size); });
  return 0;
}
