#pragma once

#include <filesystem>
#include <string>

#include "PictureDecoding.h"

namespace mis::test {

// Runs tests/integration/dicom_reference.py (pydicom + numpy, Debian's
// /usr/bin/python3): `mode` ("window", "mask" or "colour") on `file` with
// `options` (command-line words, each after a space), and reads the picture
// it wrote; `printed` gets what it printed. Throws std::runtime_error when
// the script fails.
DecodedPicture PydicomReference(const std::string& mode, const std::filesystem::path& file,
                                const std::string& options, std::string* printed = nullptr);

}  // namespace mis::test
