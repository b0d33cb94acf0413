#include "core/board_config.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include "core/hex.h"

namespace pynq_remote {
namespace {

constexpr uint64_t kPageSize = 4096;

// Keeps the first parse error as "LINE:COLUMN: message".
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  const std::string& error() const { return error_; }

#if GOOGLE_PROTOBUF_VERSION >= 4022000
  void RecordError(int line, google::protobuf::io::ColumnNumber column,
                   absl::string_view message) override {
    keep(line, column, std::string(message));
  }
#else
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    keep(line, column, message);
  }
#endif

 private:
  void keep(int line, int column, const std::string& message) {
    if (!error_.empty()) return;
    // The parser counts from 0; editors count from 1.
    error_ = std::to_string(line + 1) + ":" + std::to_string(column + 1) +
             ": " + message;
  }

  std::string error_;
};

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw ConfigError(path + ": cannot open the file");
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw ConfigError(path + ": cannot read the file");
  return text.str();
}

void validate_window(const config::Window& window) {
  const std::string where = "window '" + window.name() + "': ";
  if (window.size() == 0) {
    throw ConfigError(where + "size must be greater than 0");
  }
  if (window.base_address() % kPageSize != 0) {
    throw ConfigError(where + "base_address " + to_hex(window.base_address()) +
                      " is not aligned to 4 KiB");
  }
  if (window.size() - 1 > UINT64_MAX - window.base_address()) {
    throw ConfigError(where + "extends past the end of the address space");
  }
}

}  // namespace

void validate_windows(const config::BoardConfig& config) {
  std::set<std::string> names;
  for (const config::Window& window : config.windows()) {
    if (window.name().empty()) {
      throw ConfigError("a window has no name");
    }
    if (!names.insert(window.name()).second) {
      throw ConfigError("window name '" + window.name() + "' is used twice");
    }
    validate_window(window);
  }

  std::vector<const config::Window*> by_base;
  for (const config::Window& window : config.windows()) {
    by_base.push_back(&window);
  }
  std::sort(by_base.begin(), by_base.end(),
            [](const config::Window* a, const config::Window* b) {
              return a->base_address() < b->base_address();
            });
  for (size_t i = 1; i < by_base.size(); ++i) {
    const config::Window& before = *by_base[i - 1];
    const config::Window& after = *by_base[i];
    if (after.base_address() - before.base_address() < before.size()) {
      throw ConfigError("windows '" + before.name() + "' and '" + after.name() +
                        "' overlap");
    }
  }
}

void check_buffer_range(const std::string& what, uint64_t base, uint64_t size,
                        const MmioWindows& windows) {
  if (size == 0) throw ConfigError(what + ": size must be greater than 0");
  if (base % kPageSize != 0 || size % kPageSize != 0) {
    throw ConfigError(what + ": base_address " + to_hex(base) + " and size " +
                      to_hex(size) + " must be multiples of 4 KiB");
  }
  if (size - 1 > UINT64_MAX - base) {
    throw ConfigError(what + ": extends past the end of the address space");
  }
  for (const MmioWindow& window : windows.list()) {
    const bool apart = window.base >= base ? window.base - base >= size
                                           : base - window.base >= window.size;
    if (!apart) {
      throw ConfigError(what + ": overlaps window '" + window.name + "'");
    }
  }
}

void validate_board_config(const config::BoardConfig& config) {
  validate_windows(config);
  if (config.has_buffer_pool()) {
    check_buffer_range("buffer_pool", config.buffer_pool().base_address(),
                       config.buffer_pool().size(),
                       windows_from_config(config));
  }
}

config::BoardConfig load_board_config(const std::string& path) {
  const std::string text = read_file(path);
  config::BoardConfig config;
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &config)) {
    throw ConfigError(path + ":" +
                      (errors.error().empty() ? " not a valid board config"
                                              : errors.error()));
  }
  try {
    validate_board_config(config);
  } catch (const ConfigError& error) {
    throw ConfigError(path + ": " + error.what());
  }
  return config;
}

MmioWindows windows_from_config(const config::BoardConfig& config) {
  std::vector<MmioWindow> windows;
  for (const config::Window& window : config.windows()) {
    windows.push_back({window.name(), window.base_address(), window.size()});
  }
  return MmioWindows(std::move(windows));
}

}  // namespace pynq_remote
