// Times the pixel statistics of the volume route alone, on the pixels of one
// DICOM file (default tests/data/1-101.dcm):
//  - core:     mis::CountAboveThreshold on the mis::PixelSamples view, i.e. the
//              project's core library exactly as the plugin build compiles it;
//  - probe:    the min/max + count loop of the bandwidth probe (limit/bandwidth.h)
//              on the same samples, compiled here with -O3 -march=native;
//  - pipeline: mis::MeasureDicomFile, the whole core path of one request
//              (DCMTK parse from memory + statistics + volume), for context.
// The candidates are timed in interleaved rounds of about 20 ms each; the
// output is "key value" lines for bench/volume to format.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "DicomPixelReader.h"
#include "PixelStatistics.h"
#include "VolumeAnswer.h"
#include "limit/bandwidth.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kThreshold = 0.5;  // orthanc-config/orthanc.json, and the probe's 0.5
volatile uint64_t g_sink = 0;

// Keeps the compiler from assuming the pixels are unchanged between calls.
inline void Clobber(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

template <typename F>
double SecondsPerCall(F& f, long reps) {
  const auto t0 = Clock::now();
  for (long i = 0; i < reps; ++i) f();
  return std::chrono::duration<double>(Clock::now() - t0).count() / reps;
}

// Repetitions that make one round last about `seconds`.
template <typename F>
long Calibrate(F& f, double seconds) {
  f();  // warm caches
  long reps = 1;
  for (;;) {
    const double total = SecondsPerCall(f, reps) * reps;
    if (total >= seconds / 4) return std::max(1L, static_cast<long>(reps * seconds / total));
    reps *= 4;
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

const char* TypeName(mis::SampleType t) {
  switch (t) {
    case mis::SampleType::kUint8: return "uint8";
    case mis::SampleType::kInt8: return "int8";
    case mis::SampleType::kUint16: return "uint16";
    case mis::SampleType::kInt16: return "int16";
    case mis::SampleType::kUint32: return "uint32";
    case mis::SampleType::kInt32: return "int32";
    case mis::SampleType::kFloat32: return "float32";
    case mis::SampleType::kFloat64: return "float64";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s FILE.dcm [rounds]\n", argv[0]);
    return 2;
  }
  const int rounds = argc == 3 ? std::max(3, std::atoi(argv[2])) : 21;
  try {
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", argv[1]);
      return 2;
    }
    const std::vector<char> file((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
    mis::RegisterDicomDecoders();
    mis::DicomPixelReader reader(file.data(), file.size());
    const mis::PixelSamples samples = reader.Samples();
    const bool is16 = samples.type == mis::SampleType::kUint16 ||
                      samples.type == mis::SampleType::kInt16;
    if (!is16) {
      std::fprintf(stderr, "the probe needs 16-bit samples; %s has %s\n", argv[1],
                   TypeName(samples.type));
      return 2;
    }

    auto core = [&] {
      Clobber(samples.data);
      g_sink = g_sink + mis::CountAboveThreshold(samples, kThreshold).above;
    };
    auto probe = [&] {
      Clobber(samples.data);
      g_sink = g_sink + (samples.type == mis::SampleType::kUint16
                             ? bench::ProbeMinMaxCount(
                                   static_cast<const uint16_t*>(samples.data), samples.count)
                             : bench::ProbeMinMaxCount(
                                   static_cast<const int16_t*>(samples.data), samples.count));
    };
    auto pipeline = [&] {
      g_sink = g_sink + mis::MeasureDicomFile(file.data(), file.size(), kThreshold).count.above;
    };

    const uint64_t coreCount = mis::CountAboveThreshold(samples, kThreshold).above;
    const uint64_t probeCount =
        samples.type == mis::SampleType::kUint16
            ? bench::ProbeMinMaxCount(static_cast<const uint16_t*>(samples.data), samples.count)
            : bench::ProbeMinMaxCount(static_cast<const int16_t*>(samples.data), samples.count);

    constexpr double kRoundSeconds = 0.02;
    const long coreReps = Calibrate(core, kRoundSeconds);
    const long probeReps = Calibrate(probe, kRoundSeconds);
    const long pipelineReps = Calibrate(pipeline, kRoundSeconds);
    std::vector<double> coreTimes, probeTimes, pipelineTimes;
    for (int r = 0; r < rounds; ++r) {
      coreTimes.push_back(SecondsPerCall(core, coreReps));
      probeTimes.push_back(SecondsPerCall(probe, probeReps));
      pipelineTimes.push_back(SecondsPerCall(pipeline, pipelineReps));
    }

    const double us = 1e6;
    std::printf("file %s\n", argv[1]);
    std::printf("pixels %zu\n", samples.count);
    std::printf("rows %u\ncolumns %u\nframes %u\n", reader.Info().rows, reader.Info().columns,
                reader.Info().frames);
    std::printf("sample_type %s\nbits_stored %u\nhigh_bit %u\n", TypeName(samples.type),
                samples.bitsStored, samples.highBit);
    std::printf("rounds %d\n", rounds);
    std::printf("core_count %llu\nprobe_count %llu\n",
                static_cast<unsigned long long>(coreCount),
                static_cast<unsigned long long>(probeCount));
    std::printf("core_reps %ld\nprobe_reps %ld\npipeline_reps %ld\n", coreReps, probeReps,
                pipelineReps);
    std::printf("core_us_median %.3f\ncore_us_min %.3f\ncore_us_max %.3f\n",
                Median(coreTimes) * us,
                *std::min_element(coreTimes.begin(), coreTimes.end()) * us,
                *std::max_element(coreTimes.begin(), coreTimes.end()) * us);
    std::printf("probe_us_median %.3f\nprobe_us_min %.3f\nprobe_us_max %.3f\n",
                Median(probeTimes) * us,
                *std::min_element(probeTimes.begin(), probeTimes.end()) * us,
                *std::max_element(probeTimes.begin(), probeTimes.end()) * us);
    std::printf("pipeline_us_median %.3f\npipeline_us_min %.3f\npipeline_us_max %.3f\n",
                Median(pipelineTimes) * us,
                *std::min_element(pipelineTimes.begin(), pipelineTimes.end()) * us,
                *std::max_element(pipelineTimes.begin(), pipelineTimes.end()) * us);
    mis::UnregisterDicomDecoders();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pixel-stats: %s\n", e.what());
    return 1;
  }
  return 0;
}
