#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// POST|PUT /api/volume: the thresholded volume of an uploaded DICOM file (a raw
// application/dicom body, or multipart/form-data field "file"; Orthanc 1.10
// swallows POSTed forms, so forms come with PUT). The file is only analysed.
void HandleVolumeUpload(const RestRequest& request, RestResponse& response);

// POST|PUT /api/volume/store: the same, and the file is stored in Orthanc.
// (A route, not "?store=true": Orthanc 1.10 parses query strings of GETs only.)
void HandleVolumeUploadAndStore(const RestRequest& request, RestResponse& response);

// POST|PUT /api/volume/preview: the same figures plus "preview_png", a data URI
// of the file's middle frame with the counted pixels tinted (normalized over
// the file, as the count is).
void HandleVolumeUploadWithPreview(const RestRequest& request, RestResponse& response);

// POST /api/upload-check: whether the server can read the DICOM files of an
// upload (RequireShallowUpload: each part of a multipart/related body, or the
// body), asked by the HTTP front before it forwards a STOW-RS body, which the
// DICOMweb plugin parses on Orthanc's small HTTP stacks before any plugin
// callback sees it. 200 {"files_checked": n}; nothing is stored.
void HandleUploadCheck(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
