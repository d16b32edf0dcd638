// Every row of tests/data/corpus/expected.tsv at the default threshold (0.5),
// against a server with the default configuration.

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <ostream>
#include <set>

#include "ServerSuite.h"
#include "TestData.h"
#include "VolumeChecks.h"

namespace mis::test {

void PrintTo(const ExpectedAnswer& row, std::ostream* out) { *out << row.Name(); }

namespace {

constexpr double kDefaultThreshold = 0.5;

std::vector<ExpectedAnswer> RowsAtDefaultThreshold() {
  std::vector<ExpectedAnswer> rows;
  try {
    for (const ExpectedAnswer& row : ReadExpectedAnswers()) {
      if (row.threshold == kDefaultThreshold) rows.push_back(row);
    }
  } catch (const std::exception&) {
    // CorpusTable.IsReadable reports it; no parameterized test then.
  }
  return rows;
}

std::string TestName(const ::testing::TestParamInfo<ExpectedAnswer>& info) {
  std::string name = info.param.path.stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name + "_" + std::to_string(info.index);
}

TEST(CorpusTable, IsReadable) {
  const std::vector<ExpectedAnswer> rows = ReadExpectedAnswers();
  size_t atDefault = 0;
  std::set<int> statuses;
  for (const ExpectedAnswer& row : rows) {
    EXPECT_TRUE(std::filesystem::is_regular_file(row.path)) << row.path;
    atDefault += row.threshold == kDefaultThreshold ? 1 : 0;
    statuses.insert(row.httpStatus);
  }
  EXPECT_GE(atDefault, 10u);
  EXPECT_EQ(statuses.count(200), 1u) << "no row answered with figures";
  EXPECT_GT(statuses.size(), 1u) << "no error row";
}

class CorpusTest : public ServerSuite, public ::testing::WithParamInterface<ExpectedAnswer> {};

TEST_P(CorpusTest, PostedFileGivesTheExpectedAnswer) {
  ExpectVolumeAnswer(PostDicom(Http(), ReadFileBytes(GetParam().path)), GetParam());
}

TEST_P(CorpusTest, FileInAFormGivesTheExpectedAnswer) {
  ExpectVolumeAnswer(PutForm(Http(), ReadFileBytes(GetParam().path)), GetParam());
}

INSTANTIATE_TEST_SUITE_P(ExpectedTsv, CorpusTest, ::testing::ValuesIn(RowsAtDefaultThreshold()),
                         TestName);

}  // namespace
}  // namespace mis::test
