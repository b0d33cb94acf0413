// Bounds that keep a hostile network from starving the server: the self
// check of the listener, long calls and sessions per caller, and what
// counts as a loopback --listen.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/authorizer.h"
#include "core/limits.h"
#include "core/session_repository.h"
#include "core/unique_fd.h"
#include "listener_check.h"
#include "server_options.h"
#include "unit/expect_status.h"

namespace pynq_remote {
namespace {

constexpr std::chrono::milliseconds kCheckTimeout(500);

// A TCP socket listening on a free loopback port; nothing accepts on it
// unless the test does.
struct Listener {
  UniqueFd socket;
  std::string address;
};

Listener listen_on_loopback() {
  Listener listener{UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)),
                    ""};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  EXPECT_EQ(::bind(listener.socket.get(),
                   reinterpret_cast<sockaddr*>(&address), length),
            0);
  EXPECT_EQ(::listen(listener.socket.get(), 16), 0);
  ::getsockname(listener.socket.get(), reinterpret_cast<sockaddr*>(&address),
                &length);
  listener.address = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  return listener;
}

TEST(ListenerCheckTests, AcceptingListener_Answered) {
  Listener listener = listen_on_loopback();
  std::thread server([&] {
    // A TLS server meeting bytes that are no handshake: it closes.
    UniqueFd connection(::accept(listener.socket.get(), nullptr, nullptr));
  });
  EXPECT_EQ(check_listener(listener.address, kCheckTimeout),
            ListenerAnswer::kAnswered);
  server.join();
}

TEST(ListenerCheckTests, ListenerThatStoppedAccepting_Silent) {
  // The kernel completes the connection; only no answer tells.
  Listener listener = listen_on_loopback();
  EXPECT_EQ(check_listener(listener.address, kCheckTimeout),
            ListenerAnswer::kSilent);
}

TEST(ListenerCheckTests, ClosedListener_Silent) {
  std::string address;
  {
    Listener listener = listen_on_loopback();
    address = listener.address;
  }
  EXPECT_EQ(check_listener(address, kCheckTimeout), ListenerAnswer::kSilent);
}

TEST(ListenerCheckTests, WildcardHost_ChecksLoopback) {
  Listener listener = listen_on_loopback();
  const std::string port = listener.address.substr(listener.address.rfind(':'));
  std::thread server([&] {
    UniqueFd connection(::accept(listener.socket.get(), nullptr, nullptr));
  });
  EXPECT_EQ(check_listener("0.0.0.0" + port, kCheckTimeout),
            ListenerAnswer::kAnswered);
  server.join();
}

TEST(LongCallTests, PerCallerCap_ResourceExhaustedNamesTheLimit) {
  Authorizer authorizer{AuthorizerSettings{}};
  const Caller reader{"rita", Role::kReader};
  std::vector<std::unique_ptr<Authorizer::LongCall>> held;
  for (int i = 0; i < kMaxLongCallsPerCaller; ++i) {
    held.push_back(authorizer.begin_long_call(reader, "Batch"));
  }
  EXPECT_EQ(expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          [&] { authorizer.begin_long_call(reader, "Batch"); }),
            "Batch: 'rita' already has " +
                std::to_string(kMaxLongCallsPerCaller) +
                " polls, streams or watches open, the limit per caller; end "
                "one first");
  // Another caller still gets a place, and an ended call frees one.
  EXPECT_NE(authorizer.begin_long_call(Caller{"olga", Role::kOperator}, "Batch"),
            nullptr);
  held.pop_back();
  EXPECT_NE(authorizer.begin_long_call(reader, "Batch"), nullptr);
}

TEST(LongCallTests, ServerCap_ResourceExhausted) {
  Authorizer authorizer{AuthorizerSettings{}};
  std::vector<std::unique_ptr<Authorizer::LongCall>> held;
  for (int i = 0; i < kMaxLongCalls; ++i) {
    held.push_back(authorizer.begin_long_call(
        Caller{"reader-" + std::to_string(i), Role::kReader}, "ReadBuffer"));
  }
  EXPECT_EQ(authorizer.long_calls(), kMaxLongCalls);
  EXPECT_EQ(expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          [&] {
                            authorizer.begin_long_call(
                                Caller{"late", Role::kReader}, "ReadBuffer");
                          }),
            "ReadBuffer: the server has " + std::to_string(kMaxLongCalls) +
                " polls, streams or watches open, its limit; try again later");
  held.clear();
  EXPECT_EQ(authorizer.long_calls(), 0);
}

TEST(SessionCapTests, PerCaller_ResourceExhaustedOthersStillOpen) {
  SessionRepository sessions;
  for (int i = 0; i < kMaxSessionsPerCaller; ++i) {
    sessions.open("flood", std::chrono::milliseconds(0), "rita");
  }
  EXPECT_EQ(expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          [&] {
                            sessions.open("flood", std::chrono::milliseconds(0),
                                          "rita");
                          }),
            "'rita' already has " + std::to_string(kMaxSessionsPerCaller) +
                " sessions open, the limit per caller; close one first");
  const SessionInfo other =
      sessions.open("notebook", std::chrono::milliseconds(0), "olga");
  EXPECT_EQ(other.owner, "olga");
}

TEST(SessionCapTests, Total_ResourceExhausted) {
  SessionRepository sessions;
  for (int i = 0; i < kMaxSessions; ++i) {
    sessions.open("flood", std::chrono::milliseconds(0),
                  "caller-" + std::to_string(i));
  }
  EXPECT_EQ(expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          [&] {
                            sessions.open("late", std::chrono::milliseconds(0),
                                          "late");
                          }),
            "the server has " + std::to_string(kMaxSessions) +
                " sessions open, its limit; try again when some have closed "
                "or expired");
}

TEST(LoopbackListenTests, LiteralAddressesAndLocalhost_Loopback) {
  EXPECT_TRUE(is_loopback_listen("127.0.0.1:7967"));
  EXPECT_TRUE(is_loopback_listen("127.3.4.5:0"));
  EXPECT_TRUE(is_loopback_listen("[::1]:7967"));
  EXPECT_TRUE(is_loopback_listen("localhost:7967"));
}

TEST(LoopbackListenTests, NamesAndOtherAddresses_NotLoopback) {
  // Once a string prefix: a name that only starts like a loopback address.
  EXPECT_FALSE(is_loopback_listen("127.lab.invalid:7967"));
  EXPECT_FALSE(is_loopback_listen("0.0.0.0:7967"));
  EXPECT_FALSE(is_loopback_listen("[::]:7967"));
  EXPECT_FALSE(is_loopback_listen("192.168.1.10:7967"));
  EXPECT_FALSE(is_loopback_listen(":7967"));
}

}  // namespace
}  // namespace pynq_remote
