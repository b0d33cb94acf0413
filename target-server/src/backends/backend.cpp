#include "backends/backend.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "core/hex.h"
#include "core/limits.h"
#include "core/little_endian.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

constexpr uint64_t kPage = 4096;

StatusError bad_window(const DesignWindow& window, const std::string& why) {
  return StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                     "design window '" + window.name + "' (" +
                         to_hex(window.base) + ", " +
                         std::to_string(window.size) + " bytes) " + why);
}

void check_design_window(const DesignWindow& window) {
  if (window.size == 0) throw bad_window(window, "has size 0");
  if (window.base % kPage != 0 || window.size % kPage != 0) {
    throw bad_window(window, "is not aligned to 4 KiB pages");
  }
  if (window.base > UINT64_MAX - (window.size - 1)) {
    throw bad_window(window, "wraps past the end of the address space");
  }
  if (window.parameters.size() > kMaxDesignParameters) {
    throw bad_window(window, "has " + std::to_string(window.parameters.size()) +
                                 " parameters, more than the limit of " +
                                 std::to_string(kMaxDesignParameters));
  }
  for (const auto& [name, value] : window.parameters) {
    if (name.empty() || name.size() > kMaxDesignParameterNameBytes ||
        value.size() > kMaxDesignParameterValueBytes) {
      throw bad_window(window, "has a parameter name of " +
                                   std::to_string(name.size()) +
                                   " bytes or value of " +
                                   std::to_string(value.size()) +
                                   " bytes (limits 1 to " +
                                   std::to_string(kMaxDesignParameterNameBytes) +
                                   " and " +
                                   std::to_string(kMaxDesignParameterValueBytes) +
                                   ")");
    }
  }
}

}  // namespace

void check_design_windows(const std::vector<DesignWindow>& windows) {
  if (windows.size() > kMaxDesignWindows) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "address map of " + std::to_string(windows.size()) +
                          " windows exceeds the limit of " +
                          std::to_string(kMaxDesignWindows));
  }
  std::vector<const DesignWindow*> by_base;
  for (const DesignWindow& window : windows) {
    check_design_window(window);
    by_base.push_back(&window);
  }
  std::sort(by_base.begin(), by_base.end(),
            [](const DesignWindow* a, const DesignWindow* b) {
              return a->base < b->base;
            });
  for (size_t i = 1; i < by_base.size(); ++i) {
    const DesignWindow& before = *by_base[i - 1];
    if (by_base[i]->base - before.base < before.size) {
      throw bad_window(*by_base[i], "overlaps '" + before.name + "'");
    }
  }
}

uint64_t unix_ms_now() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

void Backend::set_simulated_axi_gpio_input(const std::string& /*window*/,
                                           unsigned /*channel*/,
                                           uint32_t /*value*/) {
  throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                    "simulated inputs exist only on the sim backend");
}

void Backend::set_simulated_line_input(const std::string& /*chip*/,
                                       uint32_t /*offset*/, int /*value*/) {
  throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                    "simulated inputs exist only on the sim backend");
}

void Backend::read_block(uint64_t address, unsigned width, uint64_t count,
                         uint8_t* out) {
  for (uint64_t i = 0; i < count; ++i) {
    store_le(out + i * width, read(address + i * width, width), width);
  }
}

void Backend::write_block(uint64_t address, unsigned width, uint64_t count,
                          const uint8_t* in) {
  for (uint64_t i = 0; i < count; ++i) {
    write(address + i * width, width, load_le(in + i * width, width));
  }
}

}  // namespace pynq_remote
