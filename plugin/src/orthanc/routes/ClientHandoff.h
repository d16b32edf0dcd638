#pragma once

#include <string>

namespace mis::orthanc {

// Orthanc gives the client's address to the incoming-request filter only: a
// REST callback's OrthancPluginHttpRequest has no such field. The filter runs
// on the thread that then runs the route, so the address is handed over on
// that thread: the filter puts it down, the route wrapper takes it up, and
// nothing is left for a later request on the same thread (a callback that no
// filter call preceded gets "").
void PutDownClientAddress(const char* address);
std::string TakeUpClientAddress();

}  // namespace mis::orthanc
