#pragma once

#include <string>

#include "HttpClient.h"
#include "TestData.h"

namespace mis::test {

// The two ways a client uploads to the volume route.
HttpResponse PostDicom(const HttpClient& client, const std::string& bytes,
                       const std::string& query = "");
HttpResponse PutForm(const HttpClient& client, const std::string& bytes,
                     const std::string& query = "");

// Checks an answer of the volume route against a row of expected.tsv: the
// status, and for a 200 the count, threshold and volume (null with a warning
// when the row says null); for an error row, the JSON error body.
void ExpectVolumeAnswer(const HttpResponse& response, const ExpectedAnswer& expected);

// An error answer: `status`, Content-Type application/json and a body
// {"error": "<code>", "detail": "<text>"}.
void ExpectJsonError(const HttpResponse& response, long status);

}  // namespace mis::test
