// The audit records of DICOM network operations, and the start-up warning
// about services that would go unaudited (issue 16, item 7).
#include <gtest/gtest.h>
#include <json/reader.h>

#include <sstream>

#include "DicomAudit.h"

namespace mis {
namespace {

Json::Value Parse(const std::string& text) {
  Json::Value value;
  std::istringstream stream(text);
  std::string errors;
  EXPECT_TRUE(Json::parseFromStream(Json::CharReaderBuilder(), stream, &value, &errors)) << errors;
  return value;
}

TEST(CStoreAuditEvent, NamesTheCallingAeTitleAndAddress) {
  // As Orthanc 1.10 answers GET /instances/{id}/metadata?expand after a C-STORE.
  const Json::Value metadata = Parse(R"({
    "CalledAET": "MEDIMGSERVER", "IndexInSeries": "1", "Origin": "DicomProtocol",
    "ReceptionDate": "20261130T071500", "RemoteAET": "LOCALSCU", "RemoteIP": "127.0.0.1",
    "SopClassUid": "1.2.840.10008.5.1.4.1.1.4", "TransferSyntax": "1.2.840.10008.1.2.1"})");
  const auto event = CStoreAuditEvent(metadata, 1234);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->time, 1234);
  EXPECT_EQ(event->user, "LOCALSCU");
  EXPECT_EQ(event->client, "127.0.0.1");
  EXPECT_EQ(event->action, "dicom_store");
  EXPECT_EQ(event->route, "C-STORE to MEDIMGSERVER");
  EXPECT_EQ(event->series, "");  // the caller's
  EXPECT_EQ(event->outcome, "stored");
}

TEST(CStoreAuditEvent, NothingForOtherOriginsOrNoMetadata) {
  EXPECT_FALSE(CStoreAuditEvent(Parse(R"({"Origin": "RestApi", "RemoteAET": ""})"), 1));
  EXPECT_FALSE(CStoreAuditEvent(Parse(R"({"Origin": "Plugin"})"), 1));
  EXPECT_FALSE(CStoreAuditEvent(Parse("[]"), 1));
  EXPECT_FALSE(CStoreAuditEvent(Json::Value(), 1));
  EXPECT_FALSE(CStoreAuditEvent(Parse(R"({"Origin": 7})"), 1));
}

TEST(UnauditedDicomServices, NoneWhenOnlyStoreAndEchoAreAllowed) {
  EXPECT_TRUE(UnauditedDicomServices(Parse(R"({
    "DicomAlwaysAllowEcho": true, "DicomAlwaysAllowStore": false,
    "DicomAlwaysAllowFind": false, "DicomAlwaysAllowGet": false, "DicomAlwaysAllowMove": false,
    "DicomModalities": {"local-scu": {"AET": "LOCALSCU", "Host": "127.0.0.1", "Port": 104,
      "AllowStore": true, "AllowFind": false, "AllowGet": false, "AllowMove": false}}})"))
                  .empty());
  EXPECT_TRUE(UnauditedDicomServices(Parse("{}")).empty());
  EXPECT_TRUE(UnauditedDicomServices(Json::Value()).empty());
}

TEST(UnauditedDicomServices, NamesEachServiceAndModalityThatWouldGoUnaudited) {
  const auto warnings = UnauditedDicomServices(Parse(R"({
    "DicomAlwaysAllowFind": true,
    "DicomModalities": {
      "pacs": {"AET": "PACS", "Host": "10.0.0.5", "Port": 104, "AllowGet": false,
               "AllowMove": false},
      "old-style": ["OLD", "10.0.0.6", 104]}})"));
  // pacs: AllowFind absent, so true (Orthanc's default); old-style: all three.
  ASSERT_EQ(warnings.size(), 5u);
  EXPECT_NE(warnings[0].find("DicomAlwaysAllowFind"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("C-FIND"), std::string::npos) << warnings[0];
  int pacs = 0, oldStyle = 0;
  for (const std::string& warning : warnings) {
    pacs += warning.find("\"pacs\"") != std::string::npos;
    oldStyle += warning.find("\"old-style\"") != std::string::npos;
  }
  EXPECT_EQ(pacs, 1);
  EXPECT_EQ(oldStyle, 3);
}

}  // namespace
}  // namespace mis
