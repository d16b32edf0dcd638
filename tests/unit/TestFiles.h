#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "ExpectedTable.h"

namespace mis::test {

// Absolute path of a file under tests/data.
std::string DataPath(const std::string& relative);

// The whole content of a file; throws std::runtime_error when it cannot be read,
// so that a missing test file fails loudly instead of testing an empty buffer.
std::string ReadFile(const std::string& path);

// One row of tests/data/<table>/expected.tsv (see ExpectedTable.h), with the
// table it comes from.
struct ExpectedVolume : ExpectedRow {
  std::string table;  // folder of the tsv, e.g. "corpus"

  std::string Path() const { return DataPath(table + "/" + file); }
};

// "corpus/CT_small.dcm at 0.5", for gtest's messages.
void PrintTo(const ExpectedVolume& row, std::ostream* out);

// Reads tests/data/<table>/expected.tsv; throws std::runtime_error on a malformed row.
std::vector<ExpectedVolume> ReadExpectedVolumes(const std::string& table);

}  // namespace mis::test
