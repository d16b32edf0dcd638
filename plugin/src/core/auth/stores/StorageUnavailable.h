#pragma once

#include <stdexcept>
#include <string>

namespace mis {

// The users database cannot be read or written for a reason outside the
// request (disk full, I/O error, locked too long): routes answer 503, and
// nothing is served that should have left an audit record.
class StorageUnavailable : public std::runtime_error {
 public:
  explicit StorageUnavailable(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace mis
