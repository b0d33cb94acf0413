#include "services/session_service.h"

#include <chrono>
#include <utility>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

uint32_t to_wire(std::chrono::milliseconds lease) {
  return static_cast<uint32_t>(lease.count());
}

}  // namespace

SessionService::SessionService(std::shared_ptr<SessionRepository> sessions,
                               std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(std::move(authorizer)), sessions_(std::move(sessions)) {}

grpc::Status SessionService::OpenSession(grpc::ServerContext* context,
                                         const v1::OpenSessionRequest* request,
                                         v1::OpenSessionResponse* response) {
  return run_rpc("OpenSession", context, [&] {
    const Caller caller =
        authorizer_->require(*context, Role::kReader, "OpenSession");
    // Callers of an open server are its own machine's, all operators: the
    // cap per caller is for those who authenticated, readers among them.
    const SessionInfo session = sessions_->open(
        request->client_name(), std::chrono::milliseconds(request->lease_ms()),
        authorizer_->is_open() ? std::string() : caller.identity);
    response->set_session_id(session.id);
    response->set_lease_ms(to_wire(session.lease));
  });
}

grpc::Status SessionService::RenewSession(
    grpc::ServerContext* context, const v1::RenewSessionRequest* request,
    v1::RenewSessionResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "RenewSession", context, [&] {
    response->set_lease_ms(to_wire(sessions_->renew(request->session_id())));
  });
}

grpc::Status SessionService::CloseSession(
    grpc::ServerContext* context, const v1::CloseSessionRequest* request,
    v1::CloseSessionResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kReader, "CloseSession", context,
                 [&] { sessions_->close(request->session_id()); });
}

}  // namespace pynq_remote
