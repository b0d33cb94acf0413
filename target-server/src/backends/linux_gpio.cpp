#include "backends/linux_gpio.h"

#include <fcntl.h>
#include <linux/gpio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

constexpr char kConsumer[] = "pynq-remote";
// More lines than any chip has; guards the listing against a bad driver.
constexpr uint32_t kMaxChipLines = 4096;

std::string c_string(const char* text, size_t size) {
  return std::string(text, strnlen(text, size));
}

StatusError ioctl_error(const std::string& what) {
  const int error = errno;
  const grpc::StatusCode code =
      error == EBUSY || error == EPERM || error == EACCES
          ? grpc::StatusCode::FAILED_PRECONDITION
          : grpc::StatusCode::INTERNAL;
  return StatusError(code, what + ": " + std::strerror(error));
}

std::string line_name(const std::string& chip, uint32_t offset) {
  return chip + " line " + std::to_string(offset);
}

gpiochip_info chip_info(int fd, const std::string& chip) {
  gpiochip_info info{};
  if (::ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &info) != 0) {
    throw ioctl_error("cannot read the chip info of " + chip);
  }
  return info;
}

gpio_v2_line_info line_info(int fd, const std::string& chip, uint32_t offset) {
  gpio_v2_line_info info{};
  info.offset = offset;
  if (::ioctl(fd, GPIO_V2_GET_LINEINFO_IOCTL, &info) != 0) {
    throw ioctl_error("cannot read the info of " + line_name(chip, offset));
  }
  return info;
}

uint64_t direction_flags(bool output) {
  return output ? GPIO_V2_LINE_FLAG_OUTPUT : GPIO_V2_LINE_FLAG_INPUT;
}

void set_output_value(gpio_v2_line_config* config, int value) {
  config->num_attrs = 1;
  config->attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
  config->attrs[0].attr.values = static_cast<uint64_t>(value & 1);
  config->attrs[0].mask = 1;
}

// Requests one line with `flags` (0: as it is); the line's fd.
UniqueFd request_line(int chip_fd, const std::string& chip, uint32_t offset,
                      uint64_t flags, int value) {
  gpio_v2_line_request request{};
  request.offsets[0] = offset;
  request.num_lines = 1;
  std::strncpy(request.consumer, kConsumer, sizeof(request.consumer) - 1);
  request.config.flags = flags;
  if ((flags & GPIO_V2_LINE_FLAG_OUTPUT) != 0) {
    set_output_value(&request.config, value);
  }
  if (::ioctl(chip_fd, GPIO_V2_GET_LINE_IOCTL, &request) != 0) {
    if (errno == EBUSY) {
      const gpio_v2_line_info info = line_info(chip_fd, chip, offset);
      throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                        line_name(chip, offset) + " is in use by '" +
                            c_string(info.consumer, sizeof(info.consumer)) +
                            "'");
    }
    throw ioctl_error("cannot request " + line_name(chip, offset));
  }
  return UniqueFd(request.fd);
}

int get_value(int line_fd, const std::string& chip, uint32_t offset) {
  gpio_v2_line_values values{};
  values.mask = 1;
  if (::ioctl(line_fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &values) != 0) {
    throw ioctl_error("cannot read " + line_name(chip, offset));
  }
  return static_cast<int>(values.bits & 1);
}

void set_value(int line_fd, const std::string& chip, uint32_t offset,
               int value) {
  gpio_v2_line_values values{};
  values.mask = 1;
  values.bits = static_cast<uint64_t>(value & 1);
  if (::ioctl(line_fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &values) != 0) {
    throw ioctl_error("cannot write " + line_name(chip, offset));
  }
}

unsigned chip_number(const std::string& name) {
  return static_cast<unsigned>(std::stoul(name.substr(8)));
}

}  // namespace

bool is_gpiochip_name(const std::string& name) {
  constexpr size_t kPrefix = 8;  // "gpiochip"
  if (name.size() <= kPrefix || name.size() > kPrefix + 6 ||
      name.compare(0, kPrefix, "gpiochip") != 0) {
    return false;
  }
  return std::all_of(name.begin() + kPrefix, name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

LinuxGpio::LinuxGpio(std::string dev_dir) : dev_dir_(std::move(dev_dir)) {}

std::vector<std::string> LinuxGpio::chip_names() const {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(dev_dir_, error)) {
    const std::string name = entry.path().filename().string();
    if (!is_gpiochip_name(name)) continue;
    struct stat status {};
    if (::stat((dev_dir_ + "/" + name).c_str(), &status) != 0 ||
        !S_ISCHR(status.st_mode)) {
      continue;
    }
    names.push_back(name);
  }
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) {
              return chip_number(a) < chip_number(b);
            });
  return names;
}

UniqueFd LinuxGpio::open_chip(const std::string& chip) const {
  const std::vector<std::string> names = chip_names();
  auto found = std::find(names.begin(), names.end(), chip);
  if (found == names.end()) {
    throw StatusError(grpc::StatusCode::NOT_FOUND,
                      "no GPIO chip '" + chip + "' on this board");
  }
  // *found comes from the directory listing, not from the wire.
  const std::string path = dev_dir_ + "/" + *found;
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) throw ioctl_error("cannot open " + path);
  return fd;
}

UniqueFd LinuxGpio::open_line_chip(const std::string& chip,
                                   uint32_t offset) const {
  UniqueFd fd = open_chip(chip);
  const gpiochip_info info = chip_info(fd.get(), chip);
  if (offset >= info.lines) {
    throw StatusError(grpc::StatusCode::NOT_FOUND,
                      chip + " has no line " + std::to_string(offset) +
                          " (it has " + std::to_string(info.lines) + ")");
  }
  return fd;
}

std::vector<GpioLineInfo> LinuxGpio::list() {
  std::vector<GpioLineInfo> lines;
  for (const std::string& chip : chip_names()) {
    UniqueFd fd = open_chip(chip);
    const gpiochip_info info = chip_info(fd.get(), chip);
    const uint32_t count = std::min<uint32_t>(info.lines, kMaxChipLines);
    for (uint32_t offset = 0; offset < count; ++offset) {
      const gpio_v2_line_info line = line_info(fd.get(), chip, offset);
      GpioLineInfo out;
      out.chip = chip;
      out.chip_label = c_string(info.label, sizeof(info.label));
      out.chip_lines = info.lines;
      out.offset = offset;
      out.name = c_string(line.name, sizeof(line.name));
      out.output = (line.flags & GPIO_V2_LINE_FLAG_OUTPUT) != 0;
      out.used = (line.flags & GPIO_V2_LINE_FLAG_USED) != 0;
      out.consumer = c_string(line.consumer, sizeof(line.consumer));
      lines.push_back(std::move(out));
    }
  }
  return lines;
}

int LinuxGpio::read(const std::string& chip, uint32_t offset) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto held = held_.find(Key(chip, offset));
  if (held != held_.end()) return get_value(held->second.fd.get(), chip, offset);
  UniqueFd chip_fd = open_line_chip(chip, offset);
  const UniqueFd line = request_line(chip_fd.get(), chip, offset, 0, 0);
  return get_value(line.get(), chip, offset);
}

void LinuxGpio::write(const std::string& chip, uint32_t offset, int value) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto held = held_.find(Key(chip, offset));
  if (held != held_.end()) {
    if (!held->second.output) {
      throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                        line_name(chip, offset) +
                            " is an input; make it an output first");
    }
    set_value(held->second.fd.get(), chip, offset, value);
    return;
  }
  UniqueFd chip_fd = open_line_chip(chip, offset);
  const gpio_v2_line_info info = line_info(chip_fd.get(), chip, offset);
  if ((info.flags & GPIO_V2_LINE_FLAG_OUTPUT) == 0) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      line_name(chip, offset) +
                          " is an input; make it an output first");
  }
  held_[Key(chip, offset)] =
      Held{request_line(chip_fd.get(), chip, offset, GPIO_V2_LINE_FLAG_OUTPUT,
                        value),
           true};
}

void LinuxGpio::set_direction(const std::string& chip, uint32_t offset,
                              bool output, int value) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto held = held_.find(Key(chip, offset));
  if (held != held_.end()) {
    gpio_v2_line_config config{};
    config.flags = direction_flags(output);
    if (output) set_output_value(&config, value);
    if (::ioctl(held->second.fd.get(), GPIO_V2_LINE_SET_CONFIG_IOCTL,
                &config) != 0) {
      throw ioctl_error("cannot set the direction of " +
                        line_name(chip, offset));
    }
    held->second.output = output;
    return;
  }
  UniqueFd chip_fd = open_line_chip(chip, offset);
  held_[Key(chip, offset)] =
      Held{request_line(chip_fd.get(), chip, offset, direction_flags(output),
                        value),
           output};
}

}  // namespace pynq_remote
