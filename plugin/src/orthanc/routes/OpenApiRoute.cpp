#include "OpenApiRoute.h"

namespace mis::orthanc {

void HandleOpenApi(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  response.SendBytes(OpenApiDocument(), "application/json");
}

}  // namespace mis::orthanc
