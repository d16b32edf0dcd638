#pragma once

#include <cstdint>

namespace mis::test {

// A TCP port that is free right now, drawn at random (FreePort.cpp says why
// not the kernel's bind(0)). Never returns the same port twice within one
// process, so that servers started side by side do not collide before they
// bind.
uint16_t FindFreeTcpPort();

}  // namespace mis::test
