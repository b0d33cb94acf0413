// libFuzzer target: ClockService (GetClocks, SetPlClock) on the sim's
// ZynqMP or Zynq-7000 clock controller. Input: a ClockInput message.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "services/clock_service.h"

namespace pynq_remote {
namespace fuzz {
namespace {

void run(const ClockInput& input) {
  ClockService service(make_board(input.platform() % 2 ? "zynq" : "zynqmp"));
  int calls = 0;
  for (const ClockCall& call : input.calls()) {
    if (++calls > kMaxCalls) break;
    grpc::ServerContext context;
    switch (call.call_case()) {
      case ClockCall::kGet: {
        v1::GetClocksResponse response;
        const grpc::Status status =
            service.GetClocks(&context, &call.get(), &response);
        check_status("GetClocks", status);
        check(status.ok(), "GetClocks failed on a board with clocks");
        break;
      }
      case ClockCall::kSet: {
        v1::SetPlClockResponse response;
        const grpc::Status status =
            service.SetPlClock(&context, &call.set(), &response);
        check_status("SetPlClock", status);
        if (status.ok()) {
          const double mhz = response.clock().frequency_mhz();
          check(std::isfinite(mhz) && mhz > 0,
                "SetPlClock set a clock of " + std::to_string(mhz) + " MHz");
        }
        break;
      }
      case ClockCall::CALL_NOT_SET:
        break;
    }
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace pynq_remote

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pynq_remote::fuzz::quiet_logs();
  pynq_remote::fuzz::ClockInput input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return -1;
  pynq_remote::fuzz::run(input);
  return 0;
}
