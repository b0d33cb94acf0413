// GPIO chips of the simulated board: lines with a direction, an output
// register and the level the outside world drives.
#ifndef PYNQ_REMOTE_BACKENDS_SIM_GPIO_H_
#define PYNQ_REMOTE_BACKENDS_SIM_GPIO_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

constexpr uint32_t kMaxSimGpioLines = 1024;

// Throws ConfigError for a chip without lines or with more than
// kMaxSimGpioLines, or a line name outside the chip.
void validate_gpio_chips(
    const google::protobuf::RepeatedPtrField<config::GpioChip>& chips);

// Lines start as inputs reading 0; an output reads what it drives.
class SimGpio final : public GpioLines {
 public:
  explicit SimGpio(
      const google::protobuf::RepeatedPtrField<config::GpioChip>& chips);

  std::vector<GpioLineInfo> list() override;
  int read(const std::string& chip, uint32_t offset) override;
  void write(const std::string& chip, uint32_t offset, int value) override;
  void set_direction(const std::string& chip, uint32_t offset, bool output,
                     int value) override;
  void set_input(const std::string& chip, uint32_t offset, int value);

 private:
  struct Line {
    std::string name;
    bool output = false;
    int driven = 0;  // output register
    int input = 0;   // level from outside
    bool configured = false;  // a client set it: reported as used
  };
  struct Chip {
    std::string name;
    std::string label;
    std::vector<Line> lines;
  };

  Line& find_locked(const std::string& chip, uint32_t offset);

  std::mutex mutex_;
  std::vector<Chip> chips_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_GPIO_H_
