#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mis::test {

// One row of an expected.tsv (tests/data/corpus, tests/data/pydicom): the
// answer of the volume measure computed independently (pydicom + numpy), never
// with the code under test. Columns: file, threshold, http_status,
// pixels_above_threshold, volume_mm3, tolerance, how the reference was obtained.
struct ExpectedRow {
  std::string file;  // as written, relative to the folder of the tsv
  double threshold = 0.5;
  int httpStatus = 0;
  // Only for 200 rows:
  uint64_t pixelsAboveThreshold = 0;
  std::optional<double> volumeMm3;  // empty for "null": the answer's volume_mm3 is null
  double countTolerance = 0;        // relative (0.005 for "count within 0.5%"); 0 means exact
  std::string how;
};

// "exact" -> 0; "count within 0.5% (...)" -> 0.005. Throws std::runtime_error
// on anything else.
double ParseTolerance(const std::string& text);

// All rows of the table at `tsv` (first line: the column names). Throws
// std::runtime_error, naming the file and line, when the table cannot be read
// or a row is malformed, so that a broken table fails loudly.
std::vector<ExpectedRow> ReadExpectedTable(const std::filesystem::path& tsv);

}  // namespace mis::test
