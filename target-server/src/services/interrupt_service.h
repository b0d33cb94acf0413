// pynq_remote.v1.InterruptService: interrupt events streamed to subscribers,
// which belong to sessions.
#ifndef PYNQ_REMOTE_SERVICES_INTERRUPT_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_INTERRUPT_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "core/interrupt_hub.h"
#include "core/session_repository.h"
#include "pynq_remote/v1/interrupt.grpc.pb.h"

namespace pynq_remote {

class InterruptService final : public v1::InterruptService::Service {
 public:
  // Registers a cleanup on `sessions` that ends the subscriptions of a
  // session that ends.
  InterruptService(
      std::shared_ptr<Backend> backend,
      std::shared_ptr<SessionRepository> sessions,
      std::shared_ptr<const Authorizer> authorizer = Authorizer::open());

  grpc::Status WatchInterrupts(
      grpc::ServerContext* context, const v1::WatchInterruptsRequest* request,
      grpc::ServerWriter<v1::WatchInterruptsResponse>* writer) override {
    return watch_interrupts(context, request, writer);
  }
  grpc::Status AcknowledgeInterrupt(
      grpc::ServerContext* context,
      const v1::AcknowledgeInterruptRequest* request,
      v1::AcknowledgeInterruptResponse* response) override;
  grpc::Status ListInterruptSubscriptions(
      grpc::ServerContext* context,
      const v1::ListInterruptSubscriptionsRequest* request,
      v1::ListInterruptSubscriptionsResponse* response) override;

  // The stream RPC over the writer interface, which tests implement.
  grpc::Status watch_interrupts(
      grpc::ServerContext* context, const v1::WatchInterruptsRequest* request,
      grpc::ServerWriterInterface<v1::WatchInterruptsResponse>* writer);

  // Ends every stream (server shutdown), so none holds the server up.
  void end_all() { hub_->end_all(); }

  // How often a waiting stream checks whether its client went away.
  static constexpr std::chrono::milliseconds kCancelCheck{50};

 private:
  std::shared_ptr<const Authorizer> authorizer_;
  std::shared_ptr<Backend> backend_;
  std::shared_ptr<SessionRepository> sessions_;
  std::shared_ptr<InterruptHub> hub_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_INTERRUPT_SERVICE_H_
