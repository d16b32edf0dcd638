#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ExpectedTable.h"

namespace mis::test {

// tests/data (path given by CMake).
std::filesystem::path TestDataDirectory();
// tests/data/1-101.dcm: one CT slice, 512 x 512.
std::filesystem::path SampleSlicePath();
std::filesystem::path CorpusPath(const std::string& name);

std::string ReadFileBytes(const std::filesystem::path& path);

// One row of an expected.tsv table of tests/data (corpus/, the contract of
// the volume route; field-cases/): computed with pydicom, never with the
// code under test.
struct ExpectedAnswer : ExpectedRow {
  std::filesystem::path path;  // `file` resolved

  std::string Name() const;  // "1-101.dcm at 0.5"
};

// Throws std::runtime_error on a row it cannot read, so a malformed table fails loudly.
std::vector<ExpectedAnswer> ReadExpectedAnswers(const std::string& table = "corpus");
// The row for `fileName` (last path component) at `threshold`; throws if none.
ExpectedAnswer FindExpectedAnswer(const std::string& fileName, double threshold,
                                  const std::string& table = "corpus");

}  // namespace mis::test
