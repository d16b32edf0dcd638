// Fuzz target: the multipart/form-data parser of the volume route
// (Multipart.h). The input's first line is the Content-Type header, the rest
// the body, so the fuzzer varies the boundary and the parts together; a seed
// reads like "multipart/form-data; boundary=X\n--X\r\n...".
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "HttpError.h"
#include "MediaType.h"
#include "Multipart.h"
#include "ServerThreadStack.h"

namespace {

void FuzzOne(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view contentType = input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  (void)mis::MediaType(contentType);
  (void)mis::HeaderParameter(contentType, "boundary");
  try {
    const std::string_view file = mis::FindFormFile(body, contentType, "file");
    // The answer is a view into the body, never outside it.
    if (file.data() < body.data() || file.data() + file.size() > body.data() + body.size()) {
      std::abort();
    }
  } catch (const mis::HttpError&) {
    // 400 malformed_multipart / missing_file.
  }
}

}  // namespace

// On the stack of Orthanc's HTTP threads, where the route runs this code.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mis::test::RunOnServerHttpStack([&] { FuzzOne(data, size); });
  return 0;
}
