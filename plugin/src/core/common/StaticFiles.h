#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mis {

// A file of the built web UI, resolved safely under its folder.
struct StaticFile {
  std::string path;         // absolute path on disk
  std::string contentType;  // from the extension
  bool immutable = false;   // Vite's hashed assets may be cached for long
};

// Resolves the URL path below the UI's root ("" or "/" -> index.html) to a
// regular file inside `root`. Empty when the path leaves the folder (..,
// symbolic links pointing out), names no regular file, or has NUL or
// backslashes.
std::optional<StaticFile> ResolveStaticFile(const std::string& root, std::string_view urlPath);

// The Content-Type of a file name by its extension (octet-stream if unknown).
std::string ContentTypeOf(std::string_view fileName);

}  // namespace mis
