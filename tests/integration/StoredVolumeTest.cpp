// The routes over stored series: patient name, middle slice (picture and
// info) and series volume, for the default volume imported from the
// DataDirectory and for any series stored through Orthanc's REST API.
//
// Every expected figure comes from a reference independent of our code:
//  - DICOM tags read by DCMTK's dcmdump (+P <keyword>);
//  - Orthanc ids computed from those tags as Orthanc defines them (SHA-1 of
//    "PatientID|StudyInstanceUID|SeriesInstanceUID[|SOPInstanceUID]", in five
//    dash-separated groups), with sha1sum;
//  - pixels and volumes computed by pydicom 2.3.1 + numpy (Debian's
//    /usr/bin/python3), either hard-coded below with the command that gave
//    them, or computed while the test runs by dicom_reference.py;
//  - pictures decoded by libpng and libjpeg (PictureDecoding.h).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <png.h>

#include "CommandLine.h"
#include "MultipartForm.h"
#include "OrthancServer.h"
#include "PictureDecoding.h"
#include "PydicomReference.h"
#include "SampleVolume.h"
#include "ServerSuite.h"
#include "TemporaryDirectory.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// ---------------------------------------------------------------------------
// Independent references.

// The file's first frame windowed to 8 bits (PS3.3 C.11.2.1.2.1), with the
// given window or else the file's own first WindowCenter/WindowWidth.
DecodedPicture WindowReference(const fs::path& file, std::optional<std::pair<double, double>>
                                                         window = std::nullopt) {
  std::ostringstream options;
  if (window) options << " --center " << window->first << " --width " << window->second;
  return PydicomReference("window", file, options.str());
}

struct MaskReference {
  DecodedPicture mask;  // 1: counted
  double minimum = 0;
  double maximum = 0;
  long long count = 0;
};

// The pixels of `file` whose stored value, normalized over the range of the
// whole series, is above 0.5.
MaskReference ThresholdMaskReference(const fs::path& file, const std::vector<fs::path>& series) {
  std::string options = " --series";
  for (const fs::path& slice : series) options += " " + ShellQuote(slice.string());
  std::string printed;
  MaskReference reference;
  reference.mask = PydicomReference("mask", file, options, &printed);
  std::istringstream(printed) >> reference.minimum >> reference.maximum >> reference.count;
  return reference;
}

// ---------------------------------------------------------------------------
// Checks.

// The largest |a - b| over all pixels of two grey pictures of the same size.
int MaxGreyDifference(const DecodedPicture& a, const DecodedPicture& b, size_t* differing) {
  int largest = 0;
  *differing = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    const int difference = std::abs(int{a.pixels[i]} - int{b.pixels[i]});
    largest = std::max(largest, difference);
    if (difference) ++*differing;
  }
  return largest;
}

// A PNG answer: 8-bit grey, equal to `reference` pixel for pixel: both apply
// the same formula (PS3.3 C.11.2.1.2.1, rounded half up).
void ExpectGreyPngLike(const HttpResponse& response, const DecodedPicture& reference) {
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("content-type"), "image/png");
  const DecodedPicture png = DecodePng(response.body);
  ASSERT_EQ(png.width, reference.width);
  ASSERT_EQ(png.height, reference.height);
  EXPECT_EQ(png.bitDepth, 8u);
  EXPECT_EQ(png.pngColorType, PNG_COLOR_TYPE_GRAY);
  ASSERT_EQ(png.channels, 1u);
  size_t differing = 0;
  EXPECT_EQ(MaxGreyDifference(png, reference, &differing), 0)
      << differing << " pixels differ from the pydicom windowing";
}

void ExpectSliceHeaders(const HttpResponse& response, const std::string& series,
                        const std::string& instance, size_t index, size_t count, unsigned frame) {
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("x-slice-series"), series);
  EXPECT_EQ(response.Header("x-slice-instance"), instance);
  EXPECT_EQ(response.Header("x-slice-index"), std::to_string(index));
  EXPECT_EQ(response.Header("x-slice-count"), std::to_string(count));
  EXPECT_EQ(response.Header("x-slice-frame"), std::to_string(frame));
}

// Stores a file through Orthanc's REST API; returns Orthanc's answer.
Json::Value StoreInstance(const HttpClient& client, const fs::path& file) {
  const HttpResponse response = client.Post("/instances", ReadFileBytes(file), "application/dicom");
  if (response.status != 200) {
    throw std::runtime_error("POST /instances " + file.string() + ": " +
                             std::to_string(response.status) + " " + response.body);
  }
  return response.Json();
}

std::string StoreSeries(const HttpClient& client, const fs::path& file) {
  return StoreInstance(client, file)["ParentSeries"].asString();
}

void ExpectAlive(const OrthancServer& server) {
  const HttpResponse health = server.AnonymousHttp().Get("/api/health");
  EXPECT_EQ(health.status, 200) << health.body;
}

std::set<std::string> MemberNames(const Json::Value& object) {
  const std::vector<std::string> names = object.getMemberNames();
  return {names.begin(), names.end()};
}

// The routes of one series (by id), and of the default volume.
std::vector<std::string> SeriesRoutes(const std::string& id) {
  const std::string base = "/api/series/" + id;
  return {base + "/patient-name", base + "/middle-slice", base + "/middle-slice/info",
          base + "/volume"};
}
const std::vector<std::string> kDefaultRoutes = {"/api/patient-name", "/api/middle-slice",
                                                 "/api/middle-slice/info"};

// ---------------------------------------------------------------------------
// 1, 3, 4, 7: the sample volume imported at start-up from data/.

class SampleVolumeTest : public ServerSuite {
 public:
  static void SetUpTestSuite() {
    OrthancServerOptions options;
    options.pluginSettings["DataDirectory"] = SampleVolumeDirectory().string();
    StartServer(options);
  }

 protected:
  static fs::path MiddleFile() { return SampleVolumeFile(kMiddleFile); }
  static std::string SeriesId() { return SeriesIdOf(MiddleFile()); }
};

TEST_F(SampleVolumeTest, TheReferencesAgreeWithTheRepository) {
  ASSERT_EQ(SampleVolumeFiles().size(), kSampleSlices);
  EXPECT_EQ(SampleVolumeFiles()[kMiddleIndex].filename(), kMiddleFile);
  // Every file belongs to the one series.
  for (const fs::path& file : SampleVolumeFiles()) EXPECT_EQ(SeriesIdOf(file), SeriesId()) << file;
}

// How many audit records name `route` (Http() is an administrator's client).
int AuditRecordsOf(const HttpClient& http, const std::string& route) {
  const HttpResponse audit = http.Get("/api/audit?limit=1000");
  EXPECT_EQ(audit.status, 200) << audit.body;
  const Json::Value body = audit.Json();  // kept: the loop reads into it
  int count = 0;
  for (const Json::Value& event : body["events"]) {
    if (event["route"].asString() == route) ++count;
  }
  return count;
}

TEST_F(SampleVolumeTest, DefaultSeriesIsTheSampleSeriesAndNotAnAuditedRead) {
  const HttpResponse response = Http().Get("/api/default-series");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["series"].asString(), SeriesId());
  EXPECT_EQ(response.Header("cache-control"), "no-store");
  EXPECT_EQ(AuditRecordsOf(Http(), "/api/default-series"), 0);
  // The patient name is a read of patient data, and is recorded.
  const int namesBefore = AuditRecordsOf(Http(), "/api/patient-name");
  ASSERT_EQ(Http().Get("/api/patient-name").status, 200);
  EXPECT_EQ(AuditRecordsOf(Http(), "/api/patient-name"), namesBefore + 1);
}

TEST_F(SampleVolumeTest, PatientNameIsTheSamplePatient) {
  const std::string dicomName = DicomTag(MiddleFile(), "PatientName");
  ASSERT_EQ(dicomName, "C3N-01196");
  for (const std::string& path :
       {std::string("/api/patient-name"), "/api/series/" + SeriesId() + "/patient-name"}) {
    SCOPED_TRACE(path);
    const HttpResponse response = Http().Get(path);
    ASSERT_EQ(response.status, 200) << response.body;
    const Json::Value body = response.Json();
    EXPECT_EQ(body["patient_name"].asString(), dicomName);
    EXPECT_EQ(body["patient_name_parts"]["family"].asString(), "C3N-01196");
    for (const char* part : {"given", "middle", "prefix", "suffix"}) {
      EXPECT_EQ(body["patient_name_parts"][part], Json::Value("")) << part;
    }
    EXPECT_EQ(body["patient_id"].asString(), DicomTag(MiddleFile(), "PatientID"));
    EXPECT_EQ(body["series"].asString(), SeriesId());
  }
}

TEST_F(SampleVolumeTest, MiddleSliceIsTheInstanceOf1088) {
  const std::string instance = InstanceIdOf(MiddleFile());
  const std::string sopInstanceUid = DicomTag(MiddleFile(), "SOPInstanceUID");
  for (const std::string& path :
       {std::string("/api/middle-slice"), "/api/series/" + SeriesId() + "/middle-slice"}) {
    SCOPED_TRACE(path);
    ExpectSliceHeaders(Http().Get(path), SeriesId(), instance, kMiddleIndex, kSampleSlices, 0);
  }
  // What Orthanc stored under that id is 1-088.dcm.
  const HttpResponse stored = Http().Get("/instances/" + instance);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.Json()["MainDicomTags"]["SOPInstanceUID"].asString(), sopInstanceUid);

  for (const std::string& path : {std::string("/api/middle-slice/info"),
                                  "/api/series/" + SeriesId() + "/middle-slice/info"}) {
    SCOPED_TRACE(path);
    const HttpResponse response = Http().Get(path);
    ASSERT_EQ(response.status, 200) << response.body;
    const Json::Value info = response.Json();
    EXPECT_EQ(info["series"].asString(), SeriesId());
    EXPECT_EQ(info["instance"].asString(), instance);
    EXPECT_EQ(info["sop_instance_uid"].asString(), sopInstanceUid);
    EXPECT_EQ(info["index"].asUInt64(), kMiddleIndex);
    EXPECT_EQ(info["count"].asUInt64(), kSampleSlices);
    EXPECT_EQ(info["frame"].asUInt(), 0u);
    EXPECT_EQ(std::to_string(info["rows"].asUInt()), DicomTag(MiddleFile(), "Rows"));
    EXPECT_EQ(std::to_string(info["columns"].asUInt()), DicomTag(MiddleFile(), "Columns"));
    EXPECT_EQ(info["photometric_interpretation"].asString(),
              DicomTag(MiddleFile(), "PhotometricInterpretation"));
    EXPECT_DOUBLE_EQ(info["window_center"].asDouble(),
                     std::stod(DicomTag(MiddleFile(), "WindowCenter")));  // 514
    EXPECT_DOUBLE_EQ(info["window_width"].asDouble(),
                     std::stod(DicomTag(MiddleFile(), "WindowWidth")));  // 1086
  }
}

TEST_F(SampleVolumeTest, SeriesVolumeIsPydicoms) {
  const HttpResponse response = Http().Get("/api/series/" + SeriesId() + "/volume");
  ASSERT_EQ(response.status, 200) << response.body;
  const Json::Value body = response.Json();
  EXPECT_EQ(body["pixels_above_threshold"].asInt64(), kSampleAbove);
  EXPECT_NEAR(body["volume_mm3"].asDouble(), kSampleVolumeMm3, kSampleVolumeTolerance);
  EXPECT_DOUBLE_EQ(body["threshold"].asDouble(), 0.5);
  EXPECT_DOUBLE_EQ(body["min_value"].asDouble(), kSampleMinimum);
  EXPECT_DOUBLE_EQ(body["max_value"].asDouble(), kSampleMaximum);
  EXPECT_EQ(body["slices"].asUInt64(), kSampleSlices);
  EXPECT_EQ(body["frames"].asUInt64(), kSampleSlices);
  EXPECT_EQ(body["series"].asString(), SeriesId());
  EXPECT_EQ(body["rows"].asUInt(), 512u);
  EXPECT_EQ(body["columns"].asUInt(), 512u);
  EXPECT_FALSE(body.isMember("sop_instance_uid")) << response.body;
  EXPECT_FALSE(body.isMember("warnings")) << response.body;

  // The fields of POST /api/volume, less sop_instance_uid, plus slices and series.
  const HttpResponse single = PostDicom(Http(), ReadFileBytes(MiddleFile()));
  ASSERT_EQ(single.status, 200) << single.body;
  std::set<std::string> expected = MemberNames(single.Json());
  expected.erase("sop_instance_uid");
  expected.insert({"slices", "series"});
  EXPECT_EQ(MemberNames(body), expected) << response.body;
}

TEST_F(SampleVolumeTest, PngIsAnIndependentWindowingOf1088) {
  const DecodedPicture reference = WindowReference(MiddleFile());  // c 514, w 1086
  ASSERT_EQ(reference.width, 512u);
  for (const std::string& path :
       {std::string("/api/middle-slice"), std::string("/api/middle-slice?format=png"),
        "/api/series/" + SeriesId() + "/middle-slice"}) {
    SCOPED_TRACE(path);
    ExpectGreyPngLike(Http().Get(path), reference);
  }
}

TEST_F(SampleVolumeTest, PngWithAnExplicitWindow) {
  const DecodedPicture reference = WindowReference(MiddleFile(), std::make_pair(300.0, 600.0));
  for (const std::string& path :
       {std::string("/api/middle-slice?window-center=300&window-width=600"),
        "/api/series/" + SeriesId() + "/middle-slice?window-width=600&window-center=300"}) {
    SCOPED_TRACE(path);
    ExpectGreyPngLike(Http().Get(path), reference);
  }
  // A window differs from the file's own.
  size_t differing = 0;
  EXPECT_GT(MaxGreyDifference(reference, WindowReference(MiddleFile()), &differing), 1);
}

TEST_F(SampleVolumeTest, JpegDecodesTo512By512) {
  const HttpResponse response = Http().Get("/api/middle-slice?format=jpeg");
  ExpectSliceHeaders(response, SeriesId(), InstanceIdOf(MiddleFile()), kMiddleIndex,
                     kSampleSlices, 0);
  EXPECT_EQ(response.Header("content-type"), "image/jpeg");
  const DecodedPicture jpeg = DecodeJpeg(response.body);
  EXPECT_EQ(jpeg.width, 512u);
  EXPECT_EQ(jpeg.height, 512u);
  ASSERT_EQ(jpeg.channels, 1u);
  // Lossy: only close on average to the windowing.
  const DecodedPicture reference = WindowReference(MiddleFile());
  double total = 0;
  for (size_t i = 0; i < jpeg.pixels.size(); ++i) {
    total += std::abs(int{jpeg.pixels[i]} - int{reference.pixels[i]});
  }
  EXPECT_LT(total / jpeg.pixels.size(), 3.0);
}

TEST_F(SampleVolumeTest, ThresholdOverlayTintsExactlyTheCountedPixels) {
  const MaskReference reference = ThresholdMaskReference(MiddleFile(), SampleVolumeFiles());
  ASSERT_EQ(reference.minimum, kSampleMinimum);
  ASSERT_EQ(reference.maximum, kSampleMaximum);
  ASSERT_GT(reference.count, 0);
  const DecodedPicture grey = WindowReference(MiddleFile());

  const HttpResponse response = Http().Get("/api/middle-slice?overlay=threshold");
  ExpectSliceHeaders(response, SeriesId(), InstanceIdOf(MiddleFile()), kMiddleIndex,
                     kSampleSlices, 0);
  EXPECT_EQ(response.Header("content-type"), "image/png");
  const DecodedPicture png = DecodePng(response.body);
  ASSERT_EQ(png.width, 512u);
  ASSERT_EQ(png.height, 512u);
  EXPECT_EQ(png.bitDepth, 8u);
  EXPECT_EQ(png.pngColorType, PNG_COLOR_TYPE_RGB);
  ASSERT_EQ(png.channels, 3u);

  long long tinted = 0, wrong = 0, neither = 0, greyOff = 0;
  for (unsigned y = 0; y < png.height; ++y) {
    for (unsigned x = 0; x < png.width; ++x) {
      const int r = png.At(x, y, 0), g = png.At(x, y, 1), b = png.At(x, y, 2);
      const bool isTinted = r > g;
      const bool isGrey = r == g && g == b;
      tinted += isTinted;
      if (!isTinted && !isGrey) ++neither;
      if (isTinted != (reference.mask.At(x, y) == 1)) ++wrong;
      if (isGrey && r != int{grey.At(x, y)}) ++greyOff;
    }
  }
  EXPECT_EQ(tinted, reference.count);
  EXPECT_EQ(wrong, 0) << "pixels tinted where pydicom's mask says otherwise, or the reverse";
  EXPECT_EQ(neither, 0) << "pixels neither grey nor tinted";
  EXPECT_EQ(greyOff, 0) << "untinted pixels that are not the default windowing";
}

TEST_F(SampleVolumeTest, EveryRouteNeedsAuthentication) {
  std::vector<std::string> paths = kDefaultRoutes;
  for (const std::string& path : SeriesRoutes(SeriesId())) paths.push_back(path);
  paths.push_back("/api/middle-slice?format=jpeg&overlay=threshold");
  for (const HttpClient& client :
       {Server().AnonymousHttp(), Server().AnonymousHttp().WithBasicAuth("admin", "wrong")}) {
    for (const std::string& path : paths) {
      SCOPED_TRACE(path);
      ExpectJsonError(client.Get(path), 401);
    }
    const std::string bytes = ReadFileBytes(SampleSlicePath());
    ExpectJsonError(client.Post("/api/volume/preview", bytes, "application/dicom"), 401);
    MultipartForm form;
    form.AddFile("file", "upload.dcm", "application/dicom", bytes);
    ExpectJsonError(client.Put("/api/volume/preview", form.Body(), form.ContentType()), 401);
  }
}

TEST_F(SampleVolumeTest, RestartImportsNothingTwice) {
  // The routes wait for the import: once one answers, it is over.
  const HttpResponse before = Http().Get("/api/patient-name");
  ASSERT_EQ(before.status, 200) << before.body;
  ASSERT_EQ(Http().Get("/instances").Json().size(), kSampleSlices);

  Server().Restart();
  const HttpResponse after = Http().Get("/api/patient-name");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.Json()["series"], before.Json()["series"]);
  EXPECT_EQ(after.Json()["series"].asString(), SeriesId());
  EXPECT_EQ(Http().Get("/instances").Json().size(), kSampleSlices);
  ExpectSliceHeaders(Http().Get("/api/middle-slice"), SeriesId(), InstanceIdOf(MiddleFile()),
                     kMiddleIndex, kSampleSlices, 0);
}

// ---------------------------------------------------------------------------
// 2: the slice order does not come from the upload order or the file names.
// Each test has its own server, as they store the same series.

class SliceOrderTest : public ::testing::Test {
 protected:
  static void ExpectMiddleIs1088(const OrthancServer& server, const std::string& prefix) {
    const fs::path middle = SampleVolumeFile(kMiddleFile);
    const std::string series = SeriesIdOf(middle);
    ExpectSliceHeaders(server.Http().Get(prefix + "/middle-slice"), series, InstanceIdOf(middle),
                       kMiddleIndex, kSampleSlices, 0);
    const HttpResponse info = server.Http().Get(prefix + "/middle-slice/info");
    ASSERT_EQ(info.status, 200) << info.body;
    EXPECT_EQ(info.Json()["sop_instance_uid"].asString(), DicomTag(middle, "SOPInstanceUID"));
    EXPECT_EQ(info.Json()["index"].asUInt64(), kMiddleIndex);
    EXPECT_EQ(info.Json()["count"].asUInt64(), kSampleSlices);
  }

  // The 33 files in a fixed pseudo-random order: a Fisher-Yates shuffle of
  // our own over mt19937 (whose output the standard fixes), so the order is
  // the same with every standard library.
  static std::vector<fs::path> ShuffledFiles() {
    std::vector<fs::path> files = SampleVolumeFiles();
    std::mt19937 random(20240611);
    for (size_t i = files.size() - 1; i > 0; --i) std::swap(files[i], files[random() % (i + 1)]);
    EXPECT_NE(files, SampleVolumeFiles());
    EXPECT_NE(files[kMiddleIndex].filename(), kMiddleFile);
    return files;
  }
};

TEST_F(SliceOrderTest, UploadOrderDoesNotMatter) {
  OrthancServer server;  // empty DataDirectory
  std::string series;
  for (const fs::path& file : ShuffledFiles()) series = StoreSeries(server.Http(), file);
  ASSERT_EQ(series, SeriesIdOf(SampleVolumeFile(kMiddleFile)));
  ExpectMiddleIs1088(server, "/api/series/" + series);
  const HttpResponse volume = server.Http().Get("/api/series/" + series + "/volume");
  ASSERT_EQ(volume.status, 200) << volume.body;
  EXPECT_EQ(volume.Json()["pixels_above_threshold"].asInt64(), kSampleAbove);
  EXPECT_NEAR(volume.Json()["volume_mm3"].asDouble(), kSampleVolumeMm3, kSampleVolumeTolerance);
}

TEST_F(SliceOrderTest, FileNamesDoNotMatter) {
  // The sample under names whose order is the shuffled one.
  TemporaryDirectory data("mis-renamed-sample");
  const std::vector<fs::path> shuffled = ShuffledFiles();
  for (size_t i = 0; i < shuffled.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "slice-%02zu.dcm", i);
    fs::copy_file(shuffled[i], data.Path() / name);
  }
  OrthancServerOptions options;
  options.pluginSettings["DataDirectory"] = data.Path().string();
  OrthancServer server(options);
  ExpectMiddleIs1088(server, "/api");
}

// ---------------------------------------------------------------------------
// 6: without a default volume, the server starts and says why there is none.

void ExpectNoDefaultVolume(const OrthancServer& server) {
  for (const std::string& path : kDefaultRoutes) {
    SCOPED_TRACE(path);
    const HttpResponse response = server.Http().Get(path);
    ExpectJsonError(response, 404);
    EXPECT_THAT(response.Json()["detail"].asString(), HasSubstr("DataDirectory"));
  }
  ExpectAlive(server);
}

TEST(NoDefaultVolumeTest, EmptyDataDirectory) {
  OrthancServer server;  // the harness gives an empty DataDirectory
  ExpectNoDefaultVolume(server);
}

TEST(NoDefaultVolumeTest, MissingDataDirectory) {
  TemporaryDirectory parent("mis-missing-data");
  OrthancServerOptions options;
  options.pluginSettings["DataDirectory"] = (parent.Path() / "missing").string();
  OrthancServer server(options);
  ExpectNoDefaultVolume(server);
}

TEST(NoDefaultVolumeTest, DataDirectoryOfNoDicomFile) {
  TemporaryDirectory data("mis-no-dicom-data");
  std::ofstream(data.Path() / "notes.txt") << "not a DICOM file\n";
  OrthancServerOptions options;
  options.pluginSettings["DataDirectory"] = data.Path().string();
  OrthancServer server(options);
  ExpectNoDefaultVolume(server);
}

// ---------------------------------------------------------------------------
// 8: cached answers follow the series as instances come and go.

TEST(CacheInvalidationTest, SliceCountFollowsUploadsAndDeletions) {
  OrthancServer server;
  const HttpClient client = server.Http();
  const fs::path first = SampleVolumeFile("1-072.dcm");
  const fs::path middle = SampleVolumeFile(kMiddleFile);
  const fs::path last = SampleVolumeFile("1-104.dcm");
  StoreInstance(client, first);
  const std::string series = StoreSeries(client, last);
  ASSERT_EQ(series, SeriesIdOf(middle));
  const std::string base = "/api/series/" + series;

  // Ask twice, so that the answers are cached.
  for (int i = 0; i < 2; ++i) {
    ExpectSliceHeaders(client.Get(base + "/middle-slice"), series, InstanceIdOf(last), 1, 2, 0);
    ASSERT_EQ(client.Get(base + "/volume").Json()["slices"].asUInt(), 2u);
  }

  const std::string added = StoreInstance(client, middle)["ID"].asString();
  ASSERT_EQ(added, InstanceIdOf(middle));
  ExpectSliceHeaders(client.Get(base + "/middle-slice"), series, added, 1, 3, 0);
  EXPECT_EQ(client.Get(base + "/middle-slice/info").Json()["count"].asUInt(), 3u);
  EXPECT_EQ(client.Get(base + "/volume").Json()["slices"].asUInt(), 3u);

  const HttpResponse deleted = client.Request("DELETE", "/instances/" + added);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  ExpectSliceHeaders(client.Get(base + "/middle-slice"), series, InstanceIdOf(last), 1, 2, 0);
  EXPECT_EQ(client.Get(base + "/middle-slice/info").Json()["count"].asUInt(), 2u);
  EXPECT_EQ(client.Get(base + "/volume").Json()["slices"].asUInt(), 2u);
  ExpectAlive(server);
}

// ---------------------------------------------------------------------------
// 5, 9, 10: series stored through Orthanc's REST API, on a server without a
// default volume. Each test stores series of its own.

class StoredSeriesTest : public ServerSuite {
 protected:
  void TearDown() override {
    ExpectAlive(Server());
    ServerSuite::TearDown();
  }

  static fs::path CharsetPath(const std::string& name) {
    return TestDataDirectory() / "charset" / name;
  }

  static void ExpectPatientName(const std::string& series, const std::string& name,
                                const std::string& family, const std::string& given,
                                const std::string& patientId) {
    const HttpResponse response = Http().Get("/api/series/" + series + "/patient-name");
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_THAT(response.Header("content-type"), HasSubstr("application/json"));
    const Json::Value body = response.Json();
    EXPECT_EQ(body["patient_name"].asString(), name);
    EXPECT_EQ(body["patient_name_parts"]["family"].asString(), family);
    EXPECT_EQ(body["patient_name_parts"]["given"].asString(), given);
    for (const char* part : {"middle", "prefix", "suffix"}) {
      EXPECT_EQ(body["patient_name_parts"][part], Json::Value("")) << part;
    }
    EXPECT_EQ(body["patient_id"].asString(), patientId);
    EXPECT_EQ(body["series"].asString(), series);
  }
};

TEST_F(StoredSeriesTest, BadOrUnknownIdsAre404) {
  const std::vector<std::string> ids = {
      "not-an-id",
      "00000000-00000000-00000000-00000000-00000000",         // well-formed, unknown
      "0000000-000000000-00000000-00000000-00000000",         // groups of the wrong sizes
      "ABCDEF01-ABCDEF01-ABCDEF01-ABCDEF01-ABCDEF01",         // upper case
      "00000000-00000000-00000000-00000000-00000000%0a",      // trailing newline
  };
  for (const std::string& id : ids) {
    for (const std::string& path : SeriesRoutes(id)) {
      SCOPED_TRACE(path);
      ExpectJsonError(Http().Get(path), 404);
      ExpectJsonError(Server().AnonymousHttp().Get(path), 401);
    }
  }
  // The id of a stored patient, study or instance is not a series id.
  const Json::Value stored = StoreInstance(Http(), CorpusPath("CT_small.dcm"));
  for (const char* other : {"ParentStudy", "ParentPatient", "ID"}) {
    for (const std::string& path : SeriesRoutes(stored[other].asString())) {
      SCOPED_TRACE(path);
      ExpectJsonError(Http().Get(path), 404);
    }
  }
}

TEST_F(StoredSeriesTest, PathTraversalIdsAre404) {
  // Orthanc decodes %2F and %5C and resolves ".." before it routes (and before
  // our request filter sees the URI): these reach none of our routes but
  // Orthanc's /system/<route>, which does not exist. The answer is Orthanc's
  // own 404 JSON ({"HttpError", "Message", ...}), and without credentials the
  // filter's 403, as for every Orthanc route. The front refuses dot segments
  // with an encoded slash before they reach Orthanc (400 JSON); the
  // backslash it passes on, to the same 404.
  for (const std::string id : {"..%2f..%2fsystem", "..%2F..%2Fsystem", "..%5c..%5csystem",
                                "..%2f..%2f..%2fsystem"}) {
    const bool encodedSlash =
        id.find("%2f") != std::string::npos || id.find("%2F") != std::string::npos;
    for (const std::string& path : SeriesRoutes(id)) {
      SCOPED_TRACE(path);
      const HttpResponse direct = Server().DirectHttp().Get(path);
      EXPECT_EQ(direct.status, 404) << direct.body;
      EXPECT_TRUE(direct.Json().isObject()) << direct.body;
      EXPECT_EQ(Server().DirectHttp().Anonymous().Get(path).status, 403);

      const HttpResponse response = Http().Get(path);
      const HttpResponse anonymous = Server().AnonymousHttp().Get(path);
      if (encodedSlash) {
        EXPECT_EQ(response.status, 400) << response.body;
        EXPECT_EQ(response.Json()["error"].asString(), "bad_request") << response.body;
        EXPECT_EQ(anonymous.status, 400) << anonymous.body;
      } else {
        EXPECT_EQ(response.status, 404) << response.body;
        EXPECT_TRUE(response.Json().isObject()) << response.body;
        EXPECT_TRUE(anonymous.status == 401 || anonymous.status == 403) << anonymous.status;
      }
    }
  }
}

TEST_F(StoredSeriesTest, DeletedSeriesIs404) {
  const fs::path file = CorpusPath("MR_small.dcm");
  const std::string series = StoreSeries(Http(), file);
  ASSERT_EQ(series, SeriesIdOf(file));
  // Answered (and cached) before the deletion.
  for (const std::string& path : SeriesRoutes(series)) {
    EXPECT_EQ(Http().Get(path).status, 200) << path;
  }
  ExpectVolumeAnswer(Http().Get("/api/series/" + series + "/volume"),
                     FindExpectedAnswer("MR_small.dcm", 0.5));

  const HttpResponse deleted = Http().Request("DELETE", "/series/" + series);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  for (const std::string& path : SeriesRoutes(series)) {
    SCOPED_TRACE(path);
    ExpectJsonError(Http().Get(path), 404);
    ExpectJsonError(Http().Get(path + "?format=jpeg"), 404);
  }
}

TEST_F(StoredSeriesTest, SeriesOfOneInstance) {
  const fs::path file = SampleSlicePath();  // tests/data/1-101.dcm, a CT slice
  const std::string series = StoreSeries(Http(), file);
  const std::string base = "/api/series/" + series;
  const HttpResponse slice = Http().Get(base + "/middle-slice");
  ExpectSliceHeaders(slice, series, InstanceIdOf(file), 0, 1, 0);
  const DecodedPicture png = DecodePng(slice.body);
  EXPECT_EQ(png.width, 512u);
  EXPECT_EQ(png.height, 512u);
  EXPECT_EQ(png.channels, 1u);

  const HttpResponse info = Http().Get(base + "/middle-slice/info");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.Json()["index"].asUInt(), 0u);
  EXPECT_EQ(info.Json()["count"].asUInt(), 1u);
  EXPECT_EQ(info.Json()["sop_instance_uid"].asString(), DicomTag(file, "SOPInstanceUID"));

  // expected.tsv (pydicom): 50080 pixels, 143280.029296875 mm3.
  const ExpectedAnswer expected = FindExpectedAnswer("1-101.dcm", 0.5);
  ASSERT_EQ(expected.pixelsAboveThreshold, 50080);
  ASSERT_EQ(*expected.volumeMm3, 143280.029296875);
  const HttpResponse volume = Http().Get(base + "/volume");
  ExpectVolumeAnswer(volume, expected);
  EXPECT_EQ(volume.Json()["slices"].asUInt(), 1u);
  EXPECT_EQ(volume.Json()["series"].asString(), series);
}

// A 1-bit segmentation (pydicom's liver_1frame.dcm, little endian, and its
// big endian twin): DICOM packs 8 pixels a byte, the first in the lowest bit
// (PS3.5 §8.1.1). Rendered with the slice's own range (0 and 1) and with the
// window 0.5/1, each pixel is 0 or 255 exactly where pydicom unpacks a 1.
void ExpectOneBitSliceAsPydicom(const HttpClient& client, const fs::path& file) {
  const std::string base = "/api/series/" + StoreSeries(client, file);
  const DecodedPicture reference = WindowReference(file, std::make_pair(0.5, 1.0));
  ExpectGreyPngLike(client.Get(base + "/middle-slice"), reference);
  ExpectGreyPngLike(client.Get(base + "/middle-slice?window-center=0.5&window-width=1"), reference);
}

TEST_F(StoredSeriesTest, OneBitSliceLittleEndian) {
  ExpectOneBitSliceAsPydicom(Http(), TestDataDirectory() / "pydicom" / "liver_1frame.dcm");
}

TEST_F(StoredSeriesTest, OneBitSliceBigEndian) {
  ExpectOneBitSliceAsPydicom(Http(), TestDataDirectory() / "pydicom" / "liver_expb_1frame.dcm");
}

TEST_F(StoredSeriesTest, SeriesWithoutImage) {
  // A structured report: no pixel data.
  const fs::path file = CorpusPath("reportsi.dcm");
  const std::string series = StoreSeries(Http(), file);
  const std::string base = "/api/series/" + series;
  for (const std::string& path :
       {base + "/middle-slice", base + "/middle-slice?format=jpeg",
        base + "/middle-slice?overlay=threshold", base + "/middle-slice/info", base + "/volume"}) {
    SCOPED_TRACE(path);
    ExpectJsonError(Http().Get(path), 422);
  }
  // pydicom: PatientName 'Last Name^First Name', PatientID ''.
  ASSERT_EQ(SeriesIdOf(file), series);  // Orthanc hashes the empty PatientID too
  ExpectPatientName(series, "Last Name^First Name", "Last Name", "First Name", "");
}

TEST_F(StoredSeriesTest, SeriesWithoutSliceThickness) {
  // RT dose: one instance of 15 frames, PixelSpacing but no SliceThickness.
  const fs::path file = CorpusPath("rtdose.dcm");
  ASSERT_EQ(DicomTag(file, "NumberOfFrames"), "15");
  const std::string series = StoreSeries(Http(), file);
  const std::string base = "/api/series/" + series;

  const HttpResponse volume = Http().Get(base + "/volume");
  ExpectJsonError(volume, 422);
  EXPECT_THAT(volume.Json()["detail"].asString(), HasSubstr("SliceThickness"));

  const HttpResponse slice = Http().Get(base + "/middle-slice");
  ExpectSliceHeaders(slice, series, InstanceIdOf(file), 7, 15, 7);
  const DecodedPicture png = DecodePng(slice.body);
  EXPECT_EQ(std::to_string(png.width), DicomTag(file, "Columns"));
  EXPECT_EQ(std::to_string(png.height), DicomTag(file, "Rows"));
  const HttpResponse info = Http().Get(base + "/middle-slice/info");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.Json()["index"].asUInt(), 7u);
  EXPECT_EQ(info.Json()["count"].asUInt(), 15u);
  EXPECT_EQ(info.Json()["frame"].asUInt(), 7u);
}

TEST_F(StoredSeriesTest, SeriesOfMixedSizes) {
  // CT_small (128 x 128) and MR_small (64 x 64) made one series with dcmodify.
  TemporaryDirectory directory("mis-mixed-sizes");
  const std::vector<fs::path> files = {directory.Path() / "ct.dcm", directory.Path() / "mr.dcm"};
  fs::copy_file(CorpusPath("CT_small.dcm"), files[0]);
  fs::copy_file(CorpusPath("MR_small.dcm"), files[1]);
  for (const fs::path& file : files) {
    const CommandResult modified = RunCommand(
        "dcmodify -nb -i '(0010,0020)=MIS-MIXED-SIZES' "
        "-i '(0020,000D)=2.25.318472903458164295841302745196230581' "
        "-i '(0020,000E)=2.25.318472903458164295841302745196230582' " +
        ShellQuote(file.string()) + " 2>&1");
    ASSERT_EQ(modified.exitCode, 0) << modified.output;
  }
  ASSERT_EQ(SeriesIdOf(files[0]), SeriesIdOf(files[1]));
  ASSERT_NE(DicomTag(files[0], "Rows"), DicomTag(files[1], "Rows"));
  std::string series;
  for (const fs::path& file : files) series = StoreSeries(Http(), file);
  ASSERT_EQ(series, SeriesIdOf(files[0]));
  const HttpResponse instances = Http().Get("/series/" + series + "/instances");
  ASSERT_EQ(instances.Json().size(), 2u) << instances.body;

  const HttpResponse volume = Http().Get("/api/series/" + series + "/volume");
  ExpectJsonError(volume, 422);
  EXPECT_EQ(volume.Json()["error"].asString(), "mixed_sizes") << volume.body;
}

TEST_F(StoredSeriesTest, NonAsciiPatientNames) {
  // Expected strings: /usr/bin/python3 -c "import pydicom, sys;
  //   d = pydicom.dcmread(sys.argv[1]); print(d.PatientName, d.PatientID)" <file>
  // (pydicom 2.3.1 decodes SpecificCharacterSet to Unicode; printed as UTF-8).
  // chrFren.dcm: ISO_IR 100 (Latin-1).
  ExpectPatientName(StoreSeries(Http(), CharsetPath("chrFren.dcm")), "Buc^Jérôme", "Buc",
                    "Jérôme", "SCSFREN");
  // chrH31.dcm: ISO 2022 IR 87 (JIS X 0208), three component groups; the
  // parts are those of the first (alphabetic) group.
  ExpectPatientName(StoreSeries(Http(), CharsetPath("chrH31.dcm")),
                    "Yamada^Tarou=山田^太郎=やまだ^たろう", "Yamada", "Tarou", "H31EXAMPLE");
  // chrJapMulti.dcm: ISO 2022 IR 87, and no pixel data.
  const std::string japanese = StoreSeries(Http(), CharsetPath("chrJapMulti.dcm"));
  ExpectPatientName(japanese, "やまだ^たろう", "やまだ", "たろう", "2008-4");
  ExpectJsonError(Http().Get("/api/series/" + japanese + "/middle-slice"), 422);
}

// Issue 17, kind 1: names written with ISO 2022 code extensions came out as
// Orthanc 1.10 reads them, "-AMller^Zo" for Müller^Zoë, raw escape bytes
// for Korean, the escapes' own letters (";3ED") for Japanese kanji after
// half-width katakana. Expected strings from pydicom, as above.
TEST_F(StoredSeriesTest, PatientNamesWithCodeExtensions) {
  const auto fieldCase = [](const std::string& name) {
    return TestDataDirectory() / "field-cases" / name;
  };
  // Latin-1 by escape, not repeated after "^" (read on, as pydicom does).
  ExpectPatientName(StoreSeries(Http(), fieldCase("56-name-latin1-iso2022-ir100-escape.dcm")),
                    "Müller^Zoë", "Müller", "Zoë", "RPT-N56");
  // ISO 2022 IR 149 as the only value.
  ExpectPatientName(StoreSeries(Http(), fieldCase("58-name-korean-ir149-single-value.dcm")),
                    "홍^길동", "홍", "길동", "RPT-N58");
  // chrH32.dcm: JIS X 0201 Katakana from the first value, JIS X 0208 by escape.
  ExpectPatientName(StoreSeries(Http(), CharsetPath("chrH32.dcm")),
                    "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", "ﾔﾏﾀﾞ", "ﾀﾛｳ", "H32EXAMPLE");
  // chrI2.dcm: Korean in the ideographic and phonetic groups.
  ExpectPatientName(StoreSeries(Http(), CharsetPath("chrI2.dcm")),
                    "Hong^Gildong=洪^吉洞=홍^길동", "Hong", "Gildong", "I2EXAMPLE");
  // Greek by escape before each component, written by pydicom.
  ExpectPatientName(StoreSeries(Http(), CharsetPath("own-greek-iso2022-ir126.dcm")),
                    "Διονυσιος^Νικος", "Διονυσιος", "Νικος", "OWN-IR126");
}

TEST_F(StoredSeriesTest, VolumePreviewOfOneSlice) {
  const ExpectedAnswer expected = FindExpectedAnswer("1-101.dcm", 0.5);  // 50080, 143280.029296875
  const std::string bytes = ReadFileBytes(SampleSlicePath());
  MultipartForm form;
  form.AddFile("file", "1-101.dcm", "application/dicom", bytes);
  for (const HttpResponse& response :
       {Http().Post("/api/volume/preview", bytes, "application/dicom"),
        Http().Put("/api/volume/preview", form.Body(), form.ContentType())}) {
    ExpectVolumeAnswer(response, expected);
    ASSERT_EQ(response.status, 200);
    const Json::Value body = response.Json();
    const std::string prefix = "data:image/png;base64,";
    const std::string uri = body["preview_png"].asString();
    ASSERT_EQ(uri.rfind(prefix, 0), 0u) << uri.substr(0, 40);

    // The same fields as /api/volume, plus the preview.
    std::set<std::string> fields = MemberNames(PostDicom(Http(), bytes).Json());
    fields.insert("preview_png");
    EXPECT_EQ(MemberNames(body), fields);

    const DecodedPicture png = DecodePng(DecodeBase64(uri.substr(prefix.size())));
    EXPECT_EQ(png.width, 512u);
    EXPECT_EQ(png.height, 512u);
    EXPECT_EQ(png.bitDepth, 8u);
    EXPECT_EQ(png.pngColorType, PNG_COLOR_TYPE_RGB);
    ASSERT_EQ(png.channels, 3u);
    // The tint marks what is counted: as many pixels as pydicom counts.
    long long tinted = 0;
    for (unsigned y = 0; y < png.height; ++y) {
      for (unsigned x = 0; x < png.width; ++x) tinted += png.At(x, y, 0) > png.At(x, y, 1);
    }
    EXPECT_EQ(tinted, expected.pixelsAboveThreshold);
  }
}

}  // namespace
}  // namespace mis::test
