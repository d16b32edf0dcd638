#include "StaticFilesRoute.h"

#include <fstream>
#include <sstream>

#include "OrthancApi.h"
#include "PluginState.h"
#include "StaticFiles.h"

namespace mis::orthanc {

void HandleStaticFile(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  const std::string& root = GetPluginConfiguration().frontendDirectory;
  const std::optional<StaticFile> file =
      ResolveStaticFile(root, request.GroupCount() > 0 ? request.Group(0) : "");
  if (!file) {
    throw HttpError(404, "not_found", "no such file in the web UI (is it built? make build-ui)");
  }
  std::ifstream in(file->path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  // Hashed assets never change; index.html must be revalidated to pick up a new build.
  response.SetHeader("Cache-Control",
                     file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  if (file->contentType.rfind("text/html", 0) == 0) {
    // No framing by other sites, no scripts or styles from elsewhere.
    response.SetHeader("X-Frame-Options", "DENY");
    response.SetHeader("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data: blob:; "
                       "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
  }
  response.SendBytes(bytes.str(), file->contentType);
}

void HandleRoot(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  OrthancPluginRedirect(Context(), response.Output(), "/ui/");
}

}  // namespace mis::orthanc
