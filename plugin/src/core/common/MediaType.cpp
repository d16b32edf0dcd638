#include "MediaType.h"

#include "AsciiText.h"

namespace mis {

std::string MediaType(std::string_view contentType) {
  return ToLowerAscii(TrimHttpWhitespace(contentType.substr(0, contentType.find(';'))));
}

std::string HeaderParameter(std::string_view header, std::string_view name) {
  const std::string wanted = ToLowerAscii(name);
  size_t position = header.find(';');
  while (position != std::string_view::npos) {
    std::string_view rest = header.substr(position + 1);
    const size_t equals = rest.find('=');
    if (equals == std::string_view::npos) break;
    const std::string key = ToLowerAscii(TrimHttpWhitespace(rest.substr(0, equals)));
    // Trim only the front: `rest` must stay a suffix of `header` for `position`.
    rest.remove_prefix(equals + 1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    std::string_view value;
    size_t next;
    if (!rest.empty() && rest.front() == '"') {
      const size_t close = rest.find('"', 1);
      if (close == std::string_view::npos) return {};
      value = rest.substr(1, close - 1);
      next = rest.find(';', close);
    } else {
      next = rest.find(';');
      value = TrimHttpWhitespace(rest.substr(0, next));
    }
    if (key == wanted) return std::string(value);
    if (next == std::string_view::npos) break;
    position = header.size() - rest.size() + next;
  }
  return {};
}

}  // namespace mis
