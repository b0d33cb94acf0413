// A small logger: one line per message on stderr, prefixed with its level.
#ifndef PYNQ_REMOTE_CORE_LOG_H_
#define PYNQ_REMOTE_CORE_LOG_H_

#include <string>

namespace pynq_remote {

enum class LogLevel { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

void set_log_level(LogLevel level);
// True when messages of `level` are printed; lets callers skip building
// messages on hot paths.
bool log_enabled(LogLevel level);
void log(LogLevel level, const std::string& message);

inline void log_error(const std::string& message) {
  log(LogLevel::kError, message);
}
inline void log_warning(const std::string& message) {
  log(LogLevel::kWarning, message);
}
inline void log_info(const std::string& message) {
  log(LogLevel::kInfo, message);
}
inline void log_debug(const std::string& message) {
  log(LogLevel::kDebug, message);
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_LOG_H_
