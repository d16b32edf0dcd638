#include "PluginConfiguration.h"

#include <json/value.h>

#include <cmath>
#include <stdexcept>

namespace mis {
namespace {

constexpr const char* kSection = "MedicalImageServer";

[[noreturn]] void Refuse(const std::string& key, const std::string& why) {
  throw std::invalid_argument(std::string(kSection) + "." + key + " " + why);
}

double NumberIn(const Json::Value& section, const std::string& key, double fallback,
                double lowest, double highest) {
  if (!section.isMember(key)) return fallback;
  const Json::Value& value = section[key];
  if (!value.isNumeric() || value.isBool()) {
    Refuse(key, "must be a number, got " + value.toStyledString());
  }
  const double number = value.asDouble();
  if (!std::isfinite(number) || number < lowest || number > highest) {
    Refuse(key, "must be between " + std::to_string(lowest) + " and " + std::to_string(highest) +
                    ", got " + std::to_string(number));
  }
  return number;
}

uint64_t PositiveInteger(const Json::Value& section, const std::string& key, uint64_t fallback,
                         uint64_t highest) {
  if (!section.isMember(key)) return fallback;
  const Json::Value& value = section[key];
  if (!value.isIntegral() || value.isBool() || value.asLargestInt() < 1 ||
      value.asLargestUInt() > highest) {
    Refuse(key, "must be a whole number from 1 to " + std::to_string(highest));
  }
  return value.asLargestUInt();
}

std::string Text(const Json::Value& section, const std::string& key, const std::string& fallback) {
  if (!section.isMember(key)) return fallback;
  const Json::Value& value = section[key];
  if (!value.isString() || value.asString().empty()) {
    Refuse(key, "must be a non-empty string");
  }
  return value.asString();
}

bool Flag(const Json::Value& section, const std::string& key, bool fallback) {
  if (!section.isMember(key)) return fallback;
  if (!section[key].isBool()) Refuse(key, "must be true or false");
  return section[key].asBool();
}

}  // namespace

PluginConfiguration ParsePluginConfiguration(const Json::Value& orthancConfiguration) {
  PluginConfiguration configuration;
  if (!orthancConfiguration.isObject() || !orthancConfiguration.isMember(kSection)) {
    return configuration;
  }
  const Json::Value& section = orthancConfiguration[kSection];
  if (!section.isObject()) {
    throw std::invalid_argument(std::string(kSection) + " must be a JSON object");
  }
  configuration.threshold = NumberIn(section, "Threshold", configuration.threshold, 0.0, 1.0);
  configuration.maxUploadBytes =
      PositiveInteger(section, "MaxUploadMegabytes", 512, 64 * 1024) * 1024 * 1024;
  configuration.dataDirectory = Text(section, "DataDirectory", configuration.dataDirectory);
  configuration.frontendDirectory =
      Text(section, "FrontendDirectory", configuration.frontendDirectory);
  configuration.usersDatabase = Text(section, "UsersDatabase", configuration.usersDatabase);
  configuration.sessionTimeoutMinutes = static_cast<unsigned>(
      PositiveInteger(section, "SessionTimeoutMinutes", 60, 60 * 24 * 30));
  configuration.secureCookies = Flag(section, "SecureCookies", configuration.secureCookies);
  configuration.maxLoginFailures =
      static_cast<unsigned>(PositiveInteger(section, "MaxLoginFailures", 5, 1000));
  configuration.loginFailureWindowSeconds =
      static_cast<unsigned>(PositiveInteger(section, "LoginFailureWindowSeconds", 60, 86400));
  if (section.isMember("CredentialCacheSeconds")) {
    const Json::Value& value = section["CredentialCacheSeconds"];
    if (!value.isIntegral() || value.isBool() || value.asLargestInt() < 0 ||
        value.asLargestInt() > 60) {
      Refuse("CredentialCacheSeconds", "must be a whole number from 0 to 60");
    }
    configuration.credentialCacheSeconds = static_cast<unsigned>(value.asLargestInt());
  }
  return configuration;
}

}  // namespace mis
