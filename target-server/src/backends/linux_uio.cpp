#include "backends/linux_uio.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

constexpr uint32_t kGicSpi = 0;
constexpr uint32_t kGicPpi = 1;

uint32_t be32(const std::string& bytes, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

std::string read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::string text;
  text.resize(256);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

void write_enable(int fd) {
  const int32_t enable = 1;
  if (::write(fd, &enable, sizeof(enable)) != sizeof(enable)) {
    log_warning(std::string("cannot unmask a UIO interrupt: ") +
                std::strerror(errno));
  }
}

}  // namespace

bool gic_line_from_interrupts(const std::string& property, uint32_t* line) {
  if (property.size() < 12 || property.size() % 4 != 0) return false;
  const uint32_t type = be32(property, 0);
  const uint32_t number = be32(property, 4);
  if (type == kGicSpi && number < 988) {
    *line = number + 32;
    return true;
  }
  if (type == kGicPpi && number < 16) {
    *line = number + 16;
    return true;
  }
  return false;
}

bool is_uio_name(const std::string& name) {
  return name.size() > 3 && name.size() <= 9 && name.compare(0, 3, "uio") == 0 &&
         std::all_of(name.begin() + 3, name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

LinuxUio::LinuxUio(std::string uio_class, std::string dev)
    : uio_class_(std::move(uio_class)), dev_(std::move(dev)) {}

LinuxUio::~LinuxUio() {
  std::vector<uint32_t> lines;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& entry : readers_) lines.push_back(entry.first);
  }
  for (uint32_t line : lines) close(line);
}

std::map<uint32_t, std::string> LinuxUio::devices() const {
  std::map<uint32_t, std::string> out;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(uio_class_, error)) {
    const std::string name = entry.path().filename().string();
    if (!is_uio_name(name)) continue;
    uint32_t line = 0;
    if (gic_line_from_interrupts(
            read_small_file(uio_class_ + "/" + name +
                            "/device/of_node/interrupts"),
            &line)) {
      out.emplace(line, name);  // the first device of a line wins
    }
  }
  return out;
}

std::vector<uint32_t> LinuxUio::available() {
  std::vector<uint32_t> lines;
  for (const auto& entry : devices()) lines.push_back(entry.first);
  return lines;
}

void LinuxUio::open(uint32_t line, Handler handler) {
  const std::map<uint32_t, std::string> found = devices();
  auto device = found.find(line);
  if (device == found.end()) {
    throw StatusError(grpc::StatusCode::NOT_FOUND,
                      "no UIO device delivers interrupt line " +
                          std::to_string(line));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (readers_.count(line) != 0) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "interrupt line " + std::to_string(line) +
                          " is open already");
  }
  auto reader = std::make_unique<Reader>();
  reader->line = line;
  // device->second comes from the directory listing, not from the wire.
  const std::string path = dev_ + "/" + device->second;
  reader->device = UniqueFd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!reader->device.valid()) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "cannot open " + path + ": " + std::strerror(errno));
  }
  reader->wake = UniqueFd(::eventfd(0, EFD_CLOEXEC));
  if (!reader->wake.valid()) {
    throw StatusError(grpc::StatusCode::INTERNAL,
                      std::string("eventfd: ") + std::strerror(errno));
  }
  reader->handler = std::move(handler);
  write_enable(reader->device.get());
  Reader* raw = reader.get();
  ++threads_running_;
  reader->thread = std::thread([this, raw] { run(raw); });
  readers_[line] = std::move(reader);
}

void LinuxUio::run(Reader* reader) {
  pollfd fds[2] = {{reader->device.get(), POLLIN, 0},
                   {reader->wake.get(), POLLIN, 0}};
  while (true) {
    fds[0].revents = fds[1].revents = 0;
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      log_error(std::string("poll on a UIO device failed: ") +
                std::strerror(errno));
      break;
    }
    if (fds[1].revents != 0) break;
    if ((fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
      log_error("UIO device of interrupt line " +
                std::to_string(reader->line) + " failed; no more events");
      break;
    }
    if ((fds[0].revents & POLLIN) == 0) continue;
    uint32_t count = 0;
    const ssize_t got = ::read(reader->device.get(), &count, sizeof(count));
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got != static_cast<ssize_t>(sizeof(count))) {
      log_error("short read from the UIO device of interrupt line " +
                std::to_string(reader->line));
      break;
    }
    reader->handler(reader->line);
  }
  --threads_running_;
}

void LinuxUio::rearm(uint32_t line) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = readers_.find(line);
  if (found != readers_.end()) write_enable(found->second->device.get());
}

void LinuxUio::close(uint32_t line) {
  std::unique_ptr<Reader> reader;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = readers_.find(line);
    if (found == readers_.end()) return;
    reader = std::move(found->second);
    readers_.erase(found);
  }
  const uint64_t one = 1;
  if (::write(reader->wake.get(), &one, sizeof(one)) != sizeof(one)) {
    log_error(std::string("cannot wake a UIO reader: ") +
              std::strerror(errno));
  }
  reader->thread.join();
}

size_t LinuxUio::open_lines() {
  std::lock_guard<std::mutex> lock(mutex_);
  return readers_.size();
}

}  // namespace pynq_remote
