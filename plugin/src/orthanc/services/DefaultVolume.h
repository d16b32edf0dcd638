#pragma once

#include <string>

namespace mis::orthanc {

// The sample volume the dashboard shows: every DICOM file of DataDirectory,
// imported into Orthanc once Orthanc has started (a restart finds them stored
// already and changes nothing). If the files form several series, the one
// with the most instances is the default volume.
void StartDefaultVolumeImport(const std::string& dataDirectory);
void StopDefaultVolumeImport();

// Waits until the start-up import has finished, so that no route measures a
// series of data/ half imported. Throws HttpError 503 if it takes too long.
void WaitForDefaultVolumeImport();

// The default volume's series id; waits for the import to finish. Throws
// HttpError 404 (explaining why) when there is none, 503 while importing
// takes unusually long.
std::string DefaultSeriesId();

}  // namespace mis::orthanc
