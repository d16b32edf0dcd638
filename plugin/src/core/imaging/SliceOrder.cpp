#include "SliceOrder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "AsciiText.h"

namespace mis {
namespace {

// One DS value: spaces around it are padding, "+" is allowed by DICOM but not
// by from_chars, which we use because strtod depends on the locale.
std::optional<double> ParseDecimal(std::string_view text) {
  text = TrimDicomPadding(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') {
      return std::nullopt;
    }
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

template <size_t N>
std::optional<std::array<double, N>> ParseVector(std::string_view text) {
  std::array<double, N> values{};
  for (size_t i = 0; i < N; ++i) {
    const size_t separator = text.find('\\');
    const bool last = i + 1 == N;
    if (last != (separator == std::string_view::npos)) {
      return std::nullopt;  // too few or too many values
    }
    const std::optional<double> value = ParseDecimal(text.substr(0, separator));
    if (!value) {
      return std::nullopt;
    }
    values[i] = *value;
    if (!last) {
      text.remove_prefix(separator + 1);
    }
  }
  return values;
}

// UIDs compare component by component as numbers ("1.2.10" after "1.2.9"),
// which follows the counters that generators append. Components have no
// leading zeros, so a shorter one is a smaller number.
bool UidLess(const std::string& first, const std::string& second) {
  std::string_view a = first;
  std::string_view b = second;
  while (!a.empty() && !b.empty()) {
    const std::string_view ca = a.substr(0, a.find('.'));
    const std::string_view cb = b.substr(0, b.find('.'));
    if (ca.size() != cb.size()) {
      return ca.size() < cb.size();
    }
    if (ca != cb) {
      return ca < cb;
    }
    a.remove_prefix(std::min(a.size(), ca.size() + 1));
    b.remove_prefix(std::min(b.size(), cb.size() + 1));
  }
  if (a.size() != b.size()) {
    return a.size() < b.size();
  }
  return first < second;  // e.g. "1.2." and "1.2": a fixed order still
}

enum class Criterion { kPosition, kInstanceNumber, kUid };

Criterion ChooseCriterion(const std::vector<SliceGeometry>& slices) {
  const auto all = [&](auto has) { return std::all_of(slices.begin(), slices.end(), has); };
  if (all([](const SliceGeometry& s) { return s.position && s.orientation; })) {
    return Criterion::kPosition;
  }
  if (all([](const SliceGeometry& s) { return s.instanceNumber.has_value(); })) {
    return Criterion::kInstanceNumber;
  }
  return Criterion::kUid;
}

std::array<double, 3> Normal(const std::array<double, 6>& o) {
  return {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
}

// The distance along the normal, in steps of 0.1 micrometre: slices in the
// same plane but at different in-plane offsets can project a rounding error
// apart, and must tie so that the tie-breakers decide. Integers also keep the
// comparison a strict weak order, which a tolerance on doubles would not.
int64_t Location(const std::array<double, 3>& position, const std::array<double, 3>& normal) {
  const double distance =
      position[0] * normal[0] + position[1] * normal[1] + position[2] * normal[2];
  return std::llround(distance * 1e4);
}

}  // namespace

std::optional<std::array<double, 3>> ParseVector3(std::string_view text) {
  return ParseVector<3>(text);
}

std::optional<std::array<double, 6>> ParseVector6(std::string_view text) {
  return ParseVector<6>(text);
}

std::vector<size_t> OrderSlices(const std::vector<SliceGeometry>& slices) {
  const Criterion criterion = ChooseCriterion(slices);

  // All 0 unless ordering by position, so that the tie-breakers decide. A
  // degenerate orientation (zero normal) ties every slice the same way.
  std::vector<int64_t> location(slices.size(), 0);
  if (criterion == Criterion::kPosition && !slices.empty()) {
    const std::array<double, 3> normal = Normal(*slices.front().orientation);
    for (size_t i = 0; i < slices.size(); ++i) {
      location[i] = Location(*slices[i].position, normal);
    }
  }
  const bool byNumber = criterion != Criterion::kUid;

  std::vector<size_t> order(slices.size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) {
    if (location[i] != location[j]) {
      return location[i] < location[j];
    }
    const SliceGeometry& a = slices[i];
    const SliceGeometry& b = slices[j];
    if (byNumber && a.instanceNumber != b.instanceNumber) {
      // A missing number (possible only as a tie-breaker) sorts last.
      if (!a.instanceNumber || !b.instanceNumber) {
        return a.instanceNumber.has_value();
      }
      return *a.instanceNumber < *b.instanceNumber;
    }
    if (a.sopInstanceUid != b.sopInstanceUid) {
      return UidLess(a.sopInstanceUid, b.sopInstanceUid);
    }
    return a.id < b.id;  // the same instance stored twice: still a fixed order
  });
  return order;
}

}  // namespace mis
