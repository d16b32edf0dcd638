#pragma once

// STOW-RS requests as PACS tools send them: one multipart/related body, a part
// per file (PS3.18 10.5), and the SOP instances the answer says it stored.

#include <json/value.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace mis::test {

constexpr const char* kStowBoundary = "mis-stow-boundary-7f3a";

struct StowPart {
  std::string mediaType;
  std::string bytes;
};

// The body: each part with its own Content-Type, then the closing delimiter.
std::string StowBody(const std::vector<StowPart>& parts,
                     const std::string& boundary = kStowBoundary);
// One application/dicom part per file.
std::vector<StowPart> DicomParts(const std::vector<std::filesystem::path>& files);
// The request's Content-Type announcing `boundary`.
std::string StowContentType(const std::string& boundary = kStowBoundary);

// The SOP Instance UIDs of ReferencedSOPSequence (0008,1199) in a STOW-RS answer.
std::set<std::string> ReferencedSopInstanceUids(const Json::Value& answer);

}  // namespace mis::test
