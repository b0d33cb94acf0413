#include "backends/sim_gpio.h"

#include "core/board_config.h"
#include "core/status_error.h"

namespace pynq_remote {

void validate_gpio_chips(
    const google::protobuf::RepeatedPtrField<config::GpioChip>& chips) {
  for (int i = 0; i < chips.size(); ++i) {
    const config::GpioChip& chip = chips.Get(i);
    const std::string where = "gpio_chips " + std::to_string(i) + ": ";
    if (chip.lines() < 1 || chip.lines() > kMaxSimGpioLines) {
      throw ConfigError(where + "lines " + std::to_string(chip.lines()) +
                        " must be 1 to " + std::to_string(kMaxSimGpioLines));
    }
    for (const config::GpioLineName& name : chip.line_names()) {
      if (name.offset() >= chip.lines()) {
        throw ConfigError(where + "line name '" + name.name() +
                          "' is at offset " + std::to_string(name.offset()) +
                          ", outside the chip's " +
                          std::to_string(chip.lines()) + " lines");
      }
    }
  }
}

SimGpio::SimGpio(
    const google::protobuf::RepeatedPtrField<config::GpioChip>& chips) {
  for (int i = 0; i < chips.size(); ++i) {
    const config::GpioChip& config = chips.Get(i);
    Chip chip{"gpiochip" + std::to_string(i), config.label(),
              std::vector<Line>(config.lines())};
    for (const config::GpioLineName& name : config.line_names()) {
      chip.lines[name.offset()].name = name.name();
    }
    chips_.push_back(std::move(chip));
  }
}

std::vector<GpioLineInfo> SimGpio::list() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<GpioLineInfo> out;
  for (const Chip& chip : chips_) {
    for (size_t offset = 0; offset < chip.lines.size(); ++offset) {
      const Line& line = chip.lines[offset];
      out.push_back(GpioLineInfo{chip.name, chip.label,
                                 static_cast<uint32_t>(chip.lines.size()),
                                 static_cast<uint32_t>(offset), line.name,
                                 line.output, line.configured,
                                 line.configured ? "pynq-remote" : ""});
    }
  }
  return out;
}

SimGpio::Line& SimGpio::find_locked(const std::string& chip, uint32_t offset) {
  for (Chip& candidate : chips_) {
    if (candidate.name != chip) continue;
    if (offset >= candidate.lines.size()) {
      throw StatusError(grpc::StatusCode::NOT_FOUND,
                        chip + " has no line " + std::to_string(offset) +
                            " (it has " +
                            std::to_string(candidate.lines.size()) + ")");
    }
    return candidate.lines[offset];
  }
  throw StatusError(grpc::StatusCode::NOT_FOUND,
                    "no GPIO chip '" + chip + "' on this board");
}

int SimGpio::read(const std::string& chip, uint32_t offset) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Line& line = find_locked(chip, offset);
  return line.output ? line.driven : line.input;
}

void SimGpio::write(const std::string& chip, uint32_t offset, int value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Line& line = find_locked(chip, offset);
  if (!line.output) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      chip + " line " + std::to_string(offset) +
                          " is an input; make it an output first");
  }
  line.driven = value;
}

void SimGpio::set_direction(const std::string& chip, uint32_t offset,
                            bool output, int value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Line& line = find_locked(chip, offset);
  line.output = output;
  line.configured = true;
  if (output) line.driven = value;
}

void SimGpio::set_input(const std::string& chip, uint32_t offset, int value) {
  std::lock_guard<std::mutex> lock(mutex_);
  find_locked(chip, offset).input = value;
}

}  // namespace pynq_remote
