#include "StowRequest.h"

#include "TestData.h"

namespace mis::test {

std::string StowBody(const std::vector<StowPart>& parts, const std::string& boundary) {
  std::string body;
  for (const StowPart& part : parts) {
    body += "--" + boundary + "\r\nContent-Type: " + part.mediaType + "\r\n\r\n" + part.bytes +
            "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

std::vector<StowPart> DicomParts(const std::vector<std::filesystem::path>& files) {
  std::vector<StowPart> parts;
  for (const auto& file : files) parts.push_back({"application/dicom", ReadFileBytes(file)});
  return parts;
}

std::string StowContentType(const std::string& boundary) {
  return "multipart/related; type=\"application/dicom\"; boundary=" + boundary;
}

std::set<std::string> ReferencedSopInstanceUids(const Json::Value& answer) {
  std::set<std::string> uids;
  for (const Json::Value& item : answer["00081199"]["Value"]) {
    uids.insert(item["00081155"]["Value"][0].asString());
  }
  return uids;
}

}  // namespace mis::test
