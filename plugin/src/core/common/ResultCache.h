#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace mis {

// A small thread-safe least-recently-used cache of immutable results, for
// what is costly to recompute (rendered slices, series volumes). Keys must
// name everything the result depends on, the data's version included, so that
// entries never need to be invalidated: stale ones just age out.
template <typename Value>
class ResultCache {
 public:
  explicit ResultCache(size_t capacity) : capacity_(capacity) {}

  std::shared_ptr<const Value> Find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = index_.find(key);
    if (found == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, found->second);  // most recent first
    return found->second->second;
  }

  void Store(const std::string& key, std::shared_ptr<const Value> value) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = index_.find(key);
    if (found != index_.end()) {
      found->second->second = std::move(value);
      order_.splice(order_.begin(), order_, found->second);
      return;
    }
    order_.emplace_front(key, std::move(value));
    index_[key] = order_.begin();
    while (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const Value>>;
  size_t capacity_;
  std::mutex mutex_;
  std::list<Entry> order_;
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

}  // namespace mis
