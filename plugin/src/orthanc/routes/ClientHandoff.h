#pragma once

#include "ForwardedClient.h"

namespace mis::orthanc {

// Orthanc gives the client's address to the incoming-request filter only: a
// REST callback's OrthancPluginHttpRequest has no such field. The filter runs
// on the thread that then runs the route, so the client is handed over on
// that thread: the filter puts it down, the route wrapper takes it up, and
// nothing is left for a later request on the same thread (a callback that no
// filter call preceded gets an empty address).
void PutDownClient(const ClientConnection& client);
ClientConnection TakeUpClient();

}  // namespace mis::orthanc
