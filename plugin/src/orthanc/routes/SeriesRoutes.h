#pragma once

#include "RestRoute.h"

namespace mis::orthanc {

// Routes on a stored series: /api/series/{id}/..., and the same without the
// id (/api/patient-name, /api/middle-slice) for the default volume.

// GET /api/default-series: {"series": the default volume's Orthanc id}. Not a
// read of patient data (an id only, not audited): how the dashboard learns
// which series it shows first.
void HandleDefaultSeries(const RestRequest& request, RestResponse& response);

// GET: {"patient_name", "patient_name_parts", "patient_id", "series"}.
void HandlePatientName(const RestRequest& request, RestResponse& response);

// GET ?format=png|jpeg&window-center=&window-width=&overlay=threshold: the
// image of the middle slice, with X-Slice-Instance/Index/Count headers.
void HandleMiddleSlice(const RestRequest& request, RestResponse& response);

// GET: which slice is the middle one, as JSON.
void HandleMiddleSliceInfo(const RestRequest& request, RestResponse& response);

// GET: the thresholded volume over the whole series.
void HandleSeriesVolume(const RestRequest& request, RestResponse& response);

}  // namespace mis::orthanc
