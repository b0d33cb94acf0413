#include "services/interrupt_service.h"

#include <utility>
#include <vector>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

StatusError cancelled() {
  return StatusError(grpc::StatusCode::CANCELLED,
                     "the client cancelled the call");
}

// Ends a subscription however the stream ends.
class Unsubscriber {
 public:
  Unsubscriber(InterruptHub& hub,
               std::shared_ptr<InterruptHub::Subscription> subscription)
      : hub_(hub), subscription_(std::move(subscription)) {}
  ~Unsubscriber() { hub_.unsubscribe(subscription_); }
  Unsubscriber(const Unsubscriber&) = delete;
  Unsubscriber& operator=(const Unsubscriber&) = delete;

 private:
  InterruptHub& hub_;
  std::shared_ptr<InterruptHub::Subscription> subscription_;
};

}  // namespace

InterruptService::InterruptService(std::shared_ptr<Backend> backend,
                                   std::shared_ptr<SessionRepository> sessions,
                                   std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(std::move(authorizer)),
      backend_(std::move(backend)),
      sessions_(std::move(sessions)),
      hub_(std::make_shared<InterruptHub>(backend_->interrupts())) {
  // The hub reaches the backend's lines: the cleanup keeps both alive.
  sessions_->add_cleanup(
      [hub = hub_, backend = backend_](const std::string& session_id) {
        return hub->end_session(session_id);
      });
}

grpc::Status InterruptService::watch_interrupts(
    grpc::ServerContext* context, const v1::WatchInterruptsRequest* request,
    grpc::ServerWriterInterface<v1::WatchInterruptsResponse>* writer) {
  return run_long_authorized(*authorizer_, Role::kReader, "WatchInterrupts", context, [&] {
    const SessionInfo session = sessions_->find(request->session_id());
    const std::vector<uint32_t> lines(request->lines().begin(),
                                      request->lines().end());
    std::shared_ptr<InterruptHub::Subscription> subscription =
        hub_->subscribe(session, lines, request->auto_acknowledge());
    Unsubscriber unsubscriber(*hub_, subscription);
    // A session that ended while subscribing took no cleanup of this one.
    sessions_->find(request->session_id());

    v1::WatchInterruptsResponse started;
    started.mutable_started()->set_subscription_id(subscription->id());
    if (!writer->Write(started)) throw cancelled();
    v1::WatchInterruptsResponse message;
    v1::InterruptEvent* event = message.mutable_event();
    while (true) {
      if (context->IsCancelled()) throw cancelled();
      const std::vector<InterruptEventRecord> events =
          hub_->take(*subscription, kCancelCheck);
      if (hub_->ended(*subscription)) {
        throw StatusError(grpc::StatusCode::UNAVAILABLE,
                          "the interrupt subscription ended: its session "
                          "closed or the server is stopping");
      }
      for (const InterruptEventRecord& record : events) {
        event->set_line(record.line);
        event->set_count(record.count);
        event->set_timestamp_unix_ns(record.timestamp_unix_ns);
        if (!writer->Write(message)) throw cancelled();
        if (subscription->auto_acknowledge()) {
          hub_->acknowledge(*subscription, record.line);
        }
      }
    }
  });
}

grpc::Status InterruptService::AcknowledgeInterrupt(
    grpc::ServerContext* context,
    const v1::AcknowledgeInterruptRequest* request,
    v1::AcknowledgeInterruptResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kReader, "AcknowledgeInterrupt", context, [&] {
    hub_->acknowledge(request->session_id(), request->subscription_id(),
                      request->line());
  });
}

grpc::Status InterruptService::ListInterruptSubscriptions(
    grpc::ServerContext* context,
    const v1::ListInterruptSubscriptionsRequest* /*request*/,
    v1::ListInterruptSubscriptionsResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "ListInterruptSubscriptions", context, [&] {
    InterruptLines* lines = backend_->interrupts();
    if (lines != nullptr) {
      for (uint32_t line : lines->available()) {
        response->add_available_lines(line);
      }
      response->set_open_lines(static_cast<uint32_t>(lines->open_lines()));
      response->set_reader_threads(
          static_cast<uint32_t>(lines->reader_threads()));
    }
    for (const InterruptSubscriptionInfo& info : hub_->list()) {
      v1::InterruptSubscription* out = response->add_subscriptions();
      out->set_subscription_id(info.id);
      out->set_session_label(short_session_id(info.session_id));
      out->set_client_name(info.client_name);
      for (uint32_t line : info.lines) out->add_lines(line);
      out->set_events_sent(info.events_sent);
      out->set_auto_acknowledge(info.auto_acknowledge);
    }
  });
}

}  // namespace pynq_remote
