#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// POST|PUT /api/volume: the thresholded volume of an uploaded DICOM file (a raw
// application/dicom body, or multipart/form-data field "file"; Orthanc 1.10
// swallows POSTed forms, so forms come with PUT).
// The file is only analysed; `?store=true` also stores it in Orthanc.
void HandleVolumeUpload(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
