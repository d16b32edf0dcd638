#include "DefaultVolume.h"

#include <json/value.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "HttpError.h"
#include "OrthancApi.h"

namespace mis::orthanc {
namespace {

constexpr auto kImportWait = std::chrono::seconds(30);

std::mutex mutex;
std::condition_variable imported;
bool importDone = false;
std::string defaultSeries;
std::string whyNone;
std::thread importer;
std::atomic<bool> stopping{false};

std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Stores each file; returns how many instances each series got.
std::map<std::string, size_t> Import(const std::vector<std::filesystem::path>& files) {
  std::map<std::string, size_t> instancesPerSeries;
  for (const auto& path : files) {
    if (stopping) break;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string file = bytes.str();
    try {
      const Json::Value stored = RestApiPost("/instances", file.data(), file.size());
      ++instancesPerSeries[stored["ParentSeries"].asString()];
    } catch (const std::exception&) {
      LogWarning("DataDirectory: " + path.string() + " is not a DICOM file Orthanc accepts: skipped");
    }
  }
  return instancesPerSeries;
}

void RunImport(const std::filesystem::path& folder) {
  std::string series;
  std::string reason;
  try {
    if (!std::filesystem::is_directory(folder)) {
      reason = "the DataDirectory " + folder.string() + " does not exist";
    } else {
      const auto counts = Import(FilesIn(folder));
      // The series with the most instances; on a tie, the first by id.
      for (const auto& [id, count] : counts) {
        if (series.empty() || count > counts.at(series)) series = id;
      }
      if (series.empty()) reason = "the DataDirectory " + folder.string() + " holds no DICOM file";
      else {
        LogWarning("default volume: series " + series + " (" + std::to_string(counts.at(series)) +
                   " instances from " + folder.string() + ")");
      }
    }
  } catch (const std::exception& error) {
    reason = std::string("importing the DataDirectory failed: ") + error.what();
  }
  if (!reason.empty()) LogWarning("no default volume: " + reason);
  {
    std::lock_guard<std::mutex> lock(mutex);
    defaultSeries = series;
    whyNone = reason;
    importDone = true;
  }
  imported.notify_all();
}

}  // namespace

void StartDefaultVolumeImport(const std::string& dataDirectory) {
  // Orthanc calls this from its change callback: the REST API may not be used
  // from there (it would deadlock), so the import runs on its own thread.
  if (importer.joinable()) return;
  importer = std::thread(RunImport, std::filesystem::absolute(dataDirectory));
}

void StopDefaultVolumeImport() {
  stopping = true;
  if (importer.joinable()) importer.join();
}

void WaitForDefaultVolumeImport() {
  std::unique_lock<std::mutex> lock(mutex);
  if (!imported.wait_for(lock, kImportWait, [] { return importDone; })) {
    throw HttpError(503, "importing", "the default volume is still being imported: try again");
  }
}

std::string DefaultSeriesId() {
  WaitForDefaultVolumeImport();
  std::lock_guard<std::mutex> lock(mutex);
  if (defaultSeries.empty()) {
    throw HttpError(404, "no_default_volume", "there is no default volume: " + whyNone);
  }
  return defaultSeries;
}

}  // namespace mis::orthanc
