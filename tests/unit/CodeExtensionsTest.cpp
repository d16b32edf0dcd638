// DecodeCodeExtensions: person names written with ISO 2022 code extensions
// (issue 17, kind 1). Each input is the raw value of a file's PatientName
// and its SpecificCharacterSet; each expected name is pydicom 2.3.1's
// decoding of the same file (str(dcmread(f).PatientName)), or, for the
// values made here, the text whose bytes Python's own codecs gave
// ("王".encode("gb2312") == b"\xCD\xF5").

#include <gtest/gtest.h>

#include <string>

#include "CodeExtensions.h"

namespace mis {
namespace {

std::string Decoded(const std::string& value, const std::string& characterSets) {
  return DecodeCodeExtensions(value, characterSets, true).value_or("(not decoded)");
}

TEST(CodeExtensions, TheFieldCases) {
  // 56-name-latin1-iso2022-ir100-escape.dcm: no new escape after "^", where
  // the standard returns to ASCII; pydicom reads on in Latin-1, as do we.
  EXPECT_EQ(Decoded("\x1B-AM\xFCller^Zo\xEB ", "ISO 2022 IR 6\\ISO 2022 IR 100"), "Müller^Zoë ");
  // 58-name-korean-ir149-single-value.dcm: IR 149 as the only value.
  EXPECT_EQ(Decoded("\x1B$)C\xC8\xAB^\x1B$)C\xB1\xE6\xB5\xBF ", "ISO 2022 IR 149"), "홍^길동 ");
}

TEST(CodeExtensions, JapaneseKanjiKanaAndHalfWidthKatakana) {
  // pydicom's chrH31.dcm (PS3.5 §H.3.1) and chrH32.dcm (§H.3.2: JIS X 0201
  // Katakana in G1 from the first value, JIS X 0208 by escape).
  EXPECT_EQ(Decoded("Yamada^Tarou=\x1B$B;3ED\x1B(B^\x1B$BB@O:\x1B(B=\x1B$B$d$^$@\x1B(B^"
                    "\x1B$B$?$m$&\x1B(B",
                    "\\ISO 2022 IR 87"),
            "Yamada^Tarou=山田^太郎=やまだ^たろう");
  EXPECT_EQ(Decoded("\xD4\xCF\xC0\xDE^\xC0\xDB\xB3=\x1B$B;3ED\x1B(J^\x1B$BB@O:\x1B(J=\x1B$B$d$^$@"
                    "\x1B(J^\x1B$B$?$m$&\x1B(J",
                    "ISO 2022 IR 13\\ISO 2022 IR 87"),
            "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
  // pydicom's chrJapMultiExplicitIR6.dcm.
  EXPECT_EQ(Decoded("\x1B$B$d$^$@\x1B(B^\x1B$B$?$m$&\x1B(B ", "ISO 2022 IR 6\\ISO 2022 IR 87"),
            "やまだ^たろう ");
  // JIS X 0212 (IR 159), made here: 0x30 0x21 is U+4E02 ("丂", EUC-JP 8F B0 A1).
  EXPECT_EQ(Decoded("\x1B$(D" "0!" "\x1B(B", "\\ISO 2022 IR 159"), "丂");
}

TEST(CodeExtensions, KoreanChineseAndGreek) {
  // pydicom's chrI2.dcm and chrKoreanMulti.dcm.
  EXPECT_EQ(Decoded("Hong^Gildong=\x1B$)C\xFB\xF3^\x1B$)C\xD1\xCE\xD4\xD7=\x1B$)C\xC8\xAB^"
                    "\x1B$)C\xB1\xE6\xB5\xBF",
                    "\\ISO 2022 IR 149"),
            "Hong^Gildong=洪^吉洞=홍^길동");
  EXPECT_EQ(Decoded("\x1B$)C\xB1\xE8\xC8\xF1\xC1\xDF\x1B(B ", "\\ISO 2022 IR 149"), "김희중 ");
  // GB 2312 (IR 58), made here.
  EXPECT_EQ(Decoded("Wang^XiaoDong=\x1B$)A\xCD\xF5^\x1B$)A\xD0\xA1\xB6\xAB", "\\ISO 2022 IR 58"),
            "Wang^XiaoDong=王^小东");
  // Greek (IR 126), written by pydicom with an escape before each component.
  EXPECT_EQ(Decoded("\x1B-F\xC4\xE9\xEF\xED\xF5\xF3\xE9\xEF\xF2^\x1B-F\xCD\xE9\xEA\xEF\xF2 ",
                    "ISO 2022 IR 6\\ISO 2022 IR 126"),
            "Διονυσιος^Νικος ");
}

TEST(CodeExtensions, ValuesWithoutEscapesAreLeftToTheCharacterSet) {
  EXPECT_FALSE(DecodeCodeExtensions("Buc^J\xE9r\xF4me", "ISO_IR 100", true));
  EXPECT_FALSE(DecodeCodeExtensions("Doe^John", "", true));
}

TEST(CodeExtensions, WhatCannotBeReadIsNothing) {
  // An escape sequence of no DICOM character set, or cut short.
  EXPECT_FALSE(DecodeCodeExtensions("\x1B$)Z\xC8\xAB", "\\ISO 2022 IR 149", true));
  EXPECT_FALSE(DecodeCodeExtensions("Doe\x1B$", "\\ISO 2022 IR 87", true));
  // A byte from 0x80 where no set is designated to G1.
  EXPECT_FALSE(DecodeCodeExtensions("\x1B(B\xC8\xAB", "ISO 2022 IR 6", true));
  // Half a JIS X 0208 character; a KS X 1001 byte pair that is no character.
  EXPECT_FALSE(DecodeCodeExtensions("\x1B$B;", "\\ISO 2022 IR 87", true));
  EXPECT_FALSE(DecodeCodeExtensions("\x1B$)C\xC8", "\\ISO 2022 IR 149", true));
  // A first value without code extensions, or none known.
  EXPECT_FALSE(DecodeCodeExtensions("\x1B-A\xFC", "ISO_IR 192", true));
  EXPECT_FALSE(DecodeCodeExtensions("\x1B-A\xFC", "GB18030", true));
}

TEST(CodeExtensions, AnUndeclaredSetIsFollowed) {
  // IR 100 by escape while the attribute names IR 126 only: as pydicom does.
  EXPECT_EQ(Decoded("\x1B-AM\xFCller", "ISO 2022 IR 6\\ISO 2022 IR 126"), "Müller");
}

}  // namespace
}  // namespace mis
