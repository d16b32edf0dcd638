#include "RequestPolicy.h"

#include "AsciiText.h"

namespace mis {

bool IsOpenToEveryUser(std::string_view method, std::string_view uri) {
  if (method == "GET" || method == "HEAD") return true;
  if (method != "POST") return false;
  // POSTs that store images or only read (searches and archives of what the
  // user may read anyway).
  for (std::string_view route : {"/instances", "/tools/find", "/tools/lookup",
                                 "/tools/create-archive", "/tools/create-media",
                                 "/tools/create-media-extended", "/dicom-web/studies"}) {
    if (uri == route) return true;
  }
  // STOW-RS into one study: /dicom-web/studies/{StudyInstanceUID}.
  constexpr std::string_view kStudies = "/dicom-web/studies/";
  if (!StartsWith(uri, kStudies)) return false;
  const std::string_view study = uri.substr(kStudies.size());
  return !study.empty() && study.find('/') == std::string_view::npos;
}

bool IsStateChanging(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "DELETE" || method == "PATCH";
}

bool IsCrossOrigin(std::string_view origin, std::string_view host) {
  if (origin.empty()) return false;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (StartsWith(origin, scheme)) {
      std::string_view rest = origin.substr(scheme.size());
      if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
      return rest.empty() || rest != host;  // "http://" names no host: never ours
    }
  }
  return true;  // "null" (sandboxed pages) and anything odd
}

}  // namespace mis
