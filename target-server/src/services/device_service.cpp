#include "services/device_service.h"

#include <sys/utsname.h>

#include <algorithm>
#include <string>
#include <utility>

#include "core/limits.h"
#include "core/status_error.h"
#include "services/fpga_state_proto.h"

namespace pynq_remote {
namespace {

void fill_system(v1::GetInfoResponse* response) {
  struct utsname names {};
  if (::uname(&names) == 0) {
    response->set_kernel_release(names.release);
    response->set_architecture(names.machine);
  }
}

void fill_limits(v1::Limits* limits) {
  limits->set_max_message_bytes(kMaxMessageBytes);
  limits->set_max_burst_words(kMaxBurstWords);
  limits->set_max_batch_steps(kMaxBatchSteps);
  limits->set_max_poll_timeout_ms(kMaxPollTimeoutMs);
  limits->set_max_link_test_bytes(kMaxLinkTestBytes);
}

uint64_t checked_chunk_size(uint64_t chunk_size) {
  if (chunk_size == 0) return kDefaultLinkTestChunkBytes;
  if (chunk_size > kMaxMessageBytes / 2) {
    throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                      "chunk_size " + std::to_string(chunk_size) +
                          " exceeds the limit of " +
                          std::to_string(kMaxMessageBytes / 2) +
                          " bytes (half the largest message)");
  }
  return chunk_size;
}

void check_link_test_size(uint64_t size) {
  if (size <= kMaxLinkTestBytes) return;
  throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                    "size " + std::to_string(size) + " exceeds the limit of " +
                        std::to_string(kMaxLinkTestBytes) +
                        " bytes per link test");
}

StatusError cancelled() {
  return StatusError(grpc::StatusCode::CANCELLED,
                     "the client cancelled the call");
}

}  // namespace

DeviceService::DeviceService(std::shared_ptr<Backend> backend,
                             bool bitstreams,
                             std::shared_ptr<const Authorizer> authorizer,
                             std::vector<std::string> extensions)
    : authorizer_(std::move(authorizer)),
      backend_(std::move(backend)),
      bitstreams_(bitstreams),
      extensions_(std::move(extensions)) {}

grpc::Status DeviceService::GetInfo(grpc::ServerContextBase* context,
                                    const v1::GetInfoRequest* /*request*/,
                                    v1::GetInfoResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "GetInfo", context, [&] {
    const BoardDescription board = backend_->description();
    response->set_server_version(PYNQ_REMOTE_VERSION);
    response->set_api_version("v1");
    response->set_board(board.board);
    response->set_platform(board.platform);
    response->set_backend(board.backend);
    fill_system(response);
    fill_limits(response->mutable_limits());
    for (const char* capability :
         {"mmio", "mmio.block", "mmio.batch", "sessions", "link_test"}) {
      response->add_capabilities(capability);
    }
    if (backend_->pl_clocks() != nullptr) {
      response->add_capabilities("clocks");
    }
    if (backend_->buffer_memory() != nullptr) {
      response->add_capabilities("buffers");
    }
    if (bitstreams_) response->add_capabilities("bitstreams");
    if (backend_->gpio() != nullptr) response->add_capabilities("gpio");
    if (backend_->interrupts() != nullptr) {
      response->add_capabilities("interrupts");
    }
    const std::shared_ptr<const MmioWindows> windows = backend_->windows();
    for (const MmioWindow& window : windows->list()) {
      v1::MmioWindow* out = response->add_mmio_windows();
      out->set_name(window.name);
      out->set_base_address(window.base);
      out->set_size(window.size);
    }
    to_proto(backend_->fpga_state(), response->mutable_fpga());
    response->set_server_time_unix_ms(unix_ms_now());
    for (const std::string& name : extensions_) response->add_extensions(name);
  });
}

grpc::Status DeviceService::Echo(grpc::ServerContextBase* context,
                                 const v1::EchoRequest* /*request*/,
                                 v1::EchoResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kReader, "Echo", context, [] {});
}

grpc::Status DeviceService::sink_bytes(
    grpc::ServerContext* context,
    grpc::ServerReaderInterface<v1::SinkBytesRequest>* reader,
    v1::SinkBytesResponse* response) {
  return run_long_authorized(*authorizer_, Role::kReader, "SinkBytes", context, [&] {
    v1::SinkBytesRequest message;
    uint64_t received = 0;
    while (reader->Read(&message)) received += message.data().size();
    if (context->IsCancelled()) throw cancelled();
    response->set_bytes_received(received);
  });
}

grpc::Status DeviceService::source_bytes(
    grpc::ServerContext* context, const v1::SourceBytesRequest* request,
    grpc::ServerWriterInterface<v1::SourceBytesResponse>* writer) {
  return run_long_authorized(*authorizer_, Role::kReader, "SourceBytes", context, [&] {
    check_link_test_size(request->size());
    const uint64_t chunk_size = checked_chunk_size(request->chunk_size());
    // One message of zeros, sent again and again; only the last is cut.
    v1::SourceBytesResponse chunk;
    chunk.mutable_data()->assign(
        static_cast<size_t>(std::min(chunk_size, request->size())), '\0');
    for (uint64_t sent = 0; sent < request->size();) {
      if (context->IsCancelled()) throw cancelled();
      const uint64_t bytes = std::min(chunk_size, request->size() - sent);
      chunk.mutable_data()->resize(static_cast<size_t>(bytes));
      if (!writer->Write(chunk)) throw cancelled();
      sent += bytes;
    }
  });
}

}  // namespace pynq_remote
