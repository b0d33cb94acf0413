// FpgaStatus to the wire's FpgaState, shared by DeviceService and
// BitstreamService.
#ifndef PYNQ_REMOTE_SERVICES_FPGA_STATE_PROTO_H_
#define PYNQ_REMOTE_SERVICES_FPGA_STATE_PROTO_H_

#include "backends/backend.h"
#include "pynq_remote/v1/device.pb.h"

namespace pynq_remote {

void to_proto(const FpgaStatus& status, v1::FpgaState* out);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_FPGA_STATE_PROTO_H_
