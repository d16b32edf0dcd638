#include "AuditRoute.h"

#include <json/value.h>

#include "AuthService.h"

namespace mis::orthanc {
namespace {

constexpr int64_t kDefaultPage = 100;
constexpr int64_t kMaxPage = 1000;

}  // namespace

void HandleAudit(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  const int64_t offset = request.QueryWholeNumber("offset", 0, INT64_MAX / 2);
  const int64_t limit = request.QueryWholeNumber("limit", kDefaultPage, kMaxPage);
  UserStore& store = GetUserStore();
  Json::Value events(Json::arrayValue);
  for (const AuditEvent& event : store.ListAudit(offset, limit)) {
    Json::Value row(Json::objectValue);
    row["id"] = Json::Int64(event.id);
    row["time"] = Json::Int64(event.time);
    row["user"] = event.user;
    row["client"] = event.client;
    row["action"] = event.action;
    row["route"] = event.route;
    row["series"] = event.series;
    row["outcome"] = event.outcome;
    row["count"] = Json::Int64(event.count);
    row["last_time"] = Json::Int64(event.lastTime);
    events.append(row);
  }
  Json::Value body(Json::objectValue);
  body["total"] = Json::Int64(store.CountAudit());
  body["offset"] = Json::Int64(offset);
  body["limit"] = Json::Int64(limit);
  body["events"] = events;
  response.SetHeader("Cache-Control", "no-store");
  response.SendJson(body);
}

}  // namespace mis::orthanc
