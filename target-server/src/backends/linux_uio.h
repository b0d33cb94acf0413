// PL-to-PS interrupts through UIO devices (generic-uio nodes of the design's
// device-tree overlay): one reader thread per open line.
#ifndef PYNQ_REMOTE_BACKENDS_LINUX_UIO_H_
#define PYNQ_REMOTE_BACKENDS_LINUX_UIO_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backends/backend.h"
#include "core/unique_fd.h"

namespace pynq_remote {

// The GIC interrupt number of the first interrupt in a device-tree
// `interrupts` property (big-endian cells of 3: type, number, flags): SPI
// numbers + 32, PPI + 16. False when it does not hold one.
bool gic_line_from_interrupts(const std::string& property, uint32_t* line);

// Whether `name` is "uio" followed by decimal digits.
bool is_uio_name(const std::string& name);

// Lines are found again on every call in `uio_class`/uioN/device/of_node/
// interrupts; the device read and written is `dev`/uioN, a name from that
// listing. A reader thread waits on the device with poll() beside an eventfd
// that close() uses to stop it; each read (the kernel's event count) is one
// interrupt; rearm() writes 1 to the device to unmask the interrupt.
class LinuxUio final : public InterruptLines {
 public:
  LinuxUio(std::string uio_class, std::string dev);
  ~LinuxUio() override;

  std::vector<uint32_t> available() override;
  void open(uint32_t line, Handler handler) override;
  void rearm(uint32_t line) override;
  void close(uint32_t line) override;
  size_t open_lines() override;
  size_t reader_threads() override { return threads_running_.load(); }

  // GIC line -> uioN.
  std::map<uint32_t, std::string> devices() const;

 private:
  struct Reader {
    uint32_t line = 0;
    UniqueFd device;
    UniqueFd wake;  // eventfd
    Handler handler;
    std::thread thread;
  };
  void run(Reader* reader);

  std::string uio_class_;
  std::string dev_;
  std::mutex mutex_;
  std::map<uint32_t, std::unique_ptr<Reader>> readers_;
  std::atomic<size_t> threads_running_{0};
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_LINUX_UIO_H_
