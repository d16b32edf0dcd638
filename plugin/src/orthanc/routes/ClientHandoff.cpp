#include "ClientHandoff.h"

#include <utility>

namespace mis::orthanc {
namespace {
thread_local ClientConnection handedOver;
}

void PutDownClient(const ClientConnection& client) { handedOver = client; }

ClientConnection TakeUpClient() { return std::exchange(handedOver, ClientConnection{}); }

}  // namespace mis::orthanc
