// pynq-remote-server: serves the pynq-remote gRPC API for one board.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <malloc.h>
#include <netdb.h>
#include <sys/socket.h>

#include "backends/linux_backend.h"
#include "backends/sim_backend.h"
#include "core/bitstream_cache.h"
#include "core/board_config.h"
#include "core/hex.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/unique_fd.h"
#include "connection_gate.h"
#include "discovery/announcement.h"
#include "discovery/announcer.h"
#include "listener_check.h"
#include "server_options.h"
#include "server_security.h"
#include "services/service_registrar.h"

namespace pynq_remote {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kServeAgain = -1;
constexpr std::chrono::seconds kShutdownGrace(5);
// The self check: how often, and how many silent answers in a row end the
// server.
constexpr std::chrono::seconds kListenerCheckPeriod(5);
constexpr int kListenerSilentChecks = 3;
// Connections closed since the last trim that make the next check trim.
constexpr uint64_t kTrimAfterClosedConnections = 16;

// A folder made for this run, removed with everything in it at exit.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() /
                           "pynq-remote-bitstreams-XXXXXX")
                              .string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary bitstream cache in " +
                               std::filesystem::temp_directory_path().string() +
                               ": " + std::strerror(errno));
    }
    path_ = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Board {
  std::shared_ptr<Backend> backend;
  ServiceOptions services;
  // Set when the cache lives in a folder made for this run.
  std::shared_ptr<TemporaryFolder> temporary_cache;
};

std::string choose_cache_dir(const ServerOptions& options, Board* board) {
  if (!options.cache_dir.empty()) return options.cache_dir;
  board->temporary_cache = std::make_shared<TemporaryFolder>();
  return board->temporary_cache->path();
}

std::shared_ptr<Backend> make_linux_backend(
    const ServerOptions& options,
    const std::optional<config::BoardConfig>& config, const Board& board) {
  LinuxBackendOptions linux_options;
  linux_options.mem_device = options.mem_device;
  linux_options.platform = options.platform;
  linux_options.config = config;
  linux_options.carveout = options.carveout;
  linux_options.firmware_dir = board.services.bitstream_cache->directory();
  return std::make_shared<LinuxBackend>(linux_options);
}

// Bytes one session may hold: --session-memory-limit (0: the whole
// memory), else the config's limit, else a share of the buffer memory so
// that one session cannot take it all.
uint64_t session_limit(const ServerOptions& options,
                       const std::optional<config::BoardConfig>& config,
                       Backend& backend) {
  if (options.session_memory_limit) return *options.session_memory_limit;
  if (config && config->buffer_pool().session_limit_bytes() != 0) {
    return config->buffer_pool().session_limit_bytes();
  }
  const BufferMemory* memory = backend.buffer_memory();
  return memory == nullptr ? 0 : memory->size() / kDefaultSessionShareDivisor;
}

Board make_board(const ServerOptions& options) {
  std::optional<config::BoardConfig> config;
  if (!options.config.empty()) config = load_board_config(options.config);
  Board board;
  board.services.bitstream_cache = std::make_shared<BitstreamCache>(
      choose_cache_dir(options, &board), options.cache_bytes);
  log_info("bitstream cache: " + board.services.bitstream_cache->directory() +
           " (budget " + std::to_string(options.cache_bytes) + " bytes)");
  if (options.backend == BackendKind::kSim) {
    board.backend = make_sim_backend(*config, options.config);
  } else {
    board.backend = make_linux_backend(options, config, board);
  }
  board.services.session_limit_bytes =
      session_limit(options, config, *board.backend);
  return board;
}

void log_buffer_memory(Backend& backend) {
  const BufferMemory* memory = backend.buffer_memory();
  if (memory == nullptr) {
    log_info("no buffer memory configured: buffers cannot be allocated");
    return;
  }
  log_info("buffer memory: " + std::to_string(memory->size()) + " bytes at " +
           to_hex(memory->base()) + " (" + memory->provider() + ")");
}

// "HOST:PORT" with the port the server really bound.
std::string bound_address(const std::string& listen, int port) {
  return listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port);
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

// Announces the server over mDNS when asked. A failure leaves the server
// serving: the board stays usable by its address.
std::unique_ptr<Announcer> start_announcer(const ServerOptions& options,
                                           std::shared_ptr<Backend> backend,
                                           int port) {
  if (!options.announce.value_or(false)) return nullptr;
  const BoardDescription description = backend->description();
  Announcement announcement;
  announcement.board = description.board;
  announcement.backend = description.backend;
  announcement.tls =
      !options.tls_cert.empty() || !options.credentials_dir.empty();
  AnnouncerOptions announcer;
  announcer.instance_name =
      options.mdns_name.empty()
          ? default_instance_name(description.board, host_name())
          : options.mdns_name;
  announcer.port = static_cast<uint16_t>(port);
  announcer.txt_record = [backend, announcement]() mutable {
    announcement.design = backend->fpga_state().design_name;
    return txt_record(announcement);
  };
  try {
    return std::make_unique<Announcer>(std::move(announcer));
  } catch (const std::exception& error) {
    log_warning(std::string(error.what()) + "; serving without announcing");
    return nullptr;
  }
}

// Why gRPC could not listen on `listen`: binding it ourselves tells
// whether another program holds the port.
std::string listen_failure(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), listen.substr(colon + 1).c_str(), &hints,
                    &found) != 0) {
    return "cannot listen on " + listen + ": the host does not resolve";
  }
  UniqueFd probe(::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  const bool bound =
      probe.valid() && ::bind(probe.get(), found->ai_addr, found->ai_addrlen) == 0;
  const int error = errno;
  ::freeaddrinfo(found);
  if (!bound && error == EADDRINUSE) {
    return "cannot listen on " + listen +
           ": the port is in use by another program (another "
           "pynq-remote-server?); stop it or choose another port";
  }
  return "cannot listen on " + listen +
         (bound ? std::string() : std::string(": ") + std::strerror(error));
}

// Limits that keep idle or half-open connections from holding descriptors
// and that make a second server on a used port fail instead of sharing it.
void add_connection_limits(grpc::ServerBuilder& builder) {
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             kMaxConcurrentStreams);
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                             kHandshakeTimeoutMs);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             kMaxConnectionIdleMs);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
}

void start_connection_limits() {
  const uint64_t file_limit = raise_file_limit();
  ConnectionLimits limits;
  limits.per_peer = kMaxConnectionsPerPeer;
  limits.total = static_cast<int>(std::min<uint64_t>(
      kMaxConnections,
      file_limit > 2 * kReservedDescriptors ? file_limit - kReservedDescriptors
                                            : file_limit / 2));
  start_connection_gate(limits);
  log_info("open file limit " + std::to_string(file_limit) + ": at most " +
           std::to_string(limits.total) + " connections, " +
           std::to_string(limits.per_peer) + " from one address");
}

// Gives the memory of a burst of closed connections back to the system:
// glibc keeps freed heap for reuse, so RSS would stay at the high-water
// mark of the burst. (The self check closes one connection per check.)
std::function<void()> trim_after_closed_connections() {
  return [trimmed_at = connection_counts().closed]() mutable {
    const uint64_t closed = connection_counts().closed;
    if (closed - trimmed_at < kTrimAfterClosedConnections) return;
    trimmed_at = closed;
    ::malloc_trim(0);
  };
}

// Blocked in every thread (gRPC's threads inherit the mask), so that only
// sigwait() in main sees them.
sigset_t block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// Serves until a signal: SIGINT or SIGTERM end the server (0 is returned),
// SIGHUP (sent by a completed pairing) makes it serve again with the
// credentials reloaded (kServeAgain) on the port bound the first time,
// which `options` then holds.
int serve(ServerOptions& options, const Board& board,
          const sigset_t& signals) {
  Security security = make_security(options);
  ServiceOptions services_options = board.services;
  services_options.authorizer = security.authorizer;
  services_options.pairing = security.pairing;
  services_options.on_paired = [] { ::kill(::getpid(), SIGHUP); };
  services_options.compat = options.compat != CompatMode::kOff;
  services_options.v1 = options.compat != CompatMode::kOnly;
  if (services_options.compat && !security.authorizer->is_open()) {
    log_warning(
        "--pynq-remote-compat: callers must authenticate on this server, "
        "which PYNQ.remote clients cannot do; their calls will be refused");
  }

  grpc::ServerBuilder builder;
  set_reflection(builder, security.authorizer->is_open() &&
                              is_loopback_listen(options.listen));
  int port = 0;
  builder.AddListeningPort(options.listen, security.credentials, &port);
  add_connection_limits(builder);
  grpc::ResourceQuota quota("pynq-remote-server");
  quota.SetMaxThreads(kMaxServerThreads);
  builder.SetResourceQuota(quota);
  const BoardDescription description = board.backend->description();
  auto services =
      register_all_services(builder, board.backend, services_options);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    log_error(listen_failure(options.listen));
    return kExitFailure;
  }
  mark_serving(*server, *services);
  options.listen = bound_address(options.listen, port);
  log_info("serving board '" + description.board + "' (" +
           description.platform + ") with the " + description.backend +
           " backend");
  log_security(options, security, options.listen);
  std::unique_ptr<Announcer> announcer =
      start_announcer(options, board.backend, port);
  auto listener_watch = std::make_unique<ListenerWatch>(
      options.listen, kListenerCheckPeriod, kListenerSilentChecks,
      trim_after_closed_connections());
  std::printf("pynq-remote-server listening on %s\n", options.listen.c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  log_info(std::string("received ") + strsignal(signal_number) +
           (signal_number == SIGHUP ? ", serving again" : ", shutting down"));
  listener_watch.reset();  // the listener closes on purpose now
  announcer.reset();  // the goodbye packets go out first
  services->begin_shutdown();
  server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  services->end_shutdown();
  server->Wait();
  return signal_number == SIGHUP ? kServeAgain : 0;
}

int run(int argc, char** argv) {
  ServerOptions options;
  try {
    options =
        parse_server_options(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const OptionError& error) {
    std::fprintf(stderr,
                 "pynq-remote-server: %s\nTry 'pynq-remote-server --help'.\n",
                 error.what());
    return kExitUsage;
  }
  if (options.help) {
    std::fputs(server_usage().c_str(), stdout);
    return 0;
  }
  set_log_level(options.log_level);
  const sigset_t signals = block_shutdown_signals();

  Board board;
  try {
    board = make_board(options);
  } catch (const ConfigError& error) {
    log_error(std::string("bad board config: ") + error.what());
    return kExitUsage;
  } catch (const std::exception& error) {
    log_error(error.what());
    return kExitFailure;
  }
  log_buffer_memory(*board.backend);
  start_connection_limits();
  try {
    int status = kServeAgain;
    while (status == kServeAgain) status = serve(options, board, signals);
    return status;
  } catch (const ConfigError& error) {
    log_error(error.what());
    return kExitUsage;
  } catch (const std::exception& error) {
    log_error(error.what());
    return kExitFailure;
  }
}

}  // namespace
}  // namespace pynq_remote

int main(int argc, char** argv) { return pynq_remote::run(argc, argv); }
