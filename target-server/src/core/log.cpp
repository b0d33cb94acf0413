#include "core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace pynq_remote {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_output_mutex;

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}

}  // namespace

void set_log_level(LogLevel level) { g_level.store(level); }

bool log_enabled(LogLevel level) {
  return static_cast<int>(level) <= static_cast<int>(g_level.load());
}

void log(LogLevel level, const std::string& message) {
  if (!log_enabled(level)) return;
  std::lock_guard<std::mutex> lock(g_output_mutex);
  std::fprintf(stderr, "[%s] %s\n", level_name(level), message.c_str());
  std::fflush(stderr);
}

}  // namespace pynq_remote
