// The extension point: a user's own gRPC service, built into the server from
// a folder outside this tree (-DPYNQ_REMOTE_EXTENSIONS=dir1;dir2), served
// over the same backend, sessions and authorizer as the core services.
//
// An extension implements its generated Service class with a constructor
// taking `const ExtensionContext&`, and registers it with one line in its
// .cpp file:
//
//   PYNQ_REMOTE_EXTENSION(MyService, my_ext::v1::MyApi);
//
// Every RPC must check its caller first, as the core services do:
//
//   return pynq_remote::run_authorized(*context_.authorizer,
//       pynq_remote::Role::kReader, "Read", server_context, [&] { ... });
//
// See docs/extensions.md.
#ifndef PYNQ_REMOTE_EXTENSION_H_
#define PYNQ_REMOTE_EXTENSION_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "core/session_repository.h"
#include "core/status_error.h"

namespace pynq_remote {

// Set once when the server begins to shut down. Long-running streams wait
// on it instead of sleeping, so they end at once rather than at the end of
// the shutdown grace period. Thread safe.
class ShutdownSignal {
 public:
  void trigger();
  bool triggered() const;
  // Waits until `deadline` or the shutdown, whichever is first; true when
  // the server is shutting down.
  bool wait_until(std::chrono::steady_clock::time_point deadline) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool triggered_ = false;
};

// What the server gives an extension: the same objects the core services
// use, never copies.
struct ExtensionContext {
  // The board: MMIO (check addresses against backend->windows() first),
  // buffer memory, FPGA state, GPIO, interrupts. Its description().backend
  // is "linux" or "sim".
  std::shared_ptr<Backend> backend;
  // Client sessions; add_cleanup() releases what an extension holds for a
  // session when it ends.
  std::shared_ptr<SessionRepository> sessions;
  // Who may call what: pass it to run_authorized() in every RPC.
  std::shared_ptr<const Authorizer> authorizer = Authorizer::open();
  std::shared_ptr<const ShutdownSignal> shutdown =
      std::make_shared<ShutdownSignal>();
};

using ExtensionFactory =
    std::function<std::unique_ptr<grpc::Service>(const ExtensionContext&)>;

struct ExtensionEntry {
  std::string service_name;  // full gRPC name, e.g. "my_ext.v1.MyApi"
  ExtensionFactory make;
};

// Adds an extension to those the server registers; returns true, so a
// static can hold the result. Use PYNQ_REMOTE_EXTENSION rather than this.
bool register_extension(const char* service_name, ExtensionFactory make);

// The extensions linked into this binary, in registration order.
const std::vector<ExtensionEntry>& registered_extensions();

}  // namespace pynq_remote

#define PYNQ_REMOTE_EXTENSION_CONCAT_(a, b) a##b
#define PYNQ_REMOTE_EXTENSION_NAME_(line) \
  PYNQ_REMOTE_EXTENSION_CONCAT_(pynq_remote_extension_registered_, line)

// Registers `Impl`, a class implementing `Generated::Service` with a
// constructor taking `const pynq_remote::ExtensionContext&`. Use once per
// service, at namespace scope in a .cpp file.
#define PYNQ_REMOTE_EXTENSION(Impl, Generated)                               \
  static_assert(std::is_base_of<Generated::Service, Impl>::value,            \
                #Impl " must implement " #Generated "::Service");            \
  static const bool PYNQ_REMOTE_EXTENSION_NAME_(__LINE__) =                  \
      ::pynq_remote::register_extension(                                     \
          Generated::service_full_name(),                                    \
          [](const ::pynq_remote::ExtensionContext& context)                 \
              -> std::unique_ptr<::grpc::Service> {                          \
            return std::make_unique<Impl>(context);                          \
          })

#endif  // PYNQ_REMOTE_EXTENSION_H_
