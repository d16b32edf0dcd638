#include "SampleVolume.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "CommandLine.h"

namespace mis::test {

namespace fs = std::filesystem;

fs::path SampleVolumeDirectory() { return MIS_SAMPLE_VOLUME_DIR; }
fs::path SampleVolumeFile(const std::string& name) { return SampleVolumeDirectory() / name; }

std::vector<fs::path> SampleVolumeFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(SampleVolumeDirectory())) {
    if (entry.path().extension() == ".dcm") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::map<std::string, std::string> DicomTags(const fs::path& file,
                                             const std::vector<std::string>& keywords) {
  std::string command = "dcmdump";
  for (const std::string& keyword : keywords) command += " +P " + ShellQuote(keyword);
  const CommandResult result = RunCommand(command + " " + ShellQuote(file.string()));
  std::map<std::string, std::string> values;
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    const size_t tagEnd = line.find(") ");
    const size_t comment = line.rfind(" #");
    if (tagEnd == std::string::npos || comment == std::string::npos || comment < tagEnd + 5) {
      continue;
    }
    const std::string keyword = line.substr(line.find_last_of(' ') + 1);
    std::string value = line.substr(tagEnd + 5, comment - tagEnd - 5);  // after "VR "
    if (!value.empty() && value.front() == '[') {
      value = value.substr(1, value.rfind(']') - 1);
    } else if (value.rfind("(no value available)", 0) == 0) {
      value.clear();
    } else {
      value = value.substr(0, value.find_last_not_of(' ') + 1);
    }
    values.emplace(keyword, value);  // the first occurrence
  }
  for (const std::string& keyword : keywords) {
    if (!values.count(keyword)) {
      throw std::runtime_error("dcmdump found no " + keyword + " in " + file.string() + ": " +
                               result.output);
    }
  }
  return values;
}

std::string DicomTag(const fs::path& file, const std::string& keyword) {
  return DicomTags(file, {keyword}).at(keyword);
}

std::string OrthancId(const std::string& key) {
  const CommandResult result = RunCommand("printf '%s' " + ShellQuote(key) + " | sha1sum");
  if (result.exitCode != 0 || result.output.size() < 40) {
    throw std::runtime_error("sha1sum failed: " + result.output);
  }
  std::string id;
  for (size_t i = 0; i < 40; i += 8) id += (i ? "-" : "") + result.output.substr(i, 8);
  return id;
}

std::string StudyIdOf(const fs::path& file) {
  auto tags = DicomTags(file, {"PatientID", "StudyInstanceUID"});
  return OrthancId(tags["PatientID"] + "|" + tags["StudyInstanceUID"]);
}

std::string SeriesIdOf(const fs::path& file) {
  auto tags = DicomTags(file, {"PatientID", "StudyInstanceUID", "SeriesInstanceUID"});
  return OrthancId(tags["PatientID"] + "|" + tags["StudyInstanceUID"] + "|" +
                   tags["SeriesInstanceUID"]);
}

std::string InstanceIdOf(const fs::path& file) {
  auto tags =
      DicomTags(file, {"PatientID", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"});
  return OrthancId(tags["PatientID"] + "|" + tags["StudyInstanceUID"] + "|" +
                   tags["SeriesInstanceUID"] + "|" + tags["SOPInstanceUID"]);
}

std::map<std::string, fs::path> SampleFilesBySopInstanceUid() {
  std::map<std::string, fs::path> byUid;
  for (const fs::path& file : SampleVolumeFiles()) byUid[DicomTag(file, "SOPInstanceUID")] = file;
  return byUid;
}

}  // namespace mis::test
