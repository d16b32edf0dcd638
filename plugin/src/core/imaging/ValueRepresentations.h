#pragma once

#include <algorithm>
#include <iterator>

namespace mis {

// The value representations of PS3.5 Table 6.2-1, as the two characters an
// explicit VR element carries.
inline bool IsValueRepresentation(char first, char second) {
  static constexpr const char* kAll[] = {
      "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT",
      "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST",
      "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV"};
  return std::any_of(std::begin(kAll), std::end(kAll),
                     [&](const char* vr) { return vr[0] == first && vr[1] == second; });
}

// Whether an explicit VR element of this VR has a reserved field and a 32-bit
// length (PS3.5 §7.1.2, Table 7.1-1) rather than a 16-bit one.
inline bool HasLongLength(char first, char second) {
  static constexpr const char* kLong[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ",
                                          "SV", "UC", "UN", "UR", "UT", "UV"};
  return std::any_of(std::begin(kLong), std::end(kLong),
                     [&](const char* vr) { return vr[0] == first && vr[1] == second; });
}

}  // namespace mis
