#include "services/device_service.h"

#include <sys/utsname.h>

#include <utility>

#include "core/limits.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

v1::FpgaManagerState to_proto(FpgaState state) {
  switch (state) {
    case FpgaState::kUnknown:
      return v1::FPGA_MANAGER_STATE_UNKNOWN;
    case FpgaState::kOperating:
      return v1::FPGA_MANAGER_STATE_OPERATING;
    case FpgaState::kUnprogrammed:
      return v1::FPGA_MANAGER_STATE_UNPROGRAMMED;
    case FpgaState::kProgramming:
      return v1::FPGA_MANAGER_STATE_PROGRAMMING;
  }
  return v1::FPGA_MANAGER_STATE_UNKNOWN;
}

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
}

}  // namespace

DeviceService::DeviceService(std::shared_ptr<Backend> backend)
    : backend_(std::move(backend)) {}

grpc::Status DeviceService::GetInfo(grpc::ServerContext* context,
                                    const v1::GetInfoRequest* /*request*/,
                                    v1::GetInfoResponse* response) {
  return run_rpc("GetInfo", context, [&] {
    const BoardDescription board = backend_->description();
    response->set_server_version(PYNQ_REMOTE_VERSION);
    response->set_api_version("v1");
    response->set_board(board.board);
    response->set_platform(board.platform);
    response->set_backend(board.backend);
    fill_system(response);
    fill_limits(response->mutable_limits());
    for (const char* capability : {"mmio", "mmio.block", "mmio.batch"}) {
      response->add_capabilities(capability);
    }
    for (const MmioWindow& window : backend_->windows().list()) {
      v1::MmioWindow* out = response->add_mmio_windows();
      out->set_name(window.name);
      out->set_base_address(window.base);
      out->set_size(window.size);
    }
    const FpgaStatus fpga = backend_->fpga_state();
    response->mutable_fpga()->set_state(to_proto(fpga.state));
    response->mutable_fpga()->set_manager_state(fpga.manager_state);
    response->mutable_fpga()->set_design_name(fpga.design_name);
  });
}

}  // namespace pynq_remote
