#include "ExpectedTable.h"

#include <cctype>
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

// The whole of `text` as a number; throws std::runtime_error otherwise.
double ParseNumber(const std::string& text, const std::string& what) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  // stod also takes leading blanks, "nan" and "inf": none of them is a figure.
  if (used == 0 || used != text.size() || std::isspace(static_cast<unsigned char>(text[0])) ||
      !std::isfinite(value)) {
    throw std::runtime_error(what + " is not a number: \"" + text + "\"");
  }
  return value;
}

// The whole of `text` as a non-negative whole number (digits only); throws
// std::runtime_error otherwise.
uint64_t ParseCount(const std::string& text, const std::string& what) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error(what + " is not a whole number: \"" + text + "\"");
  }
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    throw std::runtime_error(what + " is out of range: \"" + text + "\"");
  }
}

ExpectedRow ParseRow(const std::vector<std::string>& fields) {
  // More columns than 7 are passed over: the error rows of corpus/expected.tsv
  // have an empty 7th column and their explanation in an 8th.
  if (fields.size() < 3) throw std::runtime_error("fewer than 3 columns");
  ExpectedRow row;
  row.file = fields[0];
  if (row.file.empty()) throw std::runtime_error("no file name");
  row.threshold = ParseNumber(fields[1], "threshold");
  const uint64_t status = ParseCount(fields[2], "http_status");
  if (status < 100 || status > 599) {
    throw std::runtime_error("http_status is not an HTTP status: \"" + fields[2] + "\"");
  }
  row.httpStatus = static_cast<int>(status);
  if (fields.size() > 6) row.how = fields[6];
  if (row.httpStatus != 200) return row;
  if (fields.size() < 6) throw std::runtime_error("200 row without its figures");
  row.pixelsAboveThreshold = ParseCount(fields[3], "pixels_above_threshold");
  if (fields[4] != "null") row.volumeMm3 = ParseNumber(fields[4], "volume_mm3");
  row.countTolerance = ParseTolerance(fields[5]);
  return row;
}

}  // namespace

double ParseTolerance(const std::string& text) {
  if (text == "exact") return 0;
  static const std::regex within(R"(^count within ([0-9.]+)%)");
  std::smatch match;
  if (!std::regex_search(text, match, within)) {
    throw std::runtime_error("unknown tolerance \"" + text + "\"");
  }
  return ParseNumber(match[1], "tolerance") / 100;
}

std::vector<ExpectedRow> ReadExpectedTable(const std::filesystem::path& tsv) {
  std::ifstream file(tsv);
  if (!file) throw std::runtime_error("cannot read " + tsv.string());
  std::vector<ExpectedRow> rows;
  std::string line;
  size_t number = 0;
  while (std::getline(file, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1) {
      if (line.rfind("file\t", 0) != 0) {
        throw std::runtime_error(tsv.string() + ": no header row (file, threshold, ...)");
      }
      continue;
    }
    if (line.empty()) continue;
    try {
      rows.push_back(ParseRow(SplitTabs(line)));
    } catch (const std::runtime_error& error) {
      throw std::runtime_error(tsv.string() + ":" + std::to_string(number) + ": " + error.what());
    }
  }
  if (number == 0) throw std::runtime_error(tsv.string() + ": empty table");
  return rows;
}

}  // namespace mis::test
