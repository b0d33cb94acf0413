#include "services/fpga_state_proto.h"

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

}  // namespace

void to_proto(const FpgaStatus& status, v1::FpgaState* out) {
  out->set_state(to_proto(status.state));
  out->set_manager_state(status.manager_state);
  out->set_design_name(status.design_name);
  out->set_sha256(status.sha256);
  out->set_partial(status.partial);
  out->set_programmed_at_unix_ms(status.programmed_at_unix_ms);
}

}  // namespace pynq_remote
