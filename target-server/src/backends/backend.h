// The hardware interface every service goes through. Implementations: the
// linux backend (physical memory via /dev/mem) and the sim backend (a board
// model in memory).
#ifndef PYNQ_REMOTE_BACKENDS_BACKEND_H_
#define PYNQ_REMOTE_BACKENDS_BACKEND_H_

#include <cstdint>
#include <string>

#include "backends/buffer_memory.h"
#include "core/access.h"

namespace pynq_remote {

struct BoardDescription {
  std::string board;     // e.g. "zcu104" or "sim"
  std::string platform;  // "zynqmp", "zynq", "sim", ...
  std::string backend;   // "linux" or "sim"
};

enum class FpgaState { kUnknown, kOperating, kUnprogrammed, kProgramming };

struct FpgaStatus {
  FpgaState state = FpgaState::kUnknown;
  std::string manager_state;  // raw FPGA manager state, empty when unknown
  std::string design_name;    // empty when not known
};

// Widths are in bytes: 1, 2, 4 or 8. Callers check accesses against
// windows() first; backends check again and throw PERMISSION_DENIED rather
// than touch anything outside their windows. Errors are StatusErrors.
// Every method may be called from many threads at once.
class Backend {
 public:
  virtual ~Backend() = default;

  virtual BoardDescription description() const = 0;
  virtual const MmioWindows& windows() const = 0;
  virtual FpgaStatus fpga_state() const = 0;

  virtual uint64_t read(uint64_t address, unsigned width) = 0;
  virtual void write(uint64_t address, unsigned width, uint64_t value) = 0;

  // `count` words of `width` bytes from consecutive addresses, stored
  // little-endian into `out` (count * width bytes). The default calls read()
  // once per word.
  virtual void read_block(uint64_t address, unsigned width, uint64_t count,
                          uint8_t* out);
  // The reverse of read_block(), taking the words from `in`.
  virtual void write_block(uint64_t address, unsigned width, uint64_t count,
                           const uint8_t* in);

  // The memory buffers are allocated from, owned by the backend; nullptr
  // when the board has none configured.
  virtual BufferMemory* buffer_memory() { return nullptr; }
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_BACKEND_H_
