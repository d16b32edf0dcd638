#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// POST /api/volume: the thresholded volume of an uploaded DICOM file
// (multipart/form-data field "file", or a raw application/dicom body).
// The file is only analysed; `?store=true` also stores it in Orthanc.
void HandleVolumeUpload(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
