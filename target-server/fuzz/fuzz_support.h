// What the fuzz targets share: the simulated board they run against, a
// server stream whose client goes away, and the checks every call's status
// must pass. Each input builds its board and services anew, so a crash
// reproduces from its input alone.
#ifndef PYNQ_REMOTE_FUZZ_FUZZ_SUPPORT_H_
#define PYNQ_REMOTE_FUZZ_FUZZ_SUPPORT_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "backends/sim_backend.h"
#include "fuzz_input.pb.h"

namespace pynq_remote {
namespace fuzz {

// Calls of one input beyond this are ignored, which bounds its run time.
constexpr int kMaxCalls = 48;
// Messages a server stream's client takes at most.
constexpr uint32_t kMaxClientTakes = 64;

constexpr uint64_t kPoolBase = 0x60000000;
constexpr uint64_t kPoolBytes = 1 << 20;

// Once per process: logs only errors, so the fuzzer's output stays readable.
void quiet_logs();

// The sim board of config/sim-board.textproto (two AXI GPIOs, a register
// file, an AXI DMA, block RAM, ZynqMP clocks) with a 1 MiB buffer pool at
// kPoolBase; `clock_platform` replaces "zynqmp".
std::shared_ptr<SimBackend> make_board(
    const std::string& clock_platform = "zynqmp");

// Aborts (a finding) when `status` is not what a call may end with: a code
// other than OK, CANCELLED, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND,
// PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, OUT_OF_RANGE
// or UNAUTHENTICATED (INTERNAL means an exception escaped the checks), or an
// error without a message.
void check_status(const char* method, const grpc::Status& status);

// Aborts with `what` when `condition` is false.
void check(bool condition, const std::string& what);

// 0 and above kMaxClientTakes: kMaxClientTakes.
uint32_t client_takes(uint32_t requested);

// Cuts what would make an input slow (poll timeouts, poll intervals); leaves
// values the server refuses as they are.
void bound_batch(pynq_remote::v1::BatchRequest* batch);

// Runs one MmioCall on `service`, checking its status.
class MmioRunner {
 public:
  explicit MmioRunner(std::shared_ptr<Backend> backend);
  ~MmioRunner();
  void run(const MmioCall& call);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A server stream writer whose client takes `capacity` messages and then
// goes away (Write returns false). Keeps only counts.
template <typename Message>
class ClientWriter final : public grpc::ServerWriterInterface<Message> {
 public:
  explicit ClientWriter(uint32_t capacity) : capacity_(capacity) {}

  void SendInitialMetadata() override {}
  bool Write(const Message& message, grpc::WriteOptions /*options*/) override {
    if (messages_ >= capacity_) return false;
    ++messages_;
    bytes_ += message.ByteSizeLong();
    return true;
  }

  uint32_t messages() const { return messages_; }
  uint64_t bytes() const { return bytes_; }

 private:
  uint32_t capacity_;
  uint32_t messages_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace fuzz
}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_FUZZ_FUZZ_SUPPORT_H_
