// MeasureDicomFile on every row of the expected.tsv tables (tests/data/corpus,
// tests/data/pydicom, tests/data/field-cases), whose figures were computed with
// pydicom + numpy.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "HttpError.h"
#include "TestFiles.h"
#include "VolumeAnswer.h"

namespace mis {
namespace {

using test::ExpectedVolume;

constexpr double kVolumeToleranceMm3 = 1e-6;

std::vector<ExpectedVolume> AllRows() {
  std::vector<ExpectedVolume> rows;
  for (const char* table : {"corpus", "pydicom", "field-cases"}) {
    for (const ExpectedVolume& row : test::ReadExpectedVolumes(table)) rows.push_back(row);
  }
  return rows;
}

// "corpus/../1-101.dcm" at 0.3 -> "corpus_1_101_dcm_t0_3" (gtest names are [A-Za-z0-9_]).
std::string RowName(const ::testing::TestParamInfo<ExpectedVolume>& info) {
  std::string raw = info.param.table + "_" + info.param.file + "_t" +
                    std::to_string(info.param.threshold).substr(0, 4);
  std::string name;
  for (char c : raw) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c));
    if (keep || (!name.empty() && name.back() != '_')) name += keep ? c : '_';
  }
  return name;
}

class ExpectedVolumes : public ::testing::TestWithParam<ExpectedVolume> {};

TEST_P(ExpectedVolumes, MatchesTheReference) {
  const ExpectedVolume& row = GetParam();
  SCOPED_TRACE(row.Path() + " threshold " + std::to_string(row.threshold) + " (" + row.how + ")");
  const std::string file = test::ReadFile(row.Path());

  if (row.httpStatus != 200) {
    try {
      MeasureDicomFile(file.data(), file.size(), row.threshold);
      FAIL() << "expected HTTP " << row.httpStatus << ", got an answer";
    } catch (const HttpError& error) {
      EXPECT_EQ(error.Status(), row.httpStatus) << error.Code() << ": " << error.Detail();
    }
    return;
  }

  const VolumeAnswer answer = MeasureDicomFile(file.data(), file.size(), row.threshold);
  const double expected = static_cast<double>(row.pixelsAboveThreshold);
  if (row.countTolerance == 0) {
    EXPECT_EQ(answer.count.above, row.pixelsAboveThreshold);
  } else {
    EXPECT_NEAR(static_cast<double>(answer.count.above), expected, row.countTolerance * expected);
  }

  if (row.volumeMm3) {
    ASSERT_TRUE(answer.VolumeMm3()) << "no volume; warnings: " << answer.warnings.size();
    // An approximate count (lossy rows) carries its relative error into the volume.
    const double tolerance = std::max(kVolumeToleranceMm3, row.countTolerance * *row.volumeMm3);
    EXPECT_NEAR(*answer.VolumeMm3(), *row.volumeMm3, tolerance);
    EXPECT_TRUE(answer.warnings.empty());
  } else {
    EXPECT_FALSE(answer.VolumeMm3());
    EXPECT_FALSE(answer.voxelVolumeMm3);
    // The "how" column says which attribute the file lacks ("no SliceThickness").
    int named = 0;
    for (const std::string attribute : {"PixelSpacing", "SliceThickness"}) {
      if (row.how.find("no " + attribute) == std::string::npos) continue;
      ++named;
      bool warned = false;
      for (const std::string& warning : answer.warnings) {
        warned = warned || warning.find(attribute) != std::string::npos;
      }
      EXPECT_TRUE(warned) << "no warning names " << attribute;
    }
    EXPECT_GT(named, 0) << "the tsv row does not say which attribute is missing";
  }
}

INSTANTIATE_TEST_SUITE_P(Tables, ExpectedVolumes, ::testing::ValuesIn(AllRows()), RowName);

// Guards against a tsv that silently lost its rows.
TEST(ExpectedVolumeTables, HaveTheirRows) {
  EXPECT_EQ(test::ReadExpectedVolumes("corpus").size(), 13u);
  EXPECT_GE(test::ReadExpectedVolumes("pydicom").size(), 8u);
}

}  // namespace
}  // namespace mis
