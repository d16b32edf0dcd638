#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace mis::test {

// Absolute path of a file under tests/data.
std::string DataPath(const std::string& relative);

// The whole content of a file; throws std::runtime_error when it cannot be read,
// so that a missing test file fails loudly instead of testing an empty buffer.
std::string ReadFile(const std::string& path);

// One row of an expected.tsv (tests/data/corpus, tests/data/pydicom): the
// answer of the volume measure computed independently (pydicom + numpy).
struct ExpectedVolume {
  std::string table;  // folder of the tsv, e.g. "corpus"
  std::string file;   // as written in the tsv, relative to that folder
  double threshold = 0.5;
  int httpStatus = 200;
  uint64_t pixelsAboveThreshold = 0;
  std::optional<double> volumeMm3;  // empty for "null"
  double countTolerance = 0;        // relative; 0 means exact
  std::string how;

  std::string Path() const { return DataPath(table + "/" + file); }
};

// "corpus/CT_small.dcm at 0.5", for gtest's messages.
void PrintTo(const ExpectedVolume& row, std::ostream* out);

// Reads tests/data/<table>/expected.tsv (first line: column names).
std::vector<ExpectedVolume> ReadExpectedVolumes(const std::string& table);

}  // namespace mis::test
