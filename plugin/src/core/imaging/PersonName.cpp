#include "PersonName.h"

#include <array>

#include "AsciiText.h"

namespace mis {

PersonNameParts SplitPersonName(std::string_view value) {
  // Only the first (alphabetic) group; '=' and '^' are ASCII, so they never
  // occur inside a multi-byte UTF-8 character of the other groups.
  std::string_view group = value.substr(0, value.find('='));

  PersonNameParts parts;
  const std::array<std::string*, 5> components = {&parts.family, &parts.given, &parts.middle,
                                                  &parts.prefix, &parts.suffix};
  for (std::string* component : components) {
    const size_t caret = group.find('^');
    // Spaces around a component are padding ("Doe ^John "), never part of it.
    *component = std::string(TrimDicomPadding(group.substr(0, caret)));
    if (caret == std::string_view::npos) {
      break;
    }
    group.remove_prefix(caret + 1);
  }
  return parts;  // components beyond the fifth are not part of a valid PN: ignored
}

}  // namespace mis
