#include "CodeExtensions.h"

#include <iconv.h>

#include <cstdint>
#include <vector>

#include "AsciiText.h"

namespace mis {
namespace {

constexpr char kEscape = '\x1B';
constexpr const char* kAscii = "ASCII";
constexpr const char* kEucJp = "EUC-JP";  // JIS X 0201, 0208 and 0212 in one 8-bit form

// What G0 holds: ASCII (JIS X 0201 Roman read as ASCII: they differ in two
// glyphs only), or a two-byte Japanese set.
enum class G0 { kAscii, kJisX0208, kJisX0212 };

// The character sets a decoder has designated.
struct Sets {
  G0 g0 = G0::kAscii;
  const char* g1 = nullptr;  // iconv's name of the G1 set; none at first
  bool g1Katakana = false;   // G1 is JIS X 0201 Katakana (read through EUC-JP)
};

// A DICOM character set with code extensions (PS3.3 Tables C.12-3, C.12-4):
// its term's ISO-IR number, its escape sequence (the bytes after ESC), and
// what it designates.
struct Designation {
  int isoIr;
  std::string_view escape;
  bool toG0;
  G0 g0;
  const char* g1;
  bool katakana;
};

constexpr Designation kDesignations[] = {
    {6, "(B", true, G0::kAscii, nullptr, false},
    {14, "(J", true, G0::kAscii, nullptr, false},  // JIS X 0201 Roman
    {13, ")I", false, G0::kAscii, kEucJp, true},   // JIS X 0201 Katakana
    {87, "$B", true, G0::kJisX0208, nullptr, false},
    {159, "$(D", true, G0::kJisX0212, nullptr, false},
    {149, "$)C", false, G0::kAscii, "EUC-KR", false},   // KS X 1001
    {58, "$)A", false, G0::kAscii, "GB2312", false},    // GB 2312, EUC-CN
    {100, "-A", false, G0::kAscii, "ISO-8859-1", false},
    {101, "-B", false, G0::kAscii, "ISO-8859-2", false},
    {109, "-C", false, G0::kAscii, "ISO-8859-3", false},
    {110, "-D", false, G0::kAscii, "ISO-8859-4", false},
    {144, "-L", false, G0::kAscii, "ISO-8859-5", false},
    {127, "-G", false, G0::kAscii, "ISO-8859-6", false},
    {126, "-F", false, G0::kAscii, "ISO-8859-7", false},
    {138, "-H", false, G0::kAscii, "ISO-8859-8", false},
    {148, "-M", false, G0::kAscii, "ISO-8859-9", false},
    {203, "-b", false, G0::kAscii, "ISO-8859-15", false},
    {166, "-T", false, G0::kAscii, "TIS-620", false},
};

void Designate(const Designation& designation, Sets& sets) {
  if (designation.toG0) {
    sets.g0 = designation.g0;
  } else {
    sets.g1 = designation.g1;
    sets.g1Katakana = designation.katakana;
  }
}

// The sets in force at the start of a value: those of the first value of
// (0008,0005), "ISO 2022 IR n" or "ISO_IR n" ("ISO 2022 IR 13" designates
// JIS X 0201 to both G0 and G1); none for a term without code extensions.
std::optional<Sets> InitialSets(std::string_view specificCharacterSet) {
  std::string_view first =
      TrimDicomPadding(specificCharacterSet.substr(0, specificCharacterSet.find('\\')));
  while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  Sets sets;
  if (first.empty()) return sets;
  for (const std::string_view prefix :
       {std::string_view("ISO 2022 IR "), std::string_view("ISO_IR ")}) {
    if (first.substr(0, prefix.size()) != prefix) continue;
    const std::string_view number = first.substr(prefix.size());
    for (const Designation& designation : kDesignations) {
      if (number == std::to_string(designation.isoIr)) {
        Designate(designation, sets);  // IR 13's G0, JIS X 0201 Roman, reads as ASCII
        return sets;
      }
    }
  }
  return std::nullopt;
}

// Bytes of one encoding, converted together.
struct Run {
  const char* encoding;
  std::string bytes;
};

// Appends bytes of `encoding`; ASCII bytes join any run, as every encoding
// here keeps ASCII below 0x80.
void Append(std::vector<Run>& runs, const char* encoding, std::string_view bytes) {
  if (!runs.empty()) {
    Run& last = runs.back();
    if (last.encoding == encoding || encoding == kAscii) {
      last.bytes.append(bytes);
      return;
    }
    if (last.encoding == kAscii) {
      last.encoding = encoding;
      last.bytes.append(bytes);
      return;
    }
  }
  runs.push_back({encoding, std::string(bytes)});
}

std::optional<std::string> ToUtf8(const Run& run) {
  iconv_t converter = iconv_open("UTF-8", run.encoding);
  if (converter == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  // Every character here is in the BMP: at most 3 UTF-8 bytes for 1 byte in.
  std::string out(run.bytes.size() * 3 + 4, '\0');
  char* in = const_cast<char*>(run.bytes.data());
  size_t inLeft = run.bytes.size();
  char* outPosition = out.data();
  size_t outLeft = out.size();
  const size_t result = iconv(converter, &in, &inLeft, &outPosition, &outLeft);
  iconv_close(converter);
  if (result == static_cast<size_t>(-1) || inLeft != 0) return std::nullopt;
  out.resize(out.size() - outLeft);
  return out;
}

bool IsDelimiter(char byte, bool personName, bool resetAtCaret) {
  switch (byte) {
    case '\\': return true;
    case '^': return personName && resetAtCaret;
    case '=': return personName;
    case '\r': case '\n': case '\f': case '\t': return !personName;
    default: return false;
  }
}

// One reading of the value from `initial`; nothing when it cannot be read.
std::optional<std::string> Read(std::string_view value, const Sets& initial, bool personName,
                                bool resetAtCaret) {
  Sets sets = initial;
  std::vector<Run> runs;
  size_t i = 0;
  while (i < value.size()) {
    const auto byte = static_cast<uint8_t>(value[i]);
    if (value[i] == kEscape) {
      // ESC, intermediate bytes (0x20-0x2F), one final byte (0x30-0x7E).
      size_t end = i + 1;
      while (end < value.size() && value[end] >= 0x20 && value[end] <= 0x2F) ++end;
      if (end >= value.size() || value[end] < 0x30 || value[end] > 0x7E) return std::nullopt;
      const std::string_view escape = value.substr(i + 1, end - i);
      const Designation* found = nullptr;
      for (const Designation& designation : kDesignations) {
        if (designation.escape == escape) found = &designation;
      }
      if (found == nullptr) return std::nullopt;
      Designate(*found, sets);
      i = end + 1;
      continue;
    }
    if (sets.g0 != G0::kAscii && byte >= 0x21 && byte <= 0x7E) {  // two bytes of JIS X 0208/0212
      if (i + 1 >= value.size()) return std::nullopt;
      const auto second = static_cast<uint8_t>(value[i + 1]);
      if (second < 0x21 || second > 0x7E) return std::nullopt;
      std::string euc;
      if (sets.g0 == G0::kJisX0212) euc += '\x8F';
      euc += static_cast<char>(byte | 0x80);
      euc += static_cast<char>(second | 0x80);
      Append(runs, kEucJp, euc);
      i += 2;
      continue;
    }
    if (byte < 0x80) {
      if (IsDelimiter(value[i], personName, resetAtCaret)) sets = initial;
      Append(runs, kAscii, value.substr(i, 1));
      ++i;
      continue;
    }
    if (sets.g1 == nullptr) return std::nullopt;  // no set holds bytes from 0x80
    if (sets.g1Katakana) {
      if (byte < 0xA1 || byte > 0xDF) return std::nullopt;
      Append(runs, kEucJp, std::string{'\x8E', static_cast<char>(byte)});
    } else {
      Append(runs, sets.g1, value.substr(i, 1));
    }
    ++i;
  }
  std::string text;
  for (const Run& run : runs) {
    const std::optional<std::string> converted = ToUtf8(run);
    if (!converted) return std::nullopt;
    text += *converted;
  }
  return text;
}

}  // namespace

std::optional<std::string> DecodeCodeExtensions(std::string_view value,
                                                std::string_view specificCharacterSet,
                                                bool personName) {
  if (value.find(kEscape) == std::string_view::npos) return std::nullopt;
  const std::optional<Sets> initial = InitialSets(specificCharacterSet);
  if (!initial) return std::nullopt;
  if (std::optional<std::string> text = Read(value, *initial, personName, true)) return text;
  if (personName) return Read(value, *initial, personName, false);
  return std::nullopt;
}

}  // namespace mis
