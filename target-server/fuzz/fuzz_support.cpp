#include "fuzz_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "core/board_config.h"
#include "core/limits.h"
#include "core/log.h"
#include "services/mmio_service.h"

namespace pynq_remote {
namespace fuzz {

void quiet_logs() {
  static std::once_flag once;
  std::call_once(once, [] { set_log_level(LogLevel::kError); });
}

std::shared_ptr<SimBackend> make_board(const std::string& clock_platform) {
  // Parsed once: the file is the same for every input.
  static const config::BoardConfig base = load_board_config(
      PYNQ_REMOTE_SOURCE_CONFIG_DIR "/sim-board.textproto");
  config::BoardConfig config = base;
  config.mutable_buffer_pool()->set_base_address(kPoolBase);
  config.mutable_buffer_pool()->set_size(kPoolBytes);
  config.set_clock_platform(clock_platform);
  return std::make_shared<SimBackend>(config);
}

void check_status(const char* method, const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return;
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNAUTHENTICATED:
      check(!status.error_message().empty(),
            std::string(method) + " failed with code " +
                std::to_string(status.error_code()) + " and no message");
      return;
    default:
      check(false, std::string(method) + " failed with unexpected code " +
                       std::to_string(status.error_code()) + ": " +
                       status.error_message());
  }
}

void check(bool condition, const std::string& what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what.c_str());
  std::abort();
}

uint32_t client_takes(uint32_t requested) {
  return requested == 0 || requested > kMaxClientTakes ? kMaxClientTakes
                                                       : requested;
}

void bound_batch(v1::BatchRequest* batch) {
  for (v1::BatchStep& step : *batch->mutable_steps()) {
    if (!step.has_poll()) continue;
    v1::PollStep* poll = step.mutable_poll();
    if (poll->timeout_ms() <= kMaxPollTimeoutMs) {
      poll->set_timeout_ms(std::min<uint32_t>(poll->timeout_ms(), 2));
    }
    poll->set_interval_us(std::min<uint32_t>(poll->interval_us(), 100));
  }
}

struct MmioRunner::Impl {
  explicit Impl(std::shared_ptr<Backend> backend)
      : service(std::move(backend)) {}
  MmioService service;
};

MmioRunner::MmioRunner(std::shared_ptr<Backend> backend)
    : impl_(std::make_unique<Impl>(std::move(backend))) {}

MmioRunner::~MmioRunner() = default;

void MmioRunner::run(const MmioCall& call) {
  MmioService& service = impl_->service;
  grpc::ServerContext context;
  switch (call.call_case()) {
    case MmioCall::kRead: {
      v1::ReadResponse response;
      check_status("Read", service.Read(&context, &call.read(), &response));
      break;
    }
    case MmioCall::kWrite: {
      v1::WriteResponse response;
      check_status("Write", service.Write(&context, &call.write(), &response));
      break;
    }
    case MmioCall::kReadBlock: {
      v1::ReadBlockResponse response;
      const grpc::Status status =
          service.ReadBlock(&context, &call.read_block(), &response);
      check_status("ReadBlock", status);
      if (status.ok()) {
        const unsigned width = 1u << (call.read_block().width() - 1);
        check(response.data().size() == call.read_block().count() * width,
              "ReadBlock answered " + std::to_string(response.data().size()) +
                  " bytes for " + std::to_string(call.read_block().count()) +
                  " words of " + std::to_string(width) + " bytes");
      }
      break;
    }
    case MmioCall::kWriteBlock: {
      v1::WriteBlockResponse response;
      check_status("WriteBlock",
                   service.WriteBlock(&context, &call.write_block(), &response));
      break;
    }
    case MmioCall::kBatch: {
      v1::BatchRequest batch = call.batch();
      bound_batch(&batch);
      v1::BatchResponse response;
      const grpc::Status status = service.Batch(&context, &batch, &response);
      check_status("Batch", status);
      if (status.ok()) {
        check(response.values_size() == batch.steps_size(),
              "Batch answered " + std::to_string(response.values_size()) +
                  " values for " + std::to_string(batch.steps_size()) +
                  " steps");
      }
      break;
    }
    case MmioCall::CALL_NOT_SET:
      break;
  }
}

}  // namespace fuzz
}  // namespace pynq_remote
