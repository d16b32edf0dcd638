// OrderSlices, ParseVector3/6 and MiddleIndex on hand-made geometries.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "SliceOrder.h"

namespace mis {
namespace {

constexpr std::array<double, 6> kAxial = {1, 0, 0, 0, 1, 0};  // normal (0, 0, 1)

SliceGeometry Slice(std::string id, std::optional<std::array<double, 3>> position,
                    std::optional<std::array<double, 6>> orientation,
                    std::optional<long> instanceNumber, std::string uid = "") {
  SliceGeometry slice;
  slice.id = std::move(id);
  slice.position = position;
  slice.orientation = orientation;
  slice.instanceNumber = instanceNumber;
  slice.sopInstanceUid = uid.empty() ? "1.2.3." + slice.id : std::move(uid);
  return slice;
}

// The ids of the slices in the order OrderSlices gives.
std::vector<std::string> OrderedIds(const std::vector<SliceGeometry>& slices) {
  std::vector<std::string> ids;
  for (size_t index : OrderSlices(slices)) {
    ids.push_back(slices.at(index).id);
  }
  return ids;
}

// The same answer for every input order.
void ExpectOrder(std::vector<SliceGeometry> slices, const std::vector<std::string>& expected) {
  std::mt19937 rng(7);
  for (int round = 0; round < 6; ++round) {
    EXPECT_EQ(OrderedIds(slices), expected) << "input order " << round;
    std::shuffle(slices.begin(), slices.end(), rng);
  }
}

TEST(SliceOrder, AxialSlicesAscendByZ) {
  // Instance numbers run against z, to show they are not what orders.
  ExpectOrder({Slice("c", {{-125, -125, 40.5}}, kAxial, 1),
               Slice("a", {{-125, -125, -12.25}}, kAxial, 5),
               Slice("e", {{-125, -125, 100}}, kAxial, 2),
               Slice("b", {{-125, -125, 0}}, kAxial, 4),
               Slice("d", {{-125, -125, 41}}, kAxial, 3)},
              {"a", "b", "c", "d", "e"});
}

TEST(SliceOrder, SagittalSlicesAscendAlongTheirNormal) {
  // Rows along y, columns along -z: normal = (0,1,0) x (0,0,-1) = (-1,0,0),
  // so the order is by descending x. y and z vary too, against that order.
  const std::array<double, 6> sagittal = {0, 1, 0, 0, 0, -1};
  ExpectOrder({Slice("x-10", {{-10, 5, 1}}, sagittal, 1),
               Slice("x+10", {{10, -5, -1}}, sagittal, 3),
               Slice("x0", {{0, 0, 0}}, sagittal, 2)},
              {"x+10", "x0", "x-10"});
}

TEST(SliceOrder, TiltedSlicesAscendByProjectionOnTheNormal) {
  // A gantry tilt of 20 degrees: columns (0, cos, sin), normal (0, -sin, cos).
  // Slice k lies at distance d_k along the normal, moved within its plane by
  // an offset that would mislead an order by z or by y alone.
  const double c = std::cos(20 * M_PI / 180);
  const double s = std::sin(20 * M_PI / 180);
  const std::array<double, 6> tilted = {1, 0, 0, 0, c, s};
  const std::array<double, 3> normal = {0, -s, c};
  const double distances[] = {-3, 2.5, 0, 7, -1};
  const char* names[] = {"d-3", "d2.5", "d0", "d7", "d-1"};
  const double columnOffsets[] = {40, -60, 25, -90, 80};
  std::vector<SliceGeometry> slices;
  for (int k = 0; k < 5; ++k) {
    std::array<double, 3> p;
    for (int i = 0; i < 3; ++i) {
      p[i] = distances[k] * normal[i] + columnOffsets[k] * tilted[3 + i] + 13 * tilted[i];
    }
    slices.push_back(Slice(names[k], p, tilted, 10 - k));
  }
  // z alone would give d7, d2.5, d0, d-3, d-1; y alone d7, d2.5, d0, d-3, d-1 too.
  ExpectOrder(slices, {"d-3", "d-1", "d0", "d2.5", "d7"});
}

TEST(SliceOrder, EqualPositionsAreOrderedByInstanceNumberThenUid) {
  ExpectOrder({Slice("z1-n2", {{0, 0, 1}}, kAxial, 2),
               Slice("z1-n1", {{0, 0, 1}}, kAxial, 1),
               Slice("z0-n9", {{0, 0, 0}}, kAxial, 9),
               // Same position and number: the UID decides, numerically.
               Slice("z2-uid10", {{0, 0, 2}}, kAxial, 1, "1.2.10"),
               Slice("z2-uid9", {{0, 0, 2}}, kAxial, 1, "1.2.9")},
              {"z0-n9", "z1-n1", "z1-n2", "z2-uid9", "z2-uid10"});
}

TEST(SliceOrder, SamePlaneAtAnotherInPlaneOffsetTies) {
  // The two projections differ only by rounding: the number decides.
  const double c = std::cos(0.3);
  const double s = std::sin(0.3);
  const std::array<double, 6> tilted = {1, 0, 0, 0, c, s};
  ExpectOrder({Slice("second", {{0, 0, 0}}, tilted, 2),
               Slice("first", {{0, 100 * c, 100 * s}}, tilted, 1)},
              {"first", "second"});
}

TEST(SliceOrder, MissingPositionFallsBackToInstanceNumber) {
  ExpectOrder({Slice("n3", {{0, 0, -5}}, kAxial, 3),
               Slice("n1", std::nullopt, kAxial, 1),
               Slice("n2", {{0, 0, 9}}, kAxial, 2)},
              {"n1", "n2", "n3"});
}

TEST(SliceOrder, MissingOrientationFallsBackToInstanceNumber) {
  ExpectOrder({Slice("n2", {{0, 0, 1}}, kAxial, 2),
               Slice("n1", {{0, 0, 2}}, std::nullopt, 1)},
              {"n1", "n2"});
}

TEST(SliceOrder, MissingInstanceNumberFallsBackToSopInstanceUid) {
  // Components compare as numbers: 9 < 10 < 11, and 1.2.840.9 < 1.2.840.9.1.
  ExpectOrder({Slice("u10", std::nullopt, std::nullopt, 1, "1.2.840.10"),
               Slice("u9", std::nullopt, std::nullopt, 2, "1.2.840.9"),
               Slice("u11", std::nullopt, std::nullopt, std::nullopt, "1.2.840.11"),
               Slice("u9.1", std::nullopt, std::nullopt, 0, "1.2.840.9.1")},
              {"u9", "u9.1", "u10", "u11"});
}

TEST(SliceOrder, NoSlicesAndOneSlice) {
  EXPECT_TRUE(OrderSlices({}).empty());
  EXPECT_EQ(OrderSlices({Slice("only", std::nullopt, std::nullopt, std::nullopt)}),
            std::vector<size_t>{0});
}

TEST(SliceOrder, ParseVector3) {
  using V3 = std::array<double, 3>;
  EXPECT_EQ(ParseVector3("-125.0\\-125.0\\40.5"), (V3{-125, -125, 40.5}));
  EXPECT_EQ(ParseVector3(" 1 \\ 2\\3  "), (V3{1, 2, 3}));  // DS padding
  EXPECT_EQ(ParseVector3("1e2\\-1.5E-1\\+3"), (V3{100, -0.15, 3}));
  EXPECT_EQ(ParseVector3(".5\\5.\\0"), (V3{0.5, 5, 0}));
  EXPECT_EQ(ParseVector3("1\\2"), std::nullopt);
  EXPECT_EQ(ParseVector3("1\\2\\3\\4"), std::nullopt);
  EXPECT_EQ(ParseVector3("a\\b\\c"), std::nullopt);
  EXPECT_EQ(ParseVector3("1\\2\\3x"), std::nullopt);
  EXPECT_EQ(ParseVector3("1\\\\3"), std::nullopt);
  EXPECT_EQ(ParseVector3("1\\2\\3\\"), std::nullopt);
  EXPECT_EQ(ParseVector3("1 2\\3\\4"), std::nullopt);  // embedded space
  EXPECT_EQ(ParseVector3("+-1\\2\\3"), std::nullopt);
  EXPECT_EQ(ParseVector3("inf\\0\\0"), std::nullopt);
  EXPECT_EQ(ParseVector3("nan\\0\\0"), std::nullopt);
  EXPECT_EQ(ParseVector3("1e400\\0\\0"), std::nullopt);
  EXPECT_EQ(ParseVector3(""), std::nullopt);
  EXPECT_EQ(ParseVector3("   "), std::nullopt);
}

TEST(SliceOrder, ParseVector6) {
  using V6 = std::array<double, 6>;
  EXPECT_EQ(ParseVector6("1\\0\\0\\0\\1\\0"), (V6{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(ParseVector6("1\\0\\0\\0\\1"), std::nullopt);
  EXPECT_EQ(ParseVector6("1\\0\\0\\0\\1\\0\\0"), std::nullopt);
  EXPECT_EQ(ParseVector6("1\\0\\0\\0\\1\\zero"), std::nullopt);
}

TEST(SliceOrder, MiddleIndex) {
  EXPECT_EQ(MiddleIndex(33), 16u);
  EXPECT_EQ(MiddleIndex(1), 0u);
  EXPECT_EQ(MiddleIndex(2), 1u);
  EXPECT_EQ(MiddleIndex(4), 2u);
}

}  // namespace
}  // namespace mis
