// SplitPersonName on the shapes of PN values met in practice.
#include <gtest/gtest.h>

#include "PersonName.h"

namespace mis {
namespace {

TEST(PersonName, AllFiveComponents) {
  const PersonNameParts name = SplitPersonName("Doe^John^Q^Dr^Jr");
  EXPECT_EQ(name.family, "Doe");
  EXPECT_EQ(name.given, "John");
  EXPECT_EQ(name.middle, "Q");
  EXPECT_EQ(name.prefix, "Dr");
  EXPECT_EQ(name.suffix, "Jr");
}

TEST(PersonName, AnIdentifierIsAFamilyNameOnly) {
  // Anonymized collections (TCIA) put the subject id in PatientName.
  const PersonNameParts name = SplitPersonName("C3N-01196");
  EXPECT_EQ(name.family, "C3N-01196");
  EXPECT_EQ(name.given, "");
  EXPECT_EQ(name.middle, "");
  EXPECT_EQ(name.prefix, "");
  EXPECT_EQ(name.suffix, "");
}

TEST(PersonName, OnlyTheFirstComponentGroupIsRead) {
  // Alphabetic = ideographic = phonetic: the two UTF-8 groups are ignored.
  const PersonNameParts name = SplitPersonName("Yamada^Tarou=山田^太郎=やまだ^たろう");
  EXPECT_EQ(name.family, "Yamada");
  EXPECT_EQ(name.given, "Tarou");
  EXPECT_EQ(name.middle, "");
}

TEST(PersonName, UnicodeInTheFirstGroupIsKept) {
  const PersonNameParts name = SplitPersonName("Müller^Zoë ");
  EXPECT_EQ(name.family, "Müller");
  EXPECT_EQ(name.given, "Zoë");
}

TEST(PersonName, PaddingSpacesAreRemoved) {
  const PersonNameParts name = SplitPersonName("Doe ^John  ");
  EXPECT_EQ(name.family, "Doe");
  EXPECT_EQ(name.given, "John");
  EXPECT_EQ(SplitPersonName("Doe^John^^^ ").suffix, "");
  EXPECT_EQ(SplitPersonName("Smith ").family, "Smith");
}

TEST(PersonName, EmptyComponentsStayEmpty) {
  const PersonNameParts name = SplitPersonName("^Jane^^Ms");
  EXPECT_EQ(name.family, "");
  EXPECT_EQ(name.given, "Jane");
  EXPECT_EQ(name.middle, "");
  EXPECT_EQ(name.prefix, "Ms");
  EXPECT_EQ(name.suffix, "");
}

TEST(PersonName, EmptyValue) {
  for (const char* value : {"", " ", "=", "=山田^太郎"}) {
    const PersonNameParts name = SplitPersonName(value);
    EXPECT_EQ(name.family, "") << value;
    EXPECT_EQ(name.given, "") << value;
    EXPECT_EQ(name.suffix, "") << value;
  }
}

TEST(PersonName, ComponentsBeyondTheFifthAreIgnored) {
  EXPECT_EQ(SplitPersonName("a^b^c^d^e^f").suffix, "e");
}

}  // namespace
}  // namespace mis
