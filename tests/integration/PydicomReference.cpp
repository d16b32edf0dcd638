#include "PydicomReference.h"

#include <stdexcept>

#include "CommandLine.h"
#include "TemporaryDirectory.h"

namespace mis::test {

DecodedPicture PydicomReference(const std::string& mode, const std::filesystem::path& file,
                                const std::string& options, std::string* printed) {
  TemporaryDirectory directory("mis-pydicom-reference");
  const std::filesystem::path out = directory.Path() / "reference.pnm";
  const CommandResult result =
      RunCommand(std::string(MIS_PYTHON) + " " + ShellQuote(MIS_REFERENCE_SCRIPT) + " " + mode +
                 " " + ShellQuote(file.string()) + " " + ShellQuote(out.string()) + options +
                 " 2>&1");
  if (result.exitCode != 0) {
    throw std::runtime_error("dicom_reference.py " + mode + " failed: " + result.output);
  }
  if (printed) *printed = result.output;
  return ReadPgm(out);
}

}  // namespace mis::test
