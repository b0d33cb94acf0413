#include "compat/file_sandbox.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

constexpr char kFirmwarePrefix[] = "/lib/firmware/";
constexpr char kScratchPrefix[] = "/tmp/";
constexpr char kFpgaManager[] = "/sys/class/fpga_manager/fpga0/";

bool starts_with(const std::string& text, const char* prefix) {
  return text.compare(0, std::strlen(prefix), prefix) == 0;
}

StatusError io_error(const std::string& what, int error) {
  const grpc::StatusCode code = error == ENOSPC || error == EDQUOT
                                    ? grpc::StatusCode::RESOURCE_EXHAUSTED
                                    : grpc::StatusCode::INTERNAL;
  return StatusError(code, what + ": " + std::strerror(error));
}

StatusError scratch_full(uint64_t limit) {
  return StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     "the scratch area under /tmp holds at most " +
                         std::to_string(limit) + " bytes");
}

}  // namespace

bool is_compat_file_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxCompatNameBytes || name[0] == '.') {
    return false;
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '-' || c == '+';
    if (!ok) return false;
  }
  return true;
}

std::optional<CompatPath> parse_compat_path(const std::string& wire_path) {
  using Kind = CompatPath::Kind;
  if (wire_path.size() > kMaxCompatPathBytes) return std::nullopt;
  if (wire_path == "/proc/version") return CompatPath{Kind::kProcVersion, ""};
  if (wire_path == "/proc/device-tree/chosen/pynq_board") {
    return CompatPath{Kind::kBoardName, ""};
  }
  if (starts_with(wire_path, kFpgaManager)) {
    const std::string file = wire_path.substr(std::strlen(kFpgaManager));
    if (file == "firmware") return CompatPath{Kind::kFpgaFirmware, ""};
    if (file == "flags") return CompatPath{Kind::kFpgaFlags, ""};
    if (file == "state") return CompatPath{Kind::kFpgaState, ""};
    return std::nullopt;
  }
  // One component after the folder: the name check refuses '/', "." and
  // ".." (no leading dot) and every other character a path could abuse.
  for (const auto& [prefix, kind] :
       {std::pair<const char*, Kind>{kFirmwarePrefix, Kind::kFirmware},
        std::pair<const char*, Kind>{kScratchPrefix, Kind::kScratch}}) {
    if (!starts_with(wire_path, prefix)) continue;
    const std::string name = wire_path.substr(std::strlen(prefix));
    if (!is_compat_file_name(name)) return std::nullopt;
    return CompatPath{kind, name};
  }
  return std::nullopt;
}

std::string printable_path(const std::string& wire_path) {
  std::string out = wire_path.substr(0, 200);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (wire_path.size() > 200) out += "...";
  return out;
}

ScratchArea::ScratchArea(uint64_t limit_bytes, size_t max_files)
    : limit_bytes_(limit_bytes), max_files_(max_files) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "pynq-remote-compat-XXXXXX")
          .string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create the PYNQ.remote scratch area in " +
                             std::filesystem::temp_directory_path().string() +
                             ": " + std::strerror(errno));
  }
  directory_ = pattern;
  directory_fd_ = UniqueFd(::open(
      directory_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!directory_fd_.valid()) {
    const int error = errno;
    ::rmdir(directory_.c_str());
    throw std::runtime_error("cannot open the scratch area " + directory_ +
                             ": " + std::strerror(error));
  }
}

ScratchArea::~ScratchArea() {
  directory_fd_.reset();
  std::error_code ignored;
  // remove_all does not follow symbolic links inside the folder.
  std::filesystem::remove_all(directory_, ignored);
}

bool ScratchArea::exists(const std::string& name) const {
  if (!is_compat_file_name(name)) return false;
  struct stat info{};
  return ::fstatat(directory_fd_.get(), name.c_str(), &info,
                   AT_SYMLINK_NOFOLLOW) == 0 &&
         S_ISREG(info.st_mode);
}

UniqueFd ScratchArea::open_for_read(const std::string& name) const {
  const StatusError missing(grpc::StatusCode::NOT_FOUND,
                            "no file /tmp/" + name + " in the scratch area");
  if (!is_compat_file_name(name)) throw missing;
  UniqueFd file(::openat(directory_fd_.get(), name.c_str(),
                         O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  struct stat info{};
  if (!file.valid() || ::fstat(file.get(), &info) != 0 ||
      !S_ISREG(info.st_mode)) {
    throw missing;
  }
  return file;
}

std::unique_ptr<ScratchArea::Writer> ScratchArea::start_write(
    const std::string& name) {
  if (!is_compat_file_name(name)) {
    throw StatusError(grpc::StatusCode::PERMISSION_DENIED,
                      "'" + printable_path(name) + "' is not a file name");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sizes_.count(name) == 0 && sizes_.size() >= max_files_) {
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the scratch area under /tmp holds at most " +
                            std::to_string(max_files_) + " files");
    }
  }
  return std::unique_ptr<Writer>(new Writer(*this, name));
}

UniqueFd ScratchArea::anonymous_file() {
  std::string pattern = directory_ + "/.staging-XXXXXX";
  UniqueFd file(::mkstemp(pattern.data()));
  if (!file.valid())
    throw io_error("cannot stage a file in " + directory_, errno);
  ::unlink(pattern.c_str());
  return file;
}

uint64_t ScratchArea::used_except_locked(const std::string& name) const {
  uint64_t used = pending_bytes_;
  for (const auto& [file, size] : sizes_) {
    if (file != name) used += size;
  }
  return used;
}

ScratchArea::Writer::Writer(ScratchArea& area, std::string name)
    : area_(area), name_(std::move(name)) {
  std::string pattern = area_.directory_ + "/.partial-XXXXXX";
  file_ = UniqueFd(::mkstemp(pattern.data()));
  if (!file_.valid()) {
    throw io_error("cannot create a file in " + area_.directory_, errno);
  }
  temp_path_ = pattern;
}

ScratchArea::Writer::~Writer() {
  file_.reset();
  if (!committed_) ::unlink(temp_path_.c_str());
  std::lock_guard<std::mutex> lock(area_.mutex_);
  area_.pending_bytes_ -= bytes_;
}

void ScratchArea::Writer::append(const std::string& data) {
  {
    std::lock_guard<std::mutex> lock(area_.mutex_);
    if (data.size() > area_.limit_bytes_ ||
        area_.used_except_locked(name_) + data.size() > area_.limit_bytes_) {
      throw scratch_full(area_.limit_bytes_);
    }
    area_.pending_bytes_ += data.size();
    bytes_ += data.size();
  }
  const char* next = data.data();
  size_t left = data.size();
  while (left > 0) {
    const ssize_t written = ::write(file_.get(), next, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw io_error("cannot write /tmp/" + name_, errno);
    }
    next += written;
    left -= static_cast<size_t>(written);
  }
}

void ScratchArea::Writer::commit() {
  file_.reset();
  std::lock_guard<std::mutex> lock(area_.mutex_);
  if (area_.sizes_.count(name_) == 0 &&
      area_.sizes_.size() >= area_.max_files_) {
    throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "the scratch area under /tmp holds at most " +
                          std::to_string(area_.max_files_) + " files");
  }
  // renameat replaces whatever has the name, a planted symbolic link
  // included, without following it.
  if (::renameat(area_.directory_fd_.get(),
                 temp_path_.substr(area_.directory_.size() + 1).c_str(),
                 area_.directory_fd_.get(), name_.c_str()) != 0) {
    throw io_error("cannot store /tmp/" + name_, errno);
  }
  committed_ = true;
  area_.sizes_[name_] = bytes_;
}

}  // namespace pynq_remote
