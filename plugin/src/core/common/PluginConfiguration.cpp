#include "PluginConfiguration.h"

#include <json/value.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

#include "ForwardedClient.h"

namespace mis {
namespace {

constexpr const char* kSection = "MedicalImageServer";

[[noreturn]] void Refuse(const std::string& key, const std::string& why) {
  throw std::invalid_argument(std::string(kSection) + "." + key + " " + why);
}

// How a setting's value, when present, is checked and stored in one member;
// a value out of bounds is refused naming the key.
using Reader =
    std::function<void(const std::string& key, const Json::Value& value, PluginConfiguration&)>;

Reader NumberInto(double PluginConfiguration::*member, double lowest, double highest) {
  return [=](const std::string& key, const Json::Value& value, PluginConfiguration& into) {
    if (!value.isNumeric() || value.isBool()) {
      Refuse(key, "must be a number, got " + value.toStyledString());
    }
    const double number = value.asDouble();
    if (!std::isfinite(number) || number < lowest || number > highest) {
      Refuse(key, "must be between " + std::to_string(lowest) + " and " + std::to_string(highest) +
                      ", got " + std::to_string(number));
    }
    into.*member = number;
  };
}

// The member holds the number times `unit` (megabytes given, bytes kept).
// isUInt64 also turns away negatives and numbers beyond 64 bits, which
// jsoncpp's conversions would throw about without naming the key.
template <typename Whole>
Reader WholeNumberInto(Whole PluginConfiguration::*member, uint64_t lowest, uint64_t highest,
                       uint64_t unit = 1) {
  return [=](const std::string& key, const Json::Value& value, PluginConfiguration& into) {
    if (!value.isUInt64() || value.isBool() || value.asUInt64() < lowest ||
        value.asUInt64() > highest) {
      Refuse(key, "must be a whole number from " + std::to_string(lowest) + " to " +
                      std::to_string(highest));
    }
    into.*member = static_cast<Whole>(value.asUInt64() * unit);
  };
}

Reader TextInto(std::string PluginConfiguration::*member) {
  return [=](const std::string& key, const Json::Value& value, PluginConfiguration& into) {
    if (!value.isString() || value.asString().empty()) Refuse(key, "must be a non-empty string");
    into.*member = value.asString();
  };
}

Reader FlagInto(bool PluginConfiguration::*member) {
  return [=](const std::string& key, const Json::Value& value, PluginConfiguration& into) {
    if (!value.isBool()) Refuse(key, "must be true or false");
    into.*member = value.asBool();
  };
}

// A list of the proxies' addresses or prefixes, each checked by TrustedProxies.
Reader ProxyListInto(std::vector<std::string> PluginConfiguration::*member) {
  return [=](const std::string& key, const Json::Value& value, PluginConfiguration& into) {
    if (!value.isArray()) Refuse(key, "must be a list of IP addresses or CIDR prefixes");
    std::vector<std::string> entries;
    for (const Json::Value& entry : value) {
      if (!entry.isString()) Refuse(key, "must hold strings (IP addresses or CIDR prefixes)");
      entries.push_back(entry.asString());
    }
    try {
      (void)TrustedProxies(entries);
    } catch (const std::invalid_argument& error) {
      Refuse(key, std::string("holds ") + error.what());
    }
    into.*member = entries;
  };
}

struct Setting {
  std::string key;
  Reader read;
};

// Every key the section may hold, in the README's order: the one list the
// parser, the refusal of unknown keys and PluginConfigurationKeys() read. The
// defaults are not here but in PluginConfiguration, whose members a key
// overwrites only when present.
const std::vector<Setting>& Settings() {
  using C = PluginConfiguration;
  constexpr uint64_t kMiB = 1024 * 1024;
  static const std::vector<Setting> settings = {
      {"Threshold", NumberInto(&C::threshold, 0.0, 1.0)},
      {"MaxUploadMegabytes", WholeNumberInto(&C::maxUploadBytes, 1, 64 * 1024, kMiB)},
      {"UsersDatabase", TextInto(&C::usersDatabase)},
      {"SessionTimeoutMinutes", WholeNumberInto(&C::sessionTimeoutMinutes, 1, 60 * 24 * 30)},
      {"SecureCookies", FlagInto(&C::secureCookies)},
      {"TrustedProxies", ProxyListInto(&C::trustedProxies)},
      {"MaxLoginFailures", WholeNumberInto(&C::maxLoginFailures, 1, 1000)},
      {"LoginFailureWindowSeconds", WholeNumberInto(&C::loginFailureWindowSeconds, 1, 86400)},
      {"CredentialCacheSeconds", WholeNumberInto(&C::credentialCacheSeconds, 0, 60)},
      {"DataDirectory", TextInto(&C::dataDirectory)},
      {"FrontendDirectory", TextInto(&C::frontendDirectory)},
  };
  return settings;
}

const Setting* FindSetting(const std::string& key) {
  for (const Setting& setting : Settings()) {
    if (key == setting.key) return &setting;
  }
  return nullptr;
}

// Levenshtein distance, ignoring case: "threshold" is a slip for "Threshold" too.
size_t EditDistance(const std::string& from, const std::string& to) {
  std::vector<size_t> row(to.size() + 1);
  for (size_t j = 0; j <= to.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= from.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= to.size(); ++j) {
      const size_t above = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(from[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(to[j - 1]));
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[to.size()];
}

// Why `key` is refused: the known key it is likely a slip for, else all of them.
std::string UnknownKeyReason(const std::string& key) {
  const Setting* closest = nullptr;
  size_t closestDistance = std::numeric_limits<size_t>::max();
  for (const Setting& setting : Settings()) {
    const size_t distance = EditDistance(key, setting.key);
    if (distance < closestDistance) {
      closest = &setting;
      closestDistance = distance;
    }
  }
  // A few letters wrong, dropped or swapped; further away it is a guess.
  if (closestDistance <= std::max<size_t>(2, key.size() / 4)) {
    return "is not a setting of this plugin (did you mean " + closest->key + "?)";
  }
  std::string known;
  for (const Setting& setting : Settings()) known += (known.empty() ? "" : ", ") + setting.key;
  return "is not a setting of this plugin (known: " + known + ")";
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
  // Every unknown key at once, so that one restart shows them all.
  std::string unknown;
  for (const std::string& key : section.getMemberNames()) {
    if (FindSetting(key) != nullptr) continue;
    unknown += (unknown.empty() ? "" : "; ") + std::string(kSection) + "." + key + " " +
               UnknownKeyReason(key);
  }
  if (!unknown.empty()) throw std::invalid_argument(unknown);
  for (const Setting& setting : Settings()) {
    if (section.isMember(setting.key)) {
      setting.read(setting.key, section[setting.key], configuration);
    }
  }
  return configuration;
}

std::vector<std::string> PluginConfigurationKeys() {
  std::vector<std::string> keys;
  for (const Setting& setting : Settings()) keys.emplace_back(setting.key);
  return keys;
}

}  // namespace mis
