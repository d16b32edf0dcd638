// Fuzz target: the core path of POST /api/volume on arbitrary bytes, as
// VolumeRoute.cpp runs it without Orthanc: DICOM parse, DCMTK decoding, the
// thresholded count and the JSON answer. An HttpError is a correct answer
// (400/422); anything else escaping, or a sanitizer report, is a bug.
#include <cstddef>
#include <cstdint>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/oflog/oflog.h>
#include <json/value.h>

#include "HttpError.h"
#include "JsonText.h"
#include "VolumeAnswer.h"
#include "ServerThreadStack.h"

namespace {

// The default of MedicalImageServer.Threshold, which the route uses.
constexpr double kThreshold = 0.5;

void InitializeOnce() {
  static const bool initialized = [] {
    // Every input is a broken file: keep DCMTK's log to fatal errors.
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    mis::RegisterDicomDecoders();
    return true;
  }();
  (void)initialized;
}

void FuzzOne(const uint8_t* data, size_t size) {
  InitializeOnce();
  try {
    const mis::VolumeAnswer answer = mis::MeasureDicomFile(data, size, kThreshold);
    (void)mis::WriteJsonText(mis::ToJson(answer));
  } catch (const mis::HttpError&) {
    // The route answers these as JSON errors.
  }
}

}  // namespace

// On the stack of Orthanc's HTTP threads, where the route runs this code.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mis::test::RunOnServerHttpStack([&] { FuzzOne(data, size); });
  return 0;
}
