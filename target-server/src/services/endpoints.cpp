#include "services/endpoints.h"

#include <google/protobuf/arena.h>

#include <memory>
#include <system_error>
#include <thread>
#include <utility>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

class BatchOnArena final
    : public grpc::MessageHolder<v1::BatchRequest, v1::BatchResponse> {
 public:
  BatchOnArena() {
    set_request(
        google::protobuf::Arena::CreateMessage<v1::BatchRequest>(&arena_));
    set_response(
        google::protobuf::Arena::CreateMessage<v1::BatchResponse>(&arena_));
  }
  void Release() override { delete this; }

 private:
  google::protobuf::Arena arena_;
};

}  // namespace

grpc::MessageHolder<v1::BatchRequest, v1::BatchResponse>*
BatchArenas::AllocateMessages() {
  return new BatchOnArena();
}

void WaitingThreads::start(std::function<void()> work) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::thread([this, work = std::move(work)] {
    work();
    std::lock_guard<std::mutex> done(mutex_);
    if (--running_ == 0) none_.notify_all();
  }).detach();
  ++running_;
}

void WaitingThreads::wait_until_none() {
  std::unique_lock<std::mutex> lock(mutex_);
  none_.wait(lock, [this] { return running_ == 0; });
}

grpc::ServerUnaryReactor* MmioEndpoint::Batch(
    grpc::CallbackServerContext* context, const v1::BatchRequest* request,
    v1::BatchResponse* response) {
  if (!MmioService::may_wait(*request)) {
    return finish_now(
        context, [&] { return handlers_->Batch(context, request, response); });
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::unique_ptr<Authorizer::LongCall> place;
  grpc::Status status = run_rpc("Batch", context, [&] {
    place = handlers_->admit_waiting_batch(context, *request);
  });
  int next_step = 0;
  if (status.ok()) {
    status = handlers_->start_admitted_batch(context, request, response,
                                             &next_step);
  }
  if (!status.ok() || next_step == request->steps_size()) {
    place.reset();
    reactor->Finish(status);
    return reactor;
  }
  // A poll missed at its first look: the rest waits on a thread of its own.
  auto shared_place =
      std::make_shared<std::unique_ptr<Authorizer::LongCall>>(std::move(place));
  try {
    waiting_.start([handlers = handlers_, context, request, response, reactor,
                    shared_place, next_step] {
      grpc::Status rest = handlers->finish_admitted_batch(
          context, request, response, next_step);
      shared_place->reset();  // the caller may poll again once answered
      reactor->Finish(std::move(rest));
    });
  } catch (const std::system_error& error) {
    reactor->Finish(grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        std::string("Batch: no thread to poll on: ") + error.what()));
  }
  return reactor;
}

}  // namespace pynq_remote
