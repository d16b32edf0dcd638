#include "StaticFiles.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "AsciiText.h"
#include "UriComponents.h"

namespace mis {

namespace fs = std::filesystem;

std::string ContentTypeOf(std::string_view fileName) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}, {".webmanifest", "application/manifest+json"}};
  const std::string extension = fs::path(std::string(fileName)).extension().string();
  const auto found = types.find(extension);
  return found != types.end() ? found->second : "application/octet-stream";
}

std::optional<StaticFile> ResolveStaticFile(const std::string& root, std::string_view urlPath) {
  const std::optional<std::string> decoded = PercentDecode(urlPath);
  if (!decoded || decoded->find('\\') != std::string::npos) return std::nullopt;
  std::string relative = *decoded;
  while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
  if (relative.empty()) relative = "index.html";
  for (const auto& part : fs::path(relative)) {
    if (part == "..") return std::nullopt;
  }

  std::error_code error;
  const fs::path base = fs::canonical(root, error);
  if (error) return std::nullopt;
  const fs::path file = fs::canonical(base / relative, error);
  if (error || !fs::is_regular_file(file, error)) return std::nullopt;
  // Symbolic links may not lead out of the folder either.
  const auto [end, ignored] = std::mismatch(base.begin(), base.end(), file.begin(), file.end());
  if (end != base.end()) return std::nullopt;

  StaticFile found;
  found.path = file.string();
  found.contentType = ContentTypeOf(found.path);
  found.immutable = StartsWith(relative, "assets/");
  return found;
}

}  // namespace mis
