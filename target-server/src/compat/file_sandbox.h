// The files a PYNQ.remote host may name, and the server-owned scratch area
// behind /tmp. The `pynq` host package reads and writes a handful of fixed
// paths; each maps onto the server's own state, never onto the filesystem
// path it spells. Only /tmp/<name> touches files, inside a folder the server
// made for itself, one level deep, without following symbolic links.
#ifndef PYNQ_REMOTE_COMPAT_FILE_SANDBOX_H_
#define PYNQ_REMOTE_COMPAT_FILE_SANDBOX_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/unique_fd.h"

namespace pynq_remote {

// What a wire path names.
struct CompatPath {
  enum class Kind {
    kProcVersion,   // /proc/version
    kBoardName,     // /proc/device-tree/chosen/pynq_board
    kFirmware,      // /lib/firmware/<name>: the bitstream cache
    kFpgaFirmware,  // /sys/class/fpga_manager/fpga0/firmware: programs
    kFpgaFlags,     // /sys/class/fpga_manager/fpga0/flags: 1 = partial
    kFpgaState,     // /sys/class/fpga_manager/fpga0/state
    kScratch,       // /tmp/<name>: the scratch area
  };
  Kind kind;
  // kFirmware and kScratch: the file name, one checked path component.
  std::string name;
};

// The scratch area's limits: bytes and files.
constexpr uint64_t kCompatScratchBytes = 64 * 1024 * 1024;
constexpr size_t kCompatScratchFiles = 64;

// Longest wire path looked at, and longest file name.
constexpr size_t kMaxCompatPathBytes = 1024;
constexpr size_t kMaxCompatNameBytes = 128;

// Whether `name` is a file name the sandbox accepts: 1 to 128 characters of
// [A-Za-z0-9._+-], not starting with '.'.
bool is_compat_file_name(const std::string& name);

// What `wire_path` names, or nullopt when it lies outside the sandbox
// (relative paths, "." and ".." components, empty components, other
// folders). Purely lexical: nothing touches the filesystem.
std::optional<CompatPath> parse_compat_path(const std::string& wire_path);

// `wire_path` made safe for a message: control characters become '?', and
// it is cut to 200 characters.
std::string printable_path(const std::string& wire_path);

// The folder behind /tmp/<name>: made under $TMPDIR at construction (mode
// 0700), removed with its contents on destruction. Files are opened
// relative to the folder with O_NOFOLLOW, so a symbolic link planted in it
// is refused, never followed. Thread safe.
class ScratchArea {
 public:
  // Throws std::runtime_error when the folder cannot be made.
  ScratchArea(uint64_t limit_bytes, size_t max_files);
  ~ScratchArea();
  ScratchArea(const ScratchArea&) = delete;
  ScratchArea& operator=(const ScratchArea&) = delete;

  const std::string& directory() const { return directory_; }
  uint64_t limit_bytes() const { return limit_bytes_; }

  // Whether `name` is a regular file here (a symbolic link is not).
  bool exists(const std::string& name) const;
  // The file `name` opened for reading; NOT_FOUND when it is missing or
  // not a regular file.
  UniqueFd open_for_read(const std::string& name) const;

  // One file being written: the bytes go to a temporary file that replaces
  // `name` on commit(); without commit() it is removed.
  class Writer {
   public:
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    // RESOURCE_EXHAUSTED beyond the area's limit.
    void append(const std::string& data);
    void commit();

   private:
    friend class ScratchArea;
    Writer(ScratchArea& area, std::string name);

    ScratchArea& area_;
    std::string name_;
    std::string temp_path_;
    UniqueFd file_;
    uint64_t bytes_ = 0;
    bool committed_ = false;
  };

  // Starts writing `name`; RESOURCE_EXHAUSTED when the area holds its most
  // files already.
  std::unique_ptr<Writer> start_write(const std::string& name);

  // An anonymous file in the folder (unlinked at once), for staging.
  UniqueFd anonymous_file();

 private:
  // Bytes held by files other than `name`, and by writes in progress.
  uint64_t used_except_locked(const std::string& name) const;

  std::string directory_;
  UniqueFd directory_fd_;
  uint64_t limit_bytes_;
  size_t max_files_;
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t> sizes_;  // committed files
  uint64_t pending_bytes_ = 0;             // writes in progress
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_COMPAT_FILE_SANDBOX_H_
