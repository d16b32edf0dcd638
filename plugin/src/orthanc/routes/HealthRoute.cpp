#include "HealthRoute.h"

#include <json/value.h>

namespace mis::orthanc {

void HandleHealth(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  Json::Value body(Json::objectValue);
  body["status"] = "ok";
  body["version"] = MIS_VERSION;
  response.SendJson(body);
}

}  // namespace mis::orthanc
