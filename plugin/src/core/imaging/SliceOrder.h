#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mis {

// What orders the slices of a series (attributes as Orthanc indexes them).
struct SliceGeometry {
  std::string id;                                   // Orthanc instance id
  std::optional<std::array<double, 3>> position;    // ImagePositionPatient
  std::optional<std::array<double, 6>> orientation; // ImageOrientationPatient
  std::optional<long> instanceNumber;               // InstanceNumber
  std::string sopInstanceUid;
};

// DICOM multi-valued decimal strings ("-125.0\\-125.0\\40.5"); empty when the
// count differs or a value is not a finite number.
std::optional<std::array<double, 3>> ParseVector3(std::string_view text);
std::optional<std::array<double, 6>> ParseVector6(std::string_view text);

// The slices' indices in ascending order along the normal of the image plane
// (row cosines x column cosines of the first slice with an orientation),
// projecting ImagePositionPatient on it, when every slice has both; else by
// InstanceNumber when every slice has one; else by SOPInstanceUID. Ties are
// broken by InstanceNumber, then SOPInstanceUID, so the order never depends
// on the input order.
std::vector<size_t> OrderSlices(const std::vector<SliceGeometry>& slices);

// The middle slice of n ordered slices (0-based): floor(n / 2).
inline size_t MiddleIndex(size_t count) { return count / 2; }

}  // namespace mis
