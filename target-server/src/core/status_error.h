// Errors inside the server travel as StatusError exceptions carrying the gRPC
// status code the client will see; run_rpc() turns them into grpc::Status.
#ifndef PYNQ_REMOTE_CORE_STATUS_ERROR_H_
#define PYNQ_REMOTE_CORE_STATUS_ERROR_H_

#include <grpcpp/grpcpp.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/log.h"

namespace pynq_remote {

class StatusError : public std::runtime_error {
 public:
  StatusError(grpc::StatusCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}

  grpc::StatusCode code() const { return code_; }
  grpc::Status status() const { return grpc::Status(code_, what()); }

 private:
  grpc::StatusCode code_;
};

// Runs one RPC body, a callable taking no arguments, and maps what it throws
// to a status: StatusError keeps its code, anything else is INTERNAL.
template <typename Body>
grpc::Status run_rpc(const char* method, grpc::ServerContextBase* context,
                     Body&& body) {
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED,
                        "the client cancelled the call");
  }
  grpc::Status status;
  try {
    std::forward<Body>(body)();
    return grpc::Status::OK;
  } catch (const StatusError& error) {
    status = error.status();
  } catch (const std::exception& error) {
    status = grpc::Status(grpc::StatusCode::INTERNAL, error.what());
  }
  if (log_enabled(LogLevel::kDebug)) {
    log_debug(std::string(method) + " failed with code " +
              std::to_string(status.error_code()) + ": " +
              status.error_message());
  }
  return status;
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_STATUS_ERROR_H_
