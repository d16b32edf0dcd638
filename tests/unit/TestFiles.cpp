#include "TestFiles.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/oflog/oflog.h>

#include "DicomPixelReader.h"

namespace mis::test {
namespace {

// DCMTK's JPEG, JPEG-LS and RLE decoders, registered once for the whole run.
class DicomDecoders : public ::testing::Environment {
 public:
  void SetUp() override {
    // The tests feed DCMTK broken files on purpose: keep its log to fatal errors.
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    RegisterDicomDecoders();
  }
  void TearDown() override { UnregisterDicomDecoders(); }
};
[[maybe_unused]] ::testing::Environment* const kDicomDecoders =
    ::testing::AddGlobalTestEnvironment(new DicomDecoders);

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, '\t')) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.emplace_back();
  return fields;
}

// "exact" -> 0; "count within 0.5% (...)" -> 0.005.
double ParseTolerance(const std::string& text) {
  const size_t percent = text.find('%');
  if (percent == std::string::npos) return 0;
  size_t start = percent;
  while (start > 0 && (std::isdigit(static_cast<unsigned char>(text[start - 1])) ||
                       text[start - 1] == '.')) {
    --start;
  }
  return std::stod(text.substr(start, percent - start)) / 100;
}

}  // namespace

std::string DataPath(const std::string& relative) {
  return std::string(MIS_TEST_DATA_DIR) + "/" + relative;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read test file " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void PrintTo(const ExpectedVolume& row, std::ostream* out) {
  *out << row.table << "/" << row.file << " at " << row.threshold;
}

std::vector<ExpectedVolume> ReadExpectedVolumes(const std::string& table) {
  std::istringstream lines(ReadFile(DataPath(table + "/expected.tsv")));
  std::vector<ExpectedVolume> rows;
  std::string line;
  std::getline(lines, line);  // column names
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields = SplitTabs(line);
    fields.resize(7);
    ExpectedVolume row;
    row.table = table;
    row.file = fields[0];
    row.threshold = std::stod(fields[1]);
    row.httpStatus = std::stoi(fields[2]);
    if (row.httpStatus == 200) {
      row.pixelsAboveThreshold = std::stoull(fields[3]);
      if (fields[4] != "null") row.volumeMm3 = std::stod(fields[4]);
      row.countTolerance = ParseTolerance(fields[5]);
    }
    row.how = fields[6];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace mis::test
