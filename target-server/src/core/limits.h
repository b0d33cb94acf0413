// Limits the server enforces and reports in DeviceService.GetInfo.
#ifndef PYNQ_REMOTE_CORE_LIMITS_H_
#define PYNQ_REMOTE_CORE_LIMITS_H_

#include <cstdint>

namespace pynq_remote {

// Largest gRPC message accepted or sent, in bytes.
constexpr uint64_t kMaxMessageBytes = 16 * 1024 * 1024;
// Largest block transfer: at most this many words ...
constexpr uint64_t kMaxBurstWords = uint64_t{1} << 20;
// ... and at most this many bytes, which keeps a block well inside a message.
constexpr uint64_t kMaxBurstBytes = 8 * 1024 * 1024;
constexpr uint64_t kMaxBatchSteps = 65536;
constexpr uint64_t kMaxPollTimeoutMs = 60000;

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_LIMITS_H_
