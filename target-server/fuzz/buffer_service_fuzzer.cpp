// libFuzzer target: BufferService (AllocateBuffer, WriteBuffer, ReadBuffer,
// SyncBuffer, FreeBuffer, ListBuffers) with sessions opened and closed in
// between, on the sim board's 1 MiB buffer pool. Input: a BufferInput
// message; session_slot picks sessions opened earlier. After the calls,
// closing every session must give the whole pool back.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/session_repository.h"
#include "core/status_error.h"
#include "fuzz_support.h"
#include "services/buffer_service.h"
#include "unit/fake_streams.h"

namespace pynq_remote {
namespace fuzz {
namespace {

class Run {
 public:
  explicit Run(uint64_t session_limit_bytes)
      : sessions_(std::make_shared<SessionRepository>()),
        service_(make_board(), sessions_, session_limit_bytes) {}

  void call(const BufferCall& call) {
    slot_ = call.session_slot();
    grpc::ServerContext context;
    switch (call.call_case()) {
      case BufferCall::kOpenSession: {
        // The longest lease, so no session ends during a slow run.
        opened_.push_back(sessions_->open(call.open_session().client_name(),
                                          std::chrono::minutes(10))
                              .id);
        break;
      }
      case BufferCall::kCloseSession: {
        const std::string id = session_id(call.close_session().session_id());
        try {
          sessions_->close(id);
        } catch (const StatusError& error) {
          check_status("CloseSession", error.status());
        }
        break;
      }
      case BufferCall::kAllocate: {
        v1::AllocateBufferRequest request = call.allocate();
        request.set_session_id(session_id(request.session_id()));
        v1::AllocateBufferResponse response;
        const grpc::Status status =
            service_.AllocateBuffer(&context, &request, &response);
        check_status("AllocateBuffer", status);
        if (status.ok()) check_allocated(request, response.buffer());
        break;
      }
      case BufferCall::kWrite: {
        std::vector<v1::WriteBufferRequest> messages(
            call.write().messages().begin(), call.write().messages().end());
        if (slot_ != 0) {
          for (auto& message : messages) {
            message.set_session_id(session_id(message.session_id()));
          }
        }
        FakeReader<v1::WriteBufferRequest> reader(std::move(messages));
        v1::WriteBufferResponse response;
        check_status("WriteBuffer",
                     service_.write_buffer(&context, &reader, &response));
        break;
      }
      case BufferCall::kRead: {
        v1::ReadBufferRequest request = call.read().request();
        request.set_session_id(session_id(request.session_id()));
        ClientWriter<v1::ReadBufferResponse> writer(
            client_takes(call.read().client_takes()));
        const grpc::Status status =
            service_.read_buffer(&context, &request, &writer);
        check_status("ReadBuffer", status);
        if (status.ok() && request.length() != 0) {
          check(writer.bytes() >= request.length(),
                "ReadBuffer sent fewer bytes than asked");
        }
        break;
      }
      case BufferCall::kSync: {
        v1::SyncBufferRequest request = call.sync();
        request.set_session_id(session_id(request.session_id()));
        v1::SyncBufferResponse response;
        check_status("SyncBuffer",
                     service_.SyncBuffer(&context, &request, &response));
        break;
      }
      case BufferCall::kFree: {
        v1::FreeBufferRequest request = call.free();
        request.set_session_id(session_id(request.session_id()));
        v1::FreeBufferResponse response;
        check_status("FreeBuffer",
                     service_.FreeBuffer(&context, &request, &response));
        break;
      }
      case BufferCall::kList: {
        list();
        break;
      }
      case BufferCall::CALL_NOT_SET:
        break;
    }
  }

  // Every session closed, nothing may remain allocated.
  void finish() {
    sessions_->close_all();
    const v1::ListBuffersResponse listed = list();
    check(listed.buffers_size() == 0,
          std::to_string(listed.buffers_size()) +
              " buffers left after every session closed");
    check(listed.pool().free_bytes() == listed.pool().size(),
          std::to_string(listed.pool().size() - listed.pool().free_bytes()) +
              " bytes of the pool left allocated after every session closed");
  }

 private:
  std::string session_id(const std::string& own) const {
    if (slot_ == 0 || opened_.empty()) return own;
    return opened_[(slot_ - 1) % opened_.size()];
  }

  v1::ListBuffersResponse list() {
    grpc::ServerContext context;
    v1::ListBuffersRequest request;
    v1::ListBuffersResponse response;
    const grpc::Status status =
        service_.ListBuffers(&context, &request, &response);
    check_status("ListBuffers", status);
    check(status.ok(), "ListBuffers failed: " + status.error_message());
    uint64_t held = 0;
    for (const v1::Buffer& buffer : response.buffers()) held += buffer.size();
    check(held <= response.pool().size() - response.pool().free_bytes(),
          "buffers hold more bytes than the pool has given out");
    return response;
  }

  static void check_allocated(const v1::AllocateBufferRequest& request,
                              const v1::Buffer& buffer) {
    check(buffer.size() >= request.size(), "buffer smaller than asked");
    check(buffer.physical_address() >= kPoolBase &&
              buffer.physical_address() - kPoolBase <= kPoolBytes &&
              buffer.size() <= kPoolBytes - (buffer.physical_address() -
                                             kPoolBase),
          "buffer outside the pool");
    if (request.alignment() != 0) {
      check(buffer.physical_address() % request.alignment() == 0,
            "buffer not aligned as asked");
    }
  }

  std::shared_ptr<SessionRepository> sessions_;
  BufferService service_;
  std::vector<std::string> opened_;
  uint32_t slot_ = 0;
};

}  // namespace
}  // namespace fuzz
}  // namespace pynq_remote

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pynq_remote::fuzz::quiet_logs();
  pynq_remote::fuzz::BufferInput input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return -1;
  pynq_remote::fuzz::Run run(input.session_limit_bytes());
  int calls = 0;
  for (const auto& call : input.calls()) {
    if (++calls > pynq_remote::fuzz::kMaxCalls) break;
    run.call(call);
  }
  run.finish();
  return 0;
}
