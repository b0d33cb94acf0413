#include "compat/mmio_adapter.h"

#include <cinttypes>
#include <cstdio>
#include <utility>
#include <vector>

#include "core/hex.h"
#include "core/limits.h"
#include "core/little_endian.h"
#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

// UG1087 registers behind pynq's ZU_FPD_SLCR_REG and ZU_AXIFM_REG.
constexpr uint64_t kPortWidthRegisters[] = {
    0xFD615000, 0xFF419000,                          // AXI_FS (masters)
    0xFD360000, 0xFD360014, 0xFD370000, 0xFD370014,  // AFIFM0, 1 (slaves)
    0xFD380000, 0xFD380014, 0xFD390000, 0xFD390014,  // AFIFM2, 3
    0xFD3A0000, 0xFD3A0014, 0xFD3B0000, 0xFD3B0014,  // AFIFM4, 5
    0xFF9B0000, 0xFF9B0014};                         // AFIFM6

// Runs `body`; a StatusError it throws goes into the response's msg with
// status false, as the PYNQ.remote protocol reports errors.
template <typename Response, typename Body>
void reported(const char* method, Response* response, Body&& body) {
  try {
    body();
    response->set_status(true);
  } catch (const StatusError& error) {
    log_debug(std::string(method) + " refused: " + error.what());
    response->Clear();
    response->set_status(false);
    response->set_msg(error.what());
  }
}

}  // namespace

std::string compat_mmio_id(uint64_t base, uint64_t length) {
  return "mmio:" + to_hex(base) + ":" + to_hex(length);
}

bool parse_compat_mmio_id(const std::string& id, uint64_t* base,
                          uint64_t* length) {
  unsigned long long parsed_base = 0;
  unsigned long long parsed_length = 0;
  if (id.size() > 64 || std::sscanf(id.c_str(), "mmio:0x%llx:0x%llx",
                                    &parsed_base, &parsed_length) != 2) {
    return false;
  }
  // Only the canonical spelling, so one window has one id; only windows
  // get_mmio could have opened.
  if (compat_mmio_id(parsed_base, parsed_length) != id || parsed_length == 0 ||
      parsed_base + parsed_length < parsed_base) {
    return false;
  }
  *base = parsed_base;
  *length = parsed_length;
  return true;
}

bool is_port_width_register(uint64_t address) {
  for (const uint64_t known : kPortWidthRegisters) {
    if (address == known) return true;
  }
  return false;
}

MmioAdapter::MmioAdapter(std::shared_ptr<Backend> backend,
                         std::shared_ptr<const Authorizer> authorizer)
    : backend_(std::move(backend)), authorizer_(std::move(authorizer)) {}

MmioAdapter::Target MmioAdapter::target_of(uint64_t address,
                                           uint64_t length) const {
  const std::shared_ptr<const MmioWindows> windows = backend_->windows();
  if (windows->find(address, length) != nullptr) return Target::kWindow;
  if (PlClocks* clocks = backend_->pl_clocks()) {
    for (const ClockRegisterPage& page : clocks->pages()) {
      if (address >= page.base && length <= page.size &&
          address - page.base <= page.size - length) {
        return Target::kClocks;
      }
    }
  }
  if (length <= 4 && is_port_width_register(address)) {
    return Target::kPortWidth;
  }
  std::string names;
  for (const MmioWindow& window : windows->list()) {
    names += (names.empty() ? "" : ", ") + window.name + " " +
             to_hex(window.base) + "+" + to_hex(window.size);
  }
  throw StatusError(grpc::StatusCode::PERMISSION_DENIED,
                    to_hex(address) + " (" + std::to_string(length) +
                        " bytes) is outside the MMIO windows of this board" +
                        (names.empty() ? "" : " (" + names + ")"));
}

uint64_t MmioAdapter::address_of(const std::string& id, uint64_t offset,
                                 uint64_t bytes) {
  uint64_t base = 0;
  uint64_t length = 0;
  if (!parse_compat_mmio_id(id, &base, &length)) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "unknown mmio_id; open the window with get_mmio");
  }
  if (offset > length || bytes > length - offset) {
    throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                      "offset " + to_hex(offset) + " (" +
                          std::to_string(bytes) +
                          " bytes) is outside the window of " + to_hex(length) +
                          " bytes at " + to_hex(base));
  }
  return base + offset;
}

grpc::Status MmioAdapter::get_mmio(grpc::ServerContextBase* context,
                                   const ::mmio::GetMmioRequest* request,
                                   ::mmio::GetMmioResponse* response) {
  return run_authorized(
      *authorizer_, Role::kReader, "mmio.get_mmio", context, [&] {
        reported("mmio.get_mmio", response, [&] {
          const uint64_t base = request->base_addr();
          const uint64_t length = request->length();
          if (length == 0 || base + length < base) {
            throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                              "bad MMIO window: " + std::to_string(length) +
                                  " bytes at " + to_hex(base));
          }
          target_of(base, length);
          response->set_mmio_id(compat_mmio_id(base, length));
        });
      });
}

grpc::Status MmioAdapter::read(grpc::ServerContextBase* context,
                               const ::mmio::ReadRequest* request,
                               ::mmio::ReadResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "mmio.read", context, [&] {
    reported("mmio.read", response, [&] {
      const uint64_t width = request->length();
      if (width == 8) {
        throw StatusError(
            grpc::StatusCode::INVALID_ARGUMENT,
            "8-byte reads cannot be answered over the PYNQ.remote protocol: "
            "its reply holds 32 bits; read the two halves at offset and "
            "offset + 4");
      }
      if (width != 1 && width != 2 && width != 4) {
        throw StatusError(
            grpc::StatusCode::INVALID_ARGUMENT,
            "length must be 1, 2, 4 or 8 bytes, got " + std::to_string(width));
      }
      const uint64_t address =
          address_of(request->mmio_id(), request->offset(), width);
      const Target target = target_of(address, width);
      switch (target) {
        case Target::kWindow:
          backend_->windows()->check(address, static_cast<unsigned>(width));
          response->set_data(static_cast<uint32_t>(
              backend_->read(address, static_cast<unsigned>(width))));
          return;
        case Target::kClocks:
        case Target::kPortWidth: {
          if (width != 4) {
            throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                              "PS registers are read 4 bytes at a time");
          }
          response->set_data(target == Target::kClocks
                                 ? backend_->pl_clocks()->read_register(address)
                                 : read_port_width(address));
          return;
        }
      }
    });
  });
}

grpc::Status MmioAdapter::write(grpc::ServerContextBase* context,
                                const ::mmio::WriteRequest* request,
                                ::mmio::WriteResponse* response) {
  return run_authorized(
      *authorizer_, Role::kOperator, "mmio.write", context, [&] {
        reported("mmio.write", response, [&] {
          const std::string& data = request->data();
          if (data.empty() || data.size() % 4 != 0) {
            throw StatusError(
                grpc::StatusCode::INVALID_ARGUMENT,
                "data must be a whole number of 32-bit words, got " +
                    std::to_string(data.size()) + " bytes");
          }
          if (data.size() > kMaxBurstBytes) {
            throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                              "write of " + std::to_string(data.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(kMaxBurstBytes) + " bytes");
          }
          const uint64_t address =
              address_of(request->mmio_id(), request->offset(), data.size());
          const uint64_t count = data.size() / 4;
          const auto* words = reinterpret_cast<const uint8_t*>(data.data());
          switch (target_of(address, data.size())) {
            case Target::kWindow:
              backend_->windows()->check_range(address, 4, count);
              if (count == 1) {
                backend_->write(address, 4, load_le(words, 4));
              } else {
                backend_->write_block(address, 4, count, words);
              }
              return;
            case Target::kClocks:
              for (uint64_t i = 0; i < count; ++i) {
                backend_->pl_clocks()->write_register(
                    address + 4 * i,
                    static_cast<uint32_t>(load_le(words + 4 * i, 4)));
              }
              return;
            case Target::kPortWidth:
              write_port_width(address,
                               static_cast<uint32_t>(load_le(words, 4)));
              return;
          }
        });
      });
}

uint32_t MmioAdapter::read_port_width(uint64_t address) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = port_widths_.find(address);
  return found == port_widths_.end() ? 0 : found->second;
}

void MmioAdapter::write_port_width(uint64_t address, uint32_t value) {
  std::lock_guard<std::mutex> lock(mutex_);
  port_widths_[address] = value;
  if (!warned_) {
    warned_ = true;
    log_warning("a PYNQ.remote client set AXI port widths (" + to_hex(address) +
                " = " + to_hex(value) +
                ", ...): pynq-remote-server remembers them but does not "
                "apply them; the PS keeps the widths its boot firmware set");
  }
}

}  // namespace pynq_remote
