// What gRPC serves for the services whose calls are the per-call latency of
// register code: MmioService, DeviceService and PYNQ.remote's mmio.Mmio.
//
// Their unary methods run on gRPC's callback API: the call runs on the
// thread that read it. The synchronous API hands each call to one of the
// server's handler threads, a thread wake-up that cost ~50 us of a ~250 us
// loopback call on a 2-core machine (docs/performance.md). gRPC's threads
// must never wait: a Batch that polls takes one of the long calls' places
// from the authorizer, runs until a poll misses at its first look, and
// waits for the rest on a thread of its own; the link test's streams stay
// on the synchronous pool, which the server's ResourceQuota bounds. A Batch's request lives on a protobuf arena: its
// thousands of steps were one malloc and free each.
#ifndef PYNQ_REMOTE_SERVICES_ENDPOINTS_H_
#define PYNQ_REMOTE_SERVICES_ENDPOINTS_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/message_allocator.h>

#include <condition_variable>
#include <functional>
#include <mutex>

#include "compat/mmio_adapter.h"
#include "pynq_remote/v1/device.grpc.pb.h"
#include "pynq_remote/v1/mmio.grpc.pb.h"
#include "pynq_remote_compat/mmio.grpc.pb.h"
#include "services/device_service.h"
#include "services/mmio_service.h"

namespace pynq_remote {

// Ends a callback call with the status `handler` returns; the handler has
// already filled in the response.
template <typename Handler>
grpc::ServerUnaryReactor* finish_now(grpc::CallbackServerContext* context,
                                     Handler&& handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(handler());
  return reactor;
}

// Puts each Batch's request and response on an arena of their own.
class BatchArenas final
    : public grpc::MessageAllocator<v1::BatchRequest, v1::BatchResponse> {
 public:
  grpc::MessageHolder<v1::BatchRequest, v1::BatchResponse>* AllocateMessages()
      override;
};

// The threads that waiting batches run on: started one per batch, counted
// so that the server can wait for them before it goes.
class WaitingThreads final {
 public:
  ~WaitingThreads() { wait_until_none(); }
  // Runs `work` on a new thread; std::system_error if there is none.
  void start(std::function<void()> work);
  void wait_until_none();

 private:
  std::mutex mutex_;
  std::condition_variable none_;
  int running_ = 0;
};

class MmioEndpoint final : public v1::MmioService::CallbackService {
 public:
  explicit MmioEndpoint(MmioService* handlers) : handlers_(handlers) {
    SetMessageAllocatorFor_Batch(&arenas_);
  }
  // Waits until every batch that polls has finished its call. Call after
  // Server::Shutdown, which cancels them, and before the server goes.
  void wait_for_waiting_batches() { waiting_.wait_until_none(); }

  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* context,
                                 const v1::ReadRequest* request,
                                 v1::ReadResponse* response) override {
    return finish_now(
        context, [&] { return handlers_->Read(context, request, response); });
  }
  grpc::ServerUnaryReactor* Write(grpc::CallbackServerContext* context,
                                  const v1::WriteRequest* request,
                                  v1::WriteResponse* response) override {
    return finish_now(
        context, [&] { return handlers_->Write(context, request, response); });
  }
  grpc::ServerUnaryReactor* ReadBlock(grpc::CallbackServerContext* context,
                                      const v1::ReadBlockRequest* request,
                                      v1::ReadBlockResponse* response) override {
    return finish_now(context, [&] {
      return handlers_->ReadBlock(context, request, response);
    });
  }
  grpc::ServerUnaryReactor* WriteBlock(grpc::CallbackServerContext* context,
                                       const v1::WriteBlockRequest* request,
                                       v1::WriteBlockResponse* response) override {
    return finish_now(context, [&] {
      return handlers_->WriteBlock(context, request, response);
    });
  }
  grpc::ServerUnaryReactor* Batch(grpc::CallbackServerContext* context,
                                  const v1::BatchRequest* request,
                                  v1::BatchResponse* response) override;

 private:
  MmioService* handlers_;
  BatchArenas arenas_;
  WaitingThreads waiting_;
};

class DeviceEndpoint final
    : public v1::DeviceService::WithCallbackMethod_GetInfo<
          v1::DeviceService::WithCallbackMethod_Echo<
              v1::DeviceService::Service>> {
 public:
  explicit DeviceEndpoint(DeviceService* handlers) : handlers_(handlers) {}

  grpc::ServerUnaryReactor* GetInfo(grpc::CallbackServerContext* context,
                                    const v1::GetInfoRequest* request,
                                    v1::GetInfoResponse* response) override {
    return finish_now(context, [&] {
      return handlers_->GetInfo(context, request, response);
    });
  }
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const v1::EchoRequest* request,
                                 v1::EchoResponse* response) override {
    return finish_now(
        context, [&] { return handlers_->Echo(context, request, response); });
  }
  grpc::Status SinkBytes(grpc::ServerContext* context,
                         grpc::ServerReader<v1::SinkBytesRequest>* reader,
                         v1::SinkBytesResponse* response) override {
    return handlers_->sink_bytes(context, reader, response);
  }
  grpc::Status SourceBytes(
      grpc::ServerContext* context, const v1::SourceBytesRequest* request,
      grpc::ServerWriter<v1::SourceBytesResponse>* writer) override {
    return handlers_->source_bytes(context, request, writer);
  }

 private:
  DeviceService* handlers_;
};

class CompatMmioEndpoint final : public ::mmio::Mmio::CallbackService {
 public:
  explicit CompatMmioEndpoint(MmioAdapter* handlers) : handlers_(handlers) {}

  grpc::ServerUnaryReactor* get_mmio(grpc::CallbackServerContext* context,
                                     const ::mmio::GetMmioRequest* request,
                                     ::mmio::GetMmioResponse* response) override {
    return finish_now(context, [&] {
      return handlers_->get_mmio(context, request, response);
    });
  }
  grpc::ServerUnaryReactor* read(grpc::CallbackServerContext* context,
                                 const ::mmio::ReadRequest* request,
                                 ::mmio::ReadResponse* response) override {
    return finish_now(
        context, [&] { return handlers_->read(context, request, response); });
  }
  grpc::ServerUnaryReactor* write(grpc::CallbackServerContext* context,
                                  const ::mmio::WriteRequest* request,
                                  ::mmio::WriteResponse* response) override {
    return finish_now(
        context, [&] { return handlers_->write(context, request, response); });
  }

 private:
  MmioAdapter* handlers_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_ENDPOINTS_H_
