// The hardware interface every service goes through. Implementations: the
// linux backend (physical memory via /dev/mem) and the sim backend (a board
// model in memory).
#ifndef PYNQ_REMOTE_BACKENDS_BACKEND_H_
#define PYNQ_REMOTE_BACKENDS_BACKEND_H_

#include <cstdint>
#include <functional>
#include <map>
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
  // The IP's C_* parameters the sim configures its model from, e.g.
  // "C_ALL_OUTPUTS" -> "1"; within the kMaxDesignParameter* limits.
  std::map<std::string, std::string> parameters;
};

// An interrupt output of the design wired into an input of an AXI
// interrupt controller (`controller` names its window), or straight into
// GIC interrupt number `index` when `controller` is empty.
struct DesignInterrupt {
  std::string source;
  std::string controller;
  uint32_t index = 0;
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
  // The design's interrupt wiring from its .hwh (the sim models it).
  std::vector<DesignInterrupt> interrupts;
};

// One GPIO line as the board shows it.
struct GpioLineInfo {
  std::string chip;        // device name, e.g. "gpiochip0"
  std::string chip_label;  // e.g. "zynqmp_gpio"
  uint32_t chip_lines = 0;
  uint32_t offset = 0;
  std::string name;
  bool output = false;
  bool used = false;
  std::string consumer;
};

// GPIO lines named by chip and offset. Unknown chips or offsets are
// NOT_FOUND; errors are StatusErrors. Thread safe.
class GpioLines {
 public:
  virtual ~GpioLines() = default;
  // Every line of every chip, by chip then offset.
  virtual std::vector<GpioLineInfo> list() = 0;
  // 0 or 1.
  virtual int read(const std::string& chip, uint32_t offset) = 0;
  // FAILED_PRECONDITION when the line is an input.
  virtual void write(const std::string& chip, uint32_t offset, int value) = 0;
  // An input, or an output driving `value`.
  virtual void set_direction(const std::string& chip, uint32_t offset,
                             bool output, int value) = 0;
};

// Interrupt lines named by their GIC interrupt number. A line is level
// sensitive: once it fires, it stays masked until rearm(), and fires again
// then if still asserted. Thread safe.
class InterruptLines {
 public:
  // Called once per interrupt, from any thread; must not block or call
  // back into this object.
  using Handler = std::function<void(uint32_t line)>;

  virtual ~InterruptLines() = default;
  // The lines the board can deliver, ascending.
  virtual std::vector<uint32_t> available() = 0;
  // Starts delivering `line` to `handler`, armed. NOT_FOUND for a line the
  // board does not have; FAILED_PRECONDITION when it is open already.
  virtual void open(uint32_t line, Handler handler) = 0;
  // Unmasks an open line after an interrupt; no-op for lines not open.
  virtual void rearm(uint32_t line) = 0;
  // Stops delivering `line`: when this returns, its handler is not running
  // and will not run again. No-op for lines not open.
  virtual void close(uint32_t line) = 0;
  virtual size_t open_lines() = 0;
  // Threads waiting on lines (0 where no thread is needed).
  virtual size_t reader_threads() = 0;
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

  // The board's GPIO lines; nullptr when it has none the server can reach.
  virtual GpioLines* gpio() { return nullptr; }

  // PL-to-PS interrupts; nullptr when the server cannot deliver any.
  virtual InterruptLines* interrupts() { return nullptr; }

  // sim only: sets the input pins of AXI GPIO `window`'s channel (1 or 2),
  // as the outside world would. FAILED_PRECONDITION on real boards.
  virtual void set_simulated_axi_gpio_input(const std::string& window,
                                            unsigned channel, uint32_t value);
  // sim only: the level the outside world puts on a GPIO line.
  virtual void set_simulated_line_input(const std::string& chip,
                                        uint32_t offset, int value);
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_BACKEND_H_
