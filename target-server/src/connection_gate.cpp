#include "connection_gate.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/log.h"

extern "C" int __interceptor_accept4(int, sockaddr*, socklen_t*, int)
    __attribute__((weak));
extern "C" int __interceptor_close(int) __attribute__((weak));

namespace pynq_remote {
namespace {

using AcceptFunction = int (*)(int, sockaddr*, socklen_t*, int);
using CloseFunction = int (*)(int);

constexpr rlim_t kMostFiles = rlim_t{1} << 20;
constexpr std::chrono::seconds kRefusalLogInterval(10);

// A sanitizer's interceptors (clang links them into the executable as weak
// aliases, which the definitions below replace) when there are any, else
// the C library's functions.
AcceptFunction next_accept4() {
  static const auto next =
      __interceptor_accept4 != nullptr
          ? &__interceptor_accept4
          : reinterpret_cast<AcceptFunction>(::dlsym(RTLD_NEXT, "accept4"));
  return next;
}

CloseFunction next_close() {
  static const auto next =
      __interceptor_close != nullptr
          ? &__interceptor_close
          : reinterpret_cast<CloseFunction>(::dlsym(RTLD_NEXT, "close"));
  return next;
}

struct Gate {
  std::mutex mutex;
  bool on = false;
  ConnectionLimits limits;
  std::unordered_map<int, std::string> peer_of_connection;
  std::unordered_map<std::string, int> connections_of_peer;
  uint64_t closed = 0;
  uint64_t refused = 0;
  std::chrono::steady_clock::time_point last_refusal_logged;
  // Given up to accept (and close) one connection at the file limit.
  int spare = -1;
  // Read without the lock by close(), which most descriptors skip.
  std::atomic<int> open{0};
};

// Never destroyed: close() may run while the process exits.
Gate& gate() {
  static Gate* const instance = new Gate;
  return *instance;
}

// The peer's IP address; IPv4 callers of a dual-stack listener by their
// IPv4 address.
std::string peer_address(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
  } else if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      ::inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], text, sizeof(text));
    } else {
      ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    }
  }
  return text;
}

void log_refusal_locked(Gate& state, const std::string& peer,
                        const std::string& why) {
  ++state.refused;
  const auto now = std::chrono::steady_clock::now();
  if (now - state.last_refusal_logged < kRefusalLogInterval) return;
  state.last_refusal_logged = now;
  log_warning("refused a connection from " + peer + ": " + why + " (" +
              std::to_string(state.refused) + " refused so far)");
}

// Counts `connection` from `address`, or says it is over a cap.
bool admit(int connection, const sockaddr* address) {
  Gate& state = gate();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (!state.on) return true;
  const std::string peer = peer_address(address);
  int& from_peer = state.connections_of_peer[peer];
  if (state.open.load() >= state.limits.total) {
    log_refusal_locked(state, peer,
                       "the server has " +
                           std::to_string(state.limits.total) +
                           " connections open, its limit");
  } else if (from_peer >= state.limits.per_peer) {
    log_refusal_locked(state, peer,
                       std::to_string(from_peer) +
                           " connections open from that address, the limit");
  } else {
    ++from_peer;
    ++state.open;
    state.peer_of_connection[connection] = peer;
    return true;
  }
  if (from_peer == 0) state.connections_of_peer.erase(peer);
  return false;
}

void forget(int descriptor) {
  Gate& state = gate();
  if (state.open.load(std::memory_order_relaxed) == 0) return;
  std::lock_guard<std::mutex> lock(state.mutex);
  const auto found = state.peer_of_connection.find(descriptor);
  if (found == state.peer_of_connection.end()) return;
  const auto peer = state.connections_of_peer.find(found->second);
  if (peer != state.connections_of_peer.end() && --peer->second <= 0) {
    state.connections_of_peer.erase(peer);
  }
  state.peer_of_connection.erase(found);
  --state.open;
  ++state.closed;
}

// At the file limit: frees the spare descriptor, takes one connection off
// the listen queue and closes it, and takes the spare back. False when
// there was no spare.
bool shed_one(int listener) {
  Gate& state = gate();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.spare < 0) return false;
  next_close()(state.spare);
  const int connection = next_accept4()(listener, nullptr, nullptr,
                                        SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (connection >= 0) next_close()(connection);
  state.spare = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  log_refusal_locked(state, "a peer", "the open file limit is reached");
  return connection >= 0;
}

int gated_accept(int listener, sockaddr* address, socklen_t* length,
                 int flags) {
  sockaddr_storage own_address{};
  socklen_t own_length = sizeof(own_address);
  if (address == nullptr || length == nullptr) {
    address = reinterpret_cast<sockaddr*>(&own_address);
    length = &own_length;
  }
  const socklen_t given_length = *length;
  while (true) {
    *length = given_length;
    const int connection = next_accept4()(listener, address, length, flags);
    if (connection < 0) {
      if (errno != EMFILE && errno != ENFILE) return -1;
      if (shed_one(listener)) continue;
      // gRPC waits for the next connection, and the self check makes one.
      errno = EAGAIN;
      return -1;
    }
    if (admit(connection, address)) return connection;
    next_close()(connection);
  }
}

}  // namespace

uint64_t raise_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const rlim_t wanted =
      limit.rlim_max == RLIM_INFINITY || limit.rlim_max > kMostFiles
          ? kMostFiles
          : limit.rlim_max;
  if (limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = wanted;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur;
}

void start_connection_gate(ConnectionLimits limits) {
  Gate& state = gate();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.limits = limits;
  if (state.spare < 0) {
    state.spare = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  }
  state.on = true;
}

ConnectionCounts connection_counts() {
  Gate& state = gate();
  std::lock_guard<std::mutex> lock(state.mutex);
  return {state.open.load(), state.refused, state.closed};
}

}  // namespace pynq_remote

// libgrpc's accept4() and close() calls land here; see connection_gate.h.
extern "C" int accept4(int listener, sockaddr* address, socklen_t* length,
                       int flags) {
  return pynq_remote::gated_accept(listener, address, length, flags);
}

extern "C" int close(int descriptor) {
  pynq_remote::forget(descriptor);
  return pynq_remote::next_close()(descriptor);
}
