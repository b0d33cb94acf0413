#include "pynq_remote/extension.h"

#include <stdexcept>
#include <utility>

namespace pynq_remote {
namespace {

// A function-local static: registrations run during static initialisation,
// in an order across files that C++ does not define.
std::vector<ExtensionEntry>& entries() {
  static std::vector<ExtensionEntry> registered;
  return registered;
}

}  // namespace

void ShutdownSignal::trigger() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    triggered_ = true;
  }
  changed_.notify_all();
}

bool ShutdownSignal::triggered() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return triggered_;
}

bool ShutdownSignal::wait_until(
    std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_until(lock, deadline, [this] { return triggered_; });
}

bool register_extension(const char* service_name, ExtensionFactory make) {
  for (const ExtensionEntry& entry : entries()) {
    if (entry.service_name == service_name) {
      throw std::logic_error(std::string("extension service ") +
                             service_name + " is registered twice");
    }
  }
  entries().push_back(ExtensionEntry{service_name, std::move(make)});
  return true;
}

const std::vector<ExtensionEntry>& registered_extensions() {
  return entries();
}

}  // namespace pynq_remote
