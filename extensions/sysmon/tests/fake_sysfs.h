// A sysfs tree in a temporary folder, for the linux sensor source.
#ifndef PYNQ_REMOTE_EXT_SYSMON_TESTS_FAKE_SYSFS_H_
#define PYNQ_REMOTE_EXT_SYSMON_TESTS_FAKE_SYSFS_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace pynq_remote_ext {
namespace sysmon {

class FakeSysfs {
 public:
  FakeSysfs() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "sysmon-sysfs-XXXXXX")
            .string();
    root_ = ::mkdtemp(pattern.data());
  }
  ~FakeSysfs() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  FakeSysfs(const FakeSysfs&) = delete;
  FakeSysfs& operator=(const FakeSysfs&) = delete;

  const std::string& root() const { return root_; }

  // Writes `text` and a newline to `path` under the root.
  void write(const std::string& path, const std::string& text) const {
    const std::filesystem::path full = std::filesystem::path(root_) / path;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full) << text << "\n";
  }

 private:
  std::string root_;
};

}  // namespace sysmon
}  // namespace pynq_remote_ext

#endif  // PYNQ_REMOTE_EXT_SYSMON_TESTS_FAKE_SYSFS_H_
