// pynq-remote-server: serves the pynq-remote gRPC API for one board.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "backends/linux_backend.h"
#include "backends/sim_backend.h"
#include "core/board_config.h"
#include "core/log.h"
#include "server_options.h"
#include "services/service_registrar.h"

namespace pynq_remote {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr std::chrono::seconds kShutdownGrace(5);

std::shared_ptr<Backend> make_backend(const ServerOptions& options) {
  if (options.backend == BackendKind::kSim) {
    return load_sim_backend(options.config);
  }
  LinuxBackendOptions linux_options;
  linux_options.mem_device = options.mem_device;
  linux_options.platform = options.platform;
  if (!options.config.empty()) {
    linux_options.config = load_board_config(options.config);
  }
  return std::make_shared<LinuxBackend>(linux_options);
}

// "HOST:PORT" with the port the server really bound.
std::string bound_address(const std::string& listen, int port) {
  return listen.substr(0, listen.rfind(':')) + ":" + std::to_string(port);
}

// Blocked in every thread (gRPC's threads inherit the mask), so that only
// sigwait() in main sees them.
sigset_t block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int serve(const ServerOptions& options, std::shared_ptr<Backend> backend,
          const sigset_t& signals) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &port);
  const BoardDescription board = backend->description();
  auto services = register_all_services(builder, std::move(backend));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    log_error("cannot listen on " + options.listen);
    return kExitFailure;
  }
  mark_serving(*server);
  log_info("serving board '" + board.board + "' (" + board.platform +
           ") with the " + board.backend + " backend");
  std::printf("pynq-remote-server listening on %s\n",
              bound_address(options.listen, port).c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  log_info(std::string("received ") + strsignal(signal_number) +
           ", shutting down");
  server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  server->Wait();
  return 0;
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

  std::shared_ptr<Backend> backend;
  try {
    backend = make_backend(options);
  } catch (const ConfigError& error) {
    log_error(std::string("bad board config: ") + error.what());
    return kExitUsage;
  } catch (const std::exception& error) {
    log_error(error.what());
    return kExitFailure;
  }
  return serve(options, std::move(backend), signals);
}

}  // namespace
}  // namespace pynq_remote

int main(int argc, char** argv) { return pynq_remote::run(argc, argv); }
