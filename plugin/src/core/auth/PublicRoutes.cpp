#include "PublicRoutes.h"

namespace mis {

PublicRoutes::PublicRoutes(const std::vector<Route>& routes) {
  for (const Route& route : routes) {
    routes_.push_back(Compiled{std::regex(route.pattern, std::regex::ECMAScript), route.method});
  }
}

bool PublicRoutes::Contains(std::string_view method, std::string_view path) const {
  // ".." never reaches a static file (the UI route refuses it too).
  if (path.empty() || path.front() != '/' || path.find("..") != std::string_view::npos) {
    return false;
  }
  // Orthanc splits the URI into segments and joins them again before matching
  // a plugin route, which drops a trailing slash and refuses empty segments.
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.find("//") != std::string_view::npos) return false;
  const std::string flat(path);
  for (const Compiled& route : routes_) {
    if (route.method == method && std::regex_match(flat, route.pattern)) return true;
  }
  return false;
}

}  // namespace mis
