// GPIO lines through the GPIO character device (/dev/gpiochipN) and its
// uAPI v2 ioctls: no sysfs, no libgpiod.
#ifndef PYNQ_REMOTE_BACKENDS_LINUX_GPIO_H_
#define PYNQ_REMOTE_BACKENDS_LINUX_GPIO_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "backends/backend.h"
#include "core/unique_fd.h"

namespace pynq_remote {

// Whether `name` is "gpiochip" followed by decimal digits.
bool is_gpiochip_name(const std::string& name);

// The chips are the character devices named gpiochipN in `dev_dir`, found
// again on every call (an overlay may add some). A chip named on the wire is
// looked up among them, never joined into a path. Lines the server sets
// (direction or value) stay requested under the consumer "pynq-remote" until
// changed again or the server stops; others are requested only for the
// moment of a read, without changing their direction.
class LinuxGpio final : public GpioLines {
 public:
  explicit LinuxGpio(std::string dev_dir);

  std::vector<GpioLineInfo> list() override;
  int read(const std::string& chip, uint32_t offset) override;
  void write(const std::string& chip, uint32_t offset, int value) override;
  void set_direction(const std::string& chip, uint32_t offset, bool output,
                     int value) override;

  // gpiochipN names in `dev_dir`, by N.
  std::vector<std::string> chip_names() const;

 private:
  struct Held {
    UniqueFd fd;
    bool output = false;
  };
  using Key = std::pair<std::string, uint32_t>;

  // The chip's device opened; NOT_FOUND when there is no such chip.
  UniqueFd open_chip(const std::string& chip) const;
  // NOT_FOUND unless the chip has line `offset`; returns the chip fd.
  UniqueFd open_line_chip(const std::string& chip, uint32_t offset) const;

  std::string dev_dir_;
  std::mutex mutex_;
  std::map<Key, Held> held_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_LINUX_GPIO_H_
