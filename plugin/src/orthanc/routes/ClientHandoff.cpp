#include "ClientAddressHandoff.h"

#include <utility>

namespace mis::orthanc {
namespace {
thread_local std::string handedOverAddress;
}

void PutDownClientAddress(const char* address) {
  handedOverAddress = address != nullptr ? address : "";
}

std::string TakeUpClientAddress() { return std::exchange(handedOverAddress, std::string()); }

}  // namespace mis::orthanc
