// The server's check of its own listener: gRPC can stop accepting
// connections while the process lives on (a listener that failed), which no
// supervisor would notice. A thread connects to the listener now and then;
// when it stays silent several times in a row the server exits with
// kExitStalled so that its supervisor starts it again.
#ifndef PYNQ_REMOTE_LISTENER_CHECK_H_
#define PYNQ_REMOTE_LISTENER_CHECK_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace pynq_remote {

constexpr int kExitStalled = 3;

enum class ListenerAnswer {
  kAnswered,  // accepted: closed the connection or sent its HTTP/2 settings
  kSilent,    // refused the connection, or accepted nothing within the time
  kUnknown,   // this process could not even try (no descriptor, bad name)
};

// Connects to `address` (HOST:PORT; a wildcard host means loopback), sends
// bytes that are neither a TLS nor an HTTP/2 start, and waits up to
// `timeout` for any answer: a gRPC server closes such a connection (TLS) or
// sends its settings first (plain text) as soon as it accepts it.
ListenerAnswer check_listener(const std::string& address,
                              std::chrono::milliseconds timeout);

// Checks `address` every `period` from a thread; after `silent_checks`
// silent answers in a row, logs why and exits with kExitStalled. Runs
// `after_check` (if any) after each check, in that thread.
class ListenerWatch {
 public:
  ListenerWatch(std::string address, std::chrono::milliseconds period,
                int silent_checks, std::function<void()> after_check = {});
  // Stops the thread (before the server shuts down, which closes the
  // listener on purpose).
  ~ListenerWatch();

  ListenerWatch(const ListenerWatch&) = delete;
  ListenerWatch& operator=(const ListenerWatch&) = delete;

 private:
  void run();

  const std::string address_;
  const std::chrono::milliseconds period_;
  const int silent_checks_;
  const std::function<void()> after_check_;
  std::mutex mutex_;
  std::condition_variable stop_changed_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_LISTENER_CHECK_H_
