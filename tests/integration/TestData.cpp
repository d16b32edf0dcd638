#include "TestData.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mis::test {

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

std::vector<ExpectedAnswer> ReadExpectedAnswers(const std::string& table) {
  const std::filesystem::path folder = TestDataDirectory() / table;
  std::vector<ExpectedAnswer> answers;
  for (const ExpectedRow& row : ReadExpectedTable(folder / "expected.tsv")) {
    answers.push_back(ExpectedAnswer{row, (folder / row.file).lexically_normal()});
  }
  return answers;
}

ExpectedAnswer FindExpectedAnswer(const std::string& fileName, double threshold,
                                  const std::string& table) {
  for (const ExpectedAnswer& row : ReadExpectedAnswers(table)) {
    if (row.path.filename() == fileName && std::abs(row.threshold - threshold) < 1e-12) return row;
  }
  throw std::runtime_error(table + "/expected.tsv has no row for " + fileName + " at threshold " +
                           std::to_string(threshold));
}

}  // namespace mis::test
