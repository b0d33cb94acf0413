// mmio.Mmio (PYNQ.remote): register access as the `pynq` host makes it,
// over the same backend and allow-list as v1 MmioService. A window id
// encodes its base and length, so the server keeps no table. Besides the
// allow-list, two groups of PS registers a `pynq` host writes around a
// download are answered: the clock controller (through the backend's
// PlClocks, as pynq's Clocks programs the PL clocks) and the AXI port-width
// registers (remembered and reported, not applied). Errors the host checks
// travel in `msg` with status false; refused callers get a gRPC status.
#ifndef PYNQ_REMOTE_COMPAT_MMIO_ADAPTER_H_
#define PYNQ_REMOTE_COMPAT_MMIO_ADAPTER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "pynq_remote_compat/mmio.pb.h"

namespace pynq_remote {

// "mmio:0xBASE:0xLENGTH".
std::string compat_mmio_id(uint64_t base, uint64_t length);
// The base and length of an id made by compat_mmio_id(); false otherwise.
bool parse_compat_mmio_id(const std::string& id, uint64_t* base,
                          uint64_t* length);

// Whether `address` is one of the Zynq UltraScale+ AXI port-width registers
// pynq writes after a full download (FPD/LPD_SLCR AXI_FS, AFIFM RD/WRCTRL).
bool is_port_width_register(uint64_t address);

class MmioAdapter final {
 public:
  MmioAdapter(std::shared_ptr<Backend> backend,
              std::shared_ptr<const Authorizer> authorizer);

  grpc::Status get_mmio(grpc::ServerContextBase* context,
                        const ::mmio::GetMmioRequest* request,
                        ::mmio::GetMmioResponse* response);
  grpc::Status read(grpc::ServerContextBase* context,
                    const ::mmio::ReadRequest* request,
                    ::mmio::ReadResponse* response);
  grpc::Status write(grpc::ServerContextBase* context,
                     const ::mmio::WriteRequest* request,
                     ::mmio::WriteResponse* response);

 private:
  enum class Target { kWindow, kClocks, kPortWidth };
  // What answers [address, address + length); PERMISSION_DENIED when
  // nothing does.
  Target target_of(uint64_t address, uint64_t length) const;
  // The physical address of [offset, offset + bytes) of window `id`;
  // INVALID_ARGUMENT / OUT_OF_RANGE for bad ids and ranges.
  static uint64_t address_of(const std::string& id, uint64_t offset,
                             uint64_t bytes);
  uint32_t read_port_width(uint64_t address);
  void write_port_width(uint64_t address, uint32_t value);

  std::shared_ptr<Backend> backend_;
  std::shared_ptr<const Authorizer> authorizer_;
  std::mutex mutex_;
  std::map<uint64_t, uint32_t> port_widths_;
  bool warned_ = false;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_COMPAT_MMIO_ADAPTER_H_
