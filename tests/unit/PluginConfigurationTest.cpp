// The "MedicalImageServer" section of Orthanc's configuration (DESIGN.md,
// "Configuration"): defaults, accepted values, and refusals that name the key.
#include <gtest/gtest.h>

#include <json/reader.h>
#include <json/value.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "PluginConfiguration.h"

namespace mis {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

// Parses an Orthanc configuration written as JSON text, as an admin would.
Json::Value Config(const std::string& text) {
  Json::CharReaderBuilder builder;
  std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  Json::Value value;
  std::string errors;
  if (!reader->parse(text.data(), text.data() + text.size(), &value, &errors)) {
    ADD_FAILURE() << "bad JSON in the test: " << errors;
  }
  return value;
}

// The message of the std::invalid_argument thrown for `text`, or "" if none.
std::string RefusalOf(const std::string& text) {
  try {
    ParsePluginConfiguration(Config(text));
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

void ExpectDefaults(const PluginConfiguration& configuration) {
  EXPECT_EQ(configuration.threshold, 0.5);
  EXPECT_EQ(configuration.maxUploadBytes, 512 * kMiB);
  EXPECT_EQ(configuration.sessionTimeoutMinutes, 60u);
  EXPECT_EQ(configuration.dataDirectory, "data");
  EXPECT_EQ(configuration.frontendDirectory, "frontend/dist");
  EXPECT_EQ(configuration.usersDatabase, "");
}

TEST(PluginConfiguration, DefaultsWhenTheSectionIsAbsent) {
  ExpectDefaults(ParsePluginConfiguration(Config(R"({"Name": "Orthanc", "HttpPort": 8042})")));
  ExpectDefaults(ParsePluginConfiguration(Json::Value()));
}

TEST(PluginConfiguration, DefaultsWhenTheSectionIsEmpty) {
  ExpectDefaults(ParsePluginConfiguration(Config(R"({"MedicalImageServer": {}})")));
}

TEST(PluginConfiguration, ThresholdInTheRangeIsAccepted) {
  EXPECT_EQ(ParsePluginConfiguration(Config(R"({"MedicalImageServer": {"Threshold": 0.3}})"))
                .threshold,
            0.3);
  // [0, 1] includes its bounds.
  EXPECT_EQ(ParsePluginConfiguration(Config(R"({"MedicalImageServer": {"Threshold": 0}})"))
                .threshold,
            0.0);
  EXPECT_EQ(ParsePluginConfiguration(Config(R"({"MedicalImageServer": {"Threshold": 1}})"))
                .threshold,
            1.0);
}

TEST(PluginConfiguration, BadThresholdIsRefusedNamingTheKey) {
  for (const char* value : {"1.5", "-0.1", "\"abc\"", "true", "null", "[0.5]"}) {
    const std::string message =
        RefusalOf(std::string(R"({"MedicalImageServer": {"Threshold": )") + value + "}}");
    EXPECT_NE(message.find("MedicalImageServer.Threshold"), std::string::npos)
        << "Threshold " << value << " gave: \"" << message << "\"";
  }
}

TEST(PluginConfiguration, MaxUploadMegabytes) {
  EXPECT_EQ(
      ParsePluginConfiguration(Config(R"({"MedicalImageServer": {"MaxUploadMegabytes": 100}})"))
          .maxUploadBytes,
      100 * kMiB);
  for (const char* value : {"0", "\"x\"", "-5", "1.5", "true"}) {
    const std::string message =
        RefusalOf(std::string(R"({"MedicalImageServer": {"MaxUploadMegabytes": )") + value + "}}");
    EXPECT_NE(message.find("MedicalImageServer.MaxUploadMegabytes"), std::string::npos)
        << "MaxUploadMegabytes " << value << " gave: \"" << message << "\"";
  }
}

TEST(PluginConfiguration, OtherKeys) {
  const PluginConfiguration configuration = ParsePluginConfiguration(Config(R"({
    "MedicalImageServer": {"SessionTimeoutMinutes": 15, "DataDirectory": "/srv/dicom",
                           "FrontendDirectory": "/srv/ui", "UsersDatabase": "/var/users.db"}})"));
  EXPECT_EQ(configuration.sessionTimeoutMinutes, 15u);
  EXPECT_EQ(configuration.dataDirectory, "/srv/dicom");
  EXPECT_EQ(configuration.frontendDirectory, "/srv/ui");
  EXPECT_EQ(configuration.usersDatabase, "/var/users.db");
  EXPECT_NE(RefusalOf(R"({"MedicalImageServer": {"DataDirectory": ""}})")
                .find("MedicalImageServer.DataDirectory"),
            std::string::npos);
  EXPECT_NE(RefusalOf(R"({"MedicalImageServer": {"SessionTimeoutMinutes": 0}})")
                .find("MedicalImageServer.SessionTimeoutMinutes"),
            std::string::npos);
}

TEST(PluginConfiguration, SectionThatIsNotAnObjectIsRefused) {
  EXPECT_NE(RefusalOf(R"({"MedicalImageServer": 0.5})").find("MedicalImageServer"),
            std::string::npos);
}

}  // namespace
}  // namespace mis
