#pragma once

#include <string>
#include <string_view>

namespace mis {

// The five components of a DICOM person name (PN), of its first component
// group (the alphabetic one: "Family^Given^Middle^Prefix^Suffix=ideographic=...").
struct PersonNameParts {
  std::string family;
  std::string given;
  std::string middle;
  std::string prefix;
  std::string suffix;
};

// Splits a PN value (UTF-8). Missing components are empty; trailing spaces
// (DICOM padding) are removed.
PersonNameParts SplitPersonName(std::string_view value);

}  // namespace mis
