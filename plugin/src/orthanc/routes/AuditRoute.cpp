#include "AuditRoute.h"

#include <json/value.h>

#include <algorithm>

#include "AuthService.h"

namespace mis::orthanc {
namespace {

constexpr int64_t kDefaultPage = 100;
constexpr int64_t kMaxPage = 1000;

int64_t QueryNumber(const RestRequest& request, const char* name, int64_t fallback,
                    int64_t highest) {
  if (!request.HasQuery(name)) return fallback;
  try {
    size_t used = 0;
    const std::string text = request.Query(name);
    const long long value = std::stoll(text, &used);
    if (used == text.size() && value >= 0 && value <= highest) return value;
  } catch (const std::exception&) {
  }
  throw HttpError(400, "bad_query", std::string(name) + " must be a whole number from 0 to " +
                                        std::to_string(highest));
}

}  // namespace

void HandleAudit(const RestRequest& request, RestResponse& response) {
  request.RequireMethod({OrthancPluginHttpMethod_Get});
  const int64_t offset = QueryNumber(request, "offset", 0, INT64_MAX / 2);
  const int64_t limit = QueryNumber(request, "limit", kDefaultPage, kMaxPage);
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

void AuditRead(const RestRequest& request, const std::string& route, const std::string& series) {
  AuditEvent event;
  event.time = GetAuthenticator().Now();
  event.user = request.User().name;
  event.client = request.ClientAddress();
  event.action = "read";
  event.route = route;
  event.series = series;
  event.outcome = "ok";
  GetUserStore().AppendAudit(event);
}

}  // namespace mis::orthanc
