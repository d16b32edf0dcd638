#pragma once

// The repository's sample volume (data/: 33 slices of one MR series) and the
// independent references the tests compare the server with: DICOM tags read by
// DCMTK's dcmdump, Orthanc ids computed with sha1sum, figures from pydicom.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace mis::test {

// data/ (given by CMake) and one file of it.
std::filesystem::path SampleVolumeDirectory();
std::filesystem::path SampleVolumeFile(const std::string& name);
// data/*.dcm, sorted by name: 1-072.dcm ... 1-104.dcm.
std::vector<std::filesystem::path> SampleVolumeFiles();

constexpr size_t kSampleSlices = 33;
constexpr const char* kMiddleFile = "1-088.dcm";  // the 17th of 33 by position and number
constexpr size_t kMiddleIndex = 16;

// The series volume of data/*.dcm, computed with:
//   cd data && /usr/bin/python3 -c "
//   import glob, pydicom, numpy as np
//   ds = [pydicom.dcmread(f) for f in sorted(glob.glob('*.dcm'))]
//   a = np.stack([d.pixel_array for d in ds]).astype(np.float64)
//   n = (a - a.min()) / (a.max() - a.min())
//   c = int((n > 0.5).sum()); f = ds[0]
//   print(c, repr(c * float(f.PixelSpacing[0]) * float(f.PixelSpacing[1])
//                 * float(f.SliceThickness)), a.min(), a.max())"
// (pydicom 2.3.1, numpy 1.24.2) -> 417085 75750.03175338003 0.0 1327.0
constexpr long long kSampleAbove = 417085;
constexpr double kSampleVolumeMm3 = 75750.03175338003;
constexpr double kSampleMinimum = 0;
constexpr double kSampleMaximum = 1327;
constexpr double kSampleVolumeTolerance = 1e-6;

// Top-level tags of a DICOM file as dcmdump prints them, by keyword:
// "(0028,0010) US 512    #   2, 1 Rows", "(0010,0010) PN [Doe^John]  #  8, 1 PatientName".
// Throws if one is missing.
std::map<std::string, std::string> DicomTags(const std::filesystem::path& file,
                                             const std::vector<std::string>& keywords);
std::string DicomTag(const std::filesystem::path& file, const std::string& keyword);

// Orthanc's id of a resource: the SHA-1 of its key, in five groups of eight.
std::string OrthancId(const std::string& key);
std::string StudyIdOf(const std::filesystem::path& file);
std::string SeriesIdOf(const std::filesystem::path& file);
std::string InstanceIdOf(const std::filesystem::path& file);

// data/*.dcm by their SOP Instance UID (dcmdump).
std::map<std::string, std::filesystem::path> SampleFilesBySopInstanceUid();

}  // namespace mis::test
