// libFuzzer target: MmioService (Read, Write, ReadBlock, WriteBlock, Batch)
// on the sim board, whose windows hold every sim model (AXI GPIO, register
// file, AXI DMA over the buffer pool, RAM). Input: an MmioInput message.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"

namespace pynq_remote {
namespace fuzz {
namespace {

void run(const MmioInput& input) {
  MmioRunner mmio(make_board());
  int calls = 0;
  for (const MmioCall& call : input.calls()) {
    if (++calls > kMaxCalls) break;
    mmio.run(call);
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace pynq_remote

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pynq_remote::fuzz::quiet_logs();
  pynq_remote::fuzz::MmioInput input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return -1;
  pynq_remote::fuzz::run(input);
  return 0;
}
