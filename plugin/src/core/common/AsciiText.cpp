#include "AsciiText.h"

namespace mis {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char UpperAscii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string_view TrimAny(std::string_view text, std::string_view padding) {
  const size_t first = text.find_first_not_of(padding);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(padding) - first + 1);
}

}  // namespace

std::string_view TrimHttpWhitespace(std::string_view text) { return TrimAny(text, " \t"); }

std::string_view TrimDicomPadding(std::string_view text) { return TrimAny(text, " "); }

std::string ToLowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = LowerAscii(c);
  return lower;
}

std::string ToUpperAscii(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = UpperAscii(c);
  return upper;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerAscii(text[i]) != LowerAscii(prefix[i])) return false;
  }
  return true;
}

}  // namespace mis
