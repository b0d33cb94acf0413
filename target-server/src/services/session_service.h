// pynq_remote.v1.SessionService: client sessions and their leases.
#ifndef PYNQ_REMOTE_SERVICES_SESSION_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_SESSION_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "core/authorizer.h"
#include "core/session_repository.h"
#include "pynq_remote/v1/session.grpc.pb.h"

namespace pynq_remote {

class SessionService final : public v1::SessionService::Service {
 public:
  explicit SessionService(
      std::shared_ptr<SessionRepository> sessions,
      std::shared_ptr<const Authorizer> authorizer = Authorizer::open());

  grpc::Status OpenSession(grpc::ServerContext* context,
                           const v1::OpenSessionRequest* request,
                           v1::OpenSessionResponse* response) override;
  grpc::Status RenewSession(grpc::ServerContext* context,
                            const v1::RenewSessionRequest* request,
                            v1::RenewSessionResponse* response) override;
  grpc::Status CloseSession(grpc::ServerContext* context,
                            const v1::CloseSessionRequest* request,
                            v1::CloseSessionResponse* response) override;

 private:
  std::shared_ptr<const Authorizer> authorizer_;
  std::shared_ptr<SessionRepository> sessions_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_SESSION_SERVICE_H_
