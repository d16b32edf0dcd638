#include "TestData.h"

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace mis::test {
namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream stream(line);
  while (std::getline(stream, field, '\t')) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.emplace_back();
  return fields;
}

double ParseNumber(const std::string& text, const std::string& what) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw std::runtime_error("expected.tsv: " + what + " is not a number: \"" + text + "\"");
  }
  return value;
}

// "exact" or "count within 0.5% (...)".
double ParseTolerance(const std::string& text) {
  if (text == "exact") return 0;
  static const std::regex within(R"(^count within ([0-9.]+)%)");
  std::smatch match;
  if (std::regex_search(text, match, within)) return ParseNumber(match[1], "tolerance");
  throw std::runtime_error("expected.tsv: unknown tolerance \"" + text + "\"");
}

ExpectedAnswer ParseRow(const std::vector<std::string>& fields) {
  if (fields.size() < 3) throw std::runtime_error("expected.tsv: a row has fewer than 3 columns");
  ExpectedAnswer row;
  row.file = fields[0];
  row.path = CorpusPath(row.file);
  row.threshold = ParseNumber(fields[1], "threshold");
  row.httpStatus = static_cast<int>(ParseNumber(fields[2], "http_status"));
  if (fields.size() > 6) row.howObtained = fields[6];
  if (row.httpStatus != 200) return row;
  if (fields.size() < 6) throw std::runtime_error("expected.tsv: 200 row without figures");
  row.pixelsAboveThreshold = static_cast<long long>(ParseNumber(fields[3], "count"));
  if (fields[4] != "null") row.volumeMm3 = ParseNumber(fields[4], "volume");
  row.countTolerancePercent = ParseTolerance(fields[5]);
  return row;
}

}  // namespace

std::filesystem::path TestDataDirectory() { return MIS_TEST_DATA_DIR; }

std::filesystem::path SampleSlicePath() { return TestDataDirectory() / "1-101.dcm"; }

std::filesystem::path CorpusPath(const std::string& name) {
  return (TestDataDirectory() / "corpus" / name).lexically_normal();
}

std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

std::string ExpectedAnswer::Name() const {
  std::ostringstream name;
  name << path.filename().string() << " at " << threshold;
  return name.str();
}

std::vector<ExpectedAnswer> ReadExpectedAnswers() {
  const std::filesystem::path table = CorpusPath("expected.tsv");
  std::ifstream file(table);
  if (!file) throw std::runtime_error("cannot read " + table.string());
  std::vector<ExpectedAnswer> rows;
  std::string line;
  bool header = true;
  while (std::getline(file, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (header) {
      header = false;
      if (line.rfind("file\t", 0) != 0) throw std::runtime_error("expected.tsv: no header row");
      continue;
    }
    if (line.empty()) continue;
    rows.push_back(ParseRow(SplitTabs(line)));
  }
  return rows;
}

ExpectedAnswer FindExpectedAnswer(const std::string& fileName, double threshold) {
  for (const ExpectedAnswer& row : ReadExpectedAnswers()) {
    if (row.path.filename() == fileName && std::abs(row.threshold - threshold) < 1e-12) return row;
  }
  throw std::runtime_error("expected.tsv has no row for " + fileName + " at threshold " +
                           std::to_string(threshold));
}

}  // namespace mis::test
