#include "ServiceRoutes.h"

#include <json/value.h>

#include <fstream>
#include <sstream>

#include "OrthancApi.h"
#include "PluginState.h"
#include "StaticFiles.h"

namespace mis::orthanc {

void HandleHealth(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  Json::Value body(Json::objectValue);
  body["status"] = "ok";
  body["version"] = MIS_VERSION;
  response.SendJson(body);
}

void HandleOpenApi(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  response.SendBytes(OpenApiDocument(), "application/json");
}

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
  // Every file, as nginx sends them: a policy on a script or a picture costs
  // nothing, and one list is what keeps both servers the same.
  for (const HeaderLine& header : UiSecurityHeaders()) {
    response.SetHeader(std::string(header.name), std::string(header.value));
  }
  response.SendBytes(bytes.str(), file->contentType);
}

void HandleRoot(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  OrthancPluginRedirect(Context(), response.Output(), "/ui/");
}

}  // namespace mis::orthanc
