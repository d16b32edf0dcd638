#include "TestFiles.h"

#include <gtest/gtest.h>

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
  std::vector<ExpectedVolume> rows;
  for (const ExpectedRow& row : ReadExpectedTable(DataPath(table + "/expected.tsv"))) {
    rows.push_back(ExpectedVolume{row, table});
  }
  return rows;
}

}  // namespace mis::test
