#include "listener_check.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "core/log.h"
#include "core/unique_fd.h"

namespace pynq_remote {
namespace {

constexpr char kNotAHandshake[] = "pynq-remote-server self check\r\n\r\n";

// HOST and PORT of HOST:PORT, brackets off, a wildcard host as loopback.
bool split_listen(const std::string& address, std::string* host,
                  std::string* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  *host = address.substr(0, colon);
  *port = address.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  if (host->empty() || *host == "0.0.0.0") *host = "127.0.0.1";
  if (*host == "::") *host = "::1";
  return true;
}

bool wait_for(int socket, short events, std::chrono::milliseconds timeout) {
  pollfd entry{socket, events, 0};
  int ready;
  do {
    ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

}  // namespace

ListenerAnswer check_listener(const std::string& address,
                              std::chrono::milliseconds timeout) {
  std::string host, port;
  if (!split_listen(address, &host, &port)) return ListenerAnswer::kUnknown;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) {
    return ListenerAnswer::kUnknown;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> results(found,
                                                               ::freeaddrinfo);
  UniqueFd socket(::socket(found->ai_family,
                           SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.get() < 0) return ListenerAnswer::kUnknown;
  if (::connect(socket.get(), found->ai_addr, found->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return ListenerAnswer::kSilent;
    int error = 0;
    socklen_t length = sizeof(error);
    if (!wait_for(socket.get(), POLLOUT, timeout) ||
        ::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &error, &length) !=
            0 ||
        error != 0) {
      return ListenerAnswer::kSilent;
    }
  }
  // A listener that stopped accepting still completes connections (the
  // kernel queues them), so only what comes back says it accepted.
  (void)::send(socket.get(), kNotAHandshake, sizeof(kNotAHandshake) - 1,
               MSG_NOSIGNAL);
  return wait_for(socket.get(), POLLIN, timeout) ? ListenerAnswer::kAnswered
                                                 : ListenerAnswer::kSilent;
}

ListenerWatch::ListenerWatch(std::string address,
                             std::chrono::milliseconds period,
                             int silent_checks,
                             std::function<void()> after_check)
    : address_(std::move(address)),
      period_(period),
      silent_checks_(silent_checks),
      after_check_(std::move(after_check)),
      thread_([this] { run(); }) {}

ListenerWatch::~ListenerWatch() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_changed_.notify_all();
  thread_.join();
}

void ListenerWatch::run() {
  int silent = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_changed_.wait_for(lock, period_, [this] { return stopping_; })) {
    lock.unlock();
    const ListenerAnswer answer = check_listener(address_, period_);
    if (after_check_) after_check_();
    lock.lock();
    if (stopping_) return;
    if (answer == ListenerAnswer::kSilent) {
      ++silent;
      log_warning("self check: " + address_ + " accepted no connection (" +
                  std::to_string(silent) + " of " +
                  std::to_string(silent_checks_) + ")");
    } else if (answer == ListenerAnswer::kAnswered) {
      silent = 0;
    }
    if (silent >= silent_checks_) {
      log_error("the server stopped accepting connections on " + address_ +
                "; exiting with status " + std::to_string(kExitStalled) +
                " so that its supervisor starts it again");
      std::_Exit(kExitStalled);
    }
  }
}

}  // namespace pynq_remote
