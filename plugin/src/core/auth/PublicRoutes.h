#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace mis {

// The requests anyone may make without logging in, as the route table of
// the plugin (plugin/src/orthanc/Plugin.cpp) declares them: built from it
// once, so that the request filter and the routes cannot disagree.
class PublicRoutes {
 public:
  struct Route {
    std::string pattern;  // the route's regular expression, as given to Orthanc
    std::string method;   // the one method it is public for: "GET", "POST", ...
  };

  // Throws std::regex_error when a pattern is not a regular expression.
  explicit PublicRoutes(const std::vector<Route>& routes);

  // Whether `method path` is one of the routes. The path is matched as
  // Orthanc matches plugin routes: the whole of it, without its trailing
  // slash ("/ui/" is "/ui"). A path with an empty segment ("//", which
  // Orthanc refuses) or with ".." anywhere is never public.
  bool Contains(std::string_view method, std::string_view path) const;

 private:
  struct Compiled {
    std::regex pattern;
    std::string method;
  };
  std::vector<Compiled> routes_;
};

}  // namespace mis
