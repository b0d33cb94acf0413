// The hardware interface every service goes through. Implementations: the
// linux backend (physical memory via /dev/mem) and the sim backend (a board
// model in memory).
#ifndef PYNQ_REMOTE_BACKENDS_BACKEND_H_
#define PYNQ_REMOTE_BACKENDS_BACKEND_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/buffer_memory.h"
#include "backends/pl_clocks.h"
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
  std::string sha256;         // of the bitstream programmed; empty for none
  bool partial = false;       // whether that was a partial reconfiguration
  uint64_t programmed_at_unix_ms = 0;  // 0 when nothing was programmed
};

// One IP of a design's address map, as the host read it from the .hwh.
struct DesignWindow {
  std::string name;
  uint64_t base = 0;
  uint64_t size = 0;
  std::string ip_type;  // VLNV, e.g. "xilinx.com:ip:axi_gpio:2.0"
};

// What to program. Paths and names come from the bitstream cache, never
// from the wire.
struct ProgramRequest {
  std::string bitstream_path;       // <cache folder>/<sha256>.bin
  std::string bitstream_file_name;  // <sha256>.bin
  std::string sha256;
  bool partial = false;
  std::string device_tree_overlay;  // .dtbo bytes; empty for none
  std::string design_name;
  std::vector<DesignWindow> windows;  // passed check_design_windows()
};

// INVALID_ARGUMENT naming the window unless every window has a size, is
// 4 KiB aligned in base and size, does not wrap past 2^64 and overlaps no
// other, and there are at most kMaxDesignWindows.
void check_design_windows(const std::vector<DesignWindow>& windows);

// Milliseconds since the Unix epoch, now.
uint64_t unix_ms_now();

// Widths are in bytes: 1, 2, 4 or 8. Callers check accesses against
// windows() first; backends check again and throw PERMISSION_DENIED rather
// than touch anything outside their windows. Errors are StatusErrors.
// Every method may be called from many threads at once.
class Backend {
 public:
  virtual ~Backend() = default;

  virtual BoardDescription description() const = 0;
  // The allow-list now: an immutable snapshot, replaced as a whole when a
  // design is programmed, so a caller keeps one consistent view.
  virtual std::shared_ptr<const MmioWindows> windows() const = 0;
  virtual FpgaStatus fpga_state() const = 0;

  // Programs the FPGA with a cached bitstream, applies the overlay, and
  // makes the design's windows the allow-list; returns the new state.
  virtual FpgaStatus program(const ProgramRequest& request) = 0;

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

  // The PS clocks feeding the PL, owned by the backend; nullptr when the
  // platform has none the server knows.
  virtual PlClocks* pl_clocks() { return nullptr; }
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_BACKEND_H_
