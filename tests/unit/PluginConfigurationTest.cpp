// The "MedicalImageServer" section of Orthanc's configuration (README.md,
// "Configuration"): defaults, accepted values, and refusals that name the key.
#include <gtest/gtest.h>

#include <json/reader.h>
#include <json/value.h>

#include <fstream>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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
  EXPECT_TRUE(configuration.trustedProxies.empty());
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

TEST(PluginConfiguration, MisspelledKeyIsRefusedNamingItAndTheKeyMeant) {
  // The typo that motivated the refusal: it used to leave Threshold at 0.5.
  const std::string message = RefusalOf(R"({"MedicalImageServer": {"Treshold": 0.7}})");
  EXPECT_NE(message.find("MedicalImageServer.Treshold"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean Threshold?"), std::string::npos) << message;
  // Beside the right key too: the section is not read at all.
  EXPECT_NE(RefusalOf(R"({"MedicalImageServer": {"Threshold": 0.3, "Treshold": 0.7}})")
                .find("MedicalImageServer.Treshold"),
            std::string::npos);
  // A wrong case is a slip as well (the keys are case-sensitive).
  EXPECT_NE(RefusalOf(R"({"MedicalImageServer": {"maxUploadMegaBytes": 100}})")
                .find("MedicalImageServer.maxUploadMegaBytes is not a setting of this plugin "
                      "(did you mean MaxUploadMegabytes?)"),
            std::string::npos);
  EXPECT_NE(RefusalOf(R"({"MedicalImageServer": {"CredentialCacheSecond": 0}})")
                .find("did you mean CredentialCacheSeconds?"),
            std::string::npos);
}

TEST(PluginConfiguration, UnrelatedKeyIsRefusedListingTheKnownOnes) {
  const std::string message = RefusalOf(R"({"MedicalImageServer": {"Colour": "red"}})");
  EXPECT_NE(message.find("MedicalImageServer.Colour"), std::string::npos) << message;
  EXPECT_EQ(message.find("did you mean"), std::string::npos) << message;
  for (const std::string& key : PluginConfigurationKeys()) {
    EXPECT_NE(message.find(key), std::string::npos) << key << " missing from: " << message;
  }
}

TEST(PluginConfiguration, EveryUnknownKeyIsNamedAtOnce) {
  const std::string message =
      RefusalOf(R"({"MedicalImageServer": {"Treshold": 0.7, "SessionTimeout": 5, "Colour": 1}})");
  for (const char* key : {"MedicalImageServer.Treshold", "MedicalImageServer.SessionTimeout",
                          "MedicalImageServer.Colour"}) {
    EXPECT_NE(message.find(key), std::string::npos) << key << " missing from: " << message;
  }
}

// One value per key, none of them the default.
constexpr const char* kEveryKey = R"({"MedicalImageServer": {
  "Threshold": 0.25, "MaxUploadMegabytes": 100, "UsersDatabase": "postgresql://u:p@db:5432/users",
  "SessionTimeoutMinutes": 15, "SecureCookies": true, "TrustedProxies": ["10.1.2.3"],
  "MaxLoginFailures": 3,
  "LoginFailureWindowSeconds": 120, "CredentialCacheSeconds": 0, "DataDirectory": "/srv/dicom",
  "FrontendDirectory": "/srv/ui"}})";

TEST(PluginConfiguration, EveryKeyIsReadIntoItsMember) {
  const Json::Value configuration = Config(kEveryKey);
  // A key added to the parser needs its line here.
  EXPECT_EQ(configuration["MedicalImageServer"].getMemberNames().size(),
            PluginConfigurationKeys().size());
  const PluginConfiguration parsed = ParsePluginConfiguration(configuration);
  EXPECT_EQ(parsed.threshold, 0.25);
  EXPECT_EQ(parsed.maxUploadBytes, 100 * kMiB);
  EXPECT_EQ(parsed.usersDatabase, "postgresql://u:p@db:5432/users");
  EXPECT_EQ(parsed.sessionTimeoutMinutes, 15u);
  EXPECT_TRUE(parsed.secureCookies);
  EXPECT_EQ(parsed.trustedProxies, std::vector<std::string>{"10.1.2.3"});
  EXPECT_EQ(parsed.maxLoginFailures, 3u);
  EXPECT_EQ(parsed.loginFailureWindowSeconds, 120u);
  EXPECT_EQ(parsed.credentialCacheSeconds, 0u);
  EXPECT_EQ(parsed.dataDirectory, "/srv/dicom");
  EXPECT_EQ(parsed.frontendDirectory, "/srv/ui");
}

TEST(PluginConfiguration, WholeNumbersOutOfTheirRangeAreRefusedNamingTheKey) {
  const std::vector<std::pair<const char*, const char*>> refused = {
      {"MaxUploadMegabytes", "65537"},
      {"MaxUploadMegabytes", "18446744073709551615"},
      {"MaxUploadMegabytes", "18446744073709551616"},
      {"SessionTimeoutMinutes", "43201"},
      {"MaxLoginFailures", "0"},
      {"MaxLoginFailures", "1001"},
      {"LoginFailureWindowSeconds", "86401"},
      {"LoginFailureWindowSeconds", "-60"},
      {"CredentialCacheSeconds", "61"},
      {"CredentialCacheSeconds", "-1"},
      {"CredentialCacheSeconds", "false"},
  };
  for (const auto& [key, value] : refused) {
    const std::string message =
        RefusalOf(std::string(R"({"MedicalImageServer": {")") + key + "\": " + value + "}}");
    EXPECT_NE(message.find(std::string("MedicalImageServer.") + key), std::string::npos)
        << key << " " << value << " gave: \"" << message << "\"";
  }
  const PluginConfiguration highest = ParsePluginConfiguration(Config(R"({"MedicalImageServer": {
    "MaxUploadMegabytes": 65536, "SessionTimeoutMinutes": 43200, "MaxLoginFailures": 1000,
    "LoginFailureWindowSeconds": 86400, "CredentialCacheSeconds": 60}})"));
  EXPECT_EQ(highest.maxUploadBytes, 65536 * kMiB);
  EXPECT_EQ(highest.sessionTimeoutMinutes, 43200u);
  EXPECT_EQ(highest.maxLoginFailures, 1000u);
  EXPECT_EQ(highest.loginFailureWindowSeconds, 86400u);
  EXPECT_EQ(highest.credentialCacheSeconds, 60u);
}

// The rows of the README's Configuration table: each key and its default cell.
std::vector<std::pair<std::string, std::string>> DocumentedSettings() {
  std::ifstream readme(MIS_README_PATH);
  EXPECT_TRUE(readme) << "cannot read " << MIS_README_PATH;
  const std::regex row(R"(^\| `(\w+)` \| ([^|]*[^ |]) +\|)");
  std::vector<std::pair<std::string, std::string>> rows;
  bool inConfiguration = false;
  for (std::string line; std::getline(readme, line);) {
    if (line.rfind("## ", 0) == 0) inConfiguration = line == "## Configuration";
    std::smatch match;
    if (inConfiguration && std::regex_search(line, match, row)) {
      rows.emplace_back(match[1], match[2]);
    }
  }
  return rows;
}

TEST(PluginConfiguration, TheReadmeDocumentsEveryKeyInItsOrder) {
  std::vector<std::string> documented;
  for (const auto& [key, byDefault] : DocumentedSettings()) documented.push_back(key);
  EXPECT_EQ(documented, PluginConfigurationKeys());
}

TEST(PluginConfiguration, TrustedProxiesAreAddressesOrPrefixes) {
  const PluginConfiguration parsed = ParsePluginConfiguration(Config(
      R"({"MedicalImageServer": {"TrustedProxies": ["127.0.0.1", "::1", "172.16.0.0/12"]}})"));
  EXPECT_EQ(parsed.trustedProxies,
            (std::vector<std::string>{"127.0.0.1", "::1", "172.16.0.0/12"}));
  for (const char* bad : {R"("127.0.0.1")", R"([1])", R"(["localhost"])", R"(["10.0.0.0/33"])",
                          R"(["10.0.0.0/"])", R"(["::1/129"])"}) {
    const std::string message = RefusalOf(
        std::string(R"({"MedicalImageServer": {"TrustedProxies": )") + bad + "}}");
    EXPECT_NE(message.find("MedicalImageServer.TrustedProxies"), std::string::npos) << bad;
  }
}

TEST(PluginConfiguration, TheReadmeDefaultsAreTheDefaults) {
  const PluginConfiguration defaults;
  int checked = 0;
  for (const auto& [key, byDefault] : DocumentedSettings()) {
    // A default written as one value, `0.5` or `data`; UsersDatabase's is a
    // sentence, which Plugin.cpp implements (an empty member here).
    std::smatch match;
    if (!std::regex_match(byDefault, match, std::regex("`([^`]+)`"))) continue;
    Json::Value value;
    Json::CharReaderBuilder builder;
    std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
    const std::string text = match[1];
    if (!reader->parse(text.data(), text.data() + text.size(), &value, nullptr)) value = text;
    Json::Value configuration;
    configuration["MedicalImageServer"][key] = value;
    // Writing the documented default gives what leaving the key out gives.
    PluginConfiguration parsed;
    ASSERT_NO_THROW(parsed = ParsePluginConfiguration(configuration)) << key << ": " << text;
    EXPECT_EQ(parsed.threshold, defaults.threshold) << key;
    EXPECT_EQ(parsed.maxUploadBytes, defaults.maxUploadBytes) << key;
    EXPECT_EQ(parsed.usersDatabase, defaults.usersDatabase) << key;
    EXPECT_EQ(parsed.sessionTimeoutMinutes, defaults.sessionTimeoutMinutes) << key;
    EXPECT_EQ(parsed.secureCookies, defaults.secureCookies) << key;
    EXPECT_EQ(parsed.trustedProxies, defaults.trustedProxies) << key;
    EXPECT_EQ(parsed.maxLoginFailures, defaults.maxLoginFailures) << key;
    EXPECT_EQ(parsed.loginFailureWindowSeconds, defaults.loginFailureWindowSeconds) << key;
    EXPECT_EQ(parsed.credentialCacheSeconds, defaults.credentialCacheSeconds) << key;
    EXPECT_EQ(parsed.dataDirectory, defaults.dataDirectory) << key;
    EXPECT_EQ(parsed.frontendDirectory, defaults.frontendDirectory) << key;
    ++checked;
  }
  // Every key but UsersDatabase has a one-value default.
  EXPECT_EQ(checked + 1, static_cast<int>(PluginConfigurationKeys().size()));
}

}  // namespace
}  // namespace mis
