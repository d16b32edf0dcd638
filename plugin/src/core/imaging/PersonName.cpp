#include "PersonName.h"

#include <array>

namespace mis {
namespace {

// Spaces on either side of a component are padding ("Doe ^John "), never part
// of the name. Spaces are ASCII, so UTF-8 bytes of other characters are safe.
std::string Trimmed(std::string_view text) {
  const size_t first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) {
    return {};
  }
  return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

}  // namespace

PersonNameParts SplitPersonName(std::string_view value) {
  // Only the first (alphabetic) group; '=' and '^' are ASCII, so they never
  // occur inside a multi-byte UTF-8 character of the other groups.
  std::string_view group = value.substr(0, value.find('='));

  PersonNameParts parts;
  const std::array<std::string*, 5> components = {&parts.family, &parts.given, &parts.middle,
                                                  &parts.prefix, &parts.suffix};
  for (std::string* component : components) {
    const size_t caret = group.find('^');
    *component = Trimmed(group.substr(0, caret));
    if (caret == std::string_view::npos) {
      break;
    }
    group.remove_prefix(caret + 1);
  }
  return parts;  // components beyond the fifth are not part of a valid PN: ignored
}

}  // namespace mis
