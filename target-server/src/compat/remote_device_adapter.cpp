#include "compat/remote_device_adapter.h"

#include <utility>

#include "core/status_error.h"

// The adapter's file calls are in remote_device_files.cpp, its firmware
// store and programming in remote_device_firmware.cpp.

namespace pynq_remote {
namespace {

namespace rd = ::remote_device;

}  // namespace

RemoteDeviceAdapter::RemoteDeviceAdapter(
    std::shared_ptr<Backend> backend, std::shared_ptr<BitstreamCache> cache,
    BitstreamService* bitstreams, std::shared_ptr<ScratchArea> scratch,
    std::vector<DesignWindow> design_windows,
    std::shared_ptr<const Authorizer> authorizer)
    : backend_(std::move(backend)),
      cache_(std::move(cache)),
      bitstreams_(bitstreams),
      scratch_(std::move(scratch)),
      design_windows_(std::move(design_windows)),
      authorizer_(std::move(authorizer)) {}

grpc::Status RemoteDeviceAdapter::set_bitstream_attrs(
    grpc::ServerContext* context, const rd::SetBitstreamAttrsRequest* request,
    rd::SetBitstreamAttrsResponse* response) {
  return run_authorized(*authorizer_, Role::kOperator,
                        "remote_device.set_bitstream_attrs", context, [&] {
                          if (!is_compat_file_name(request->binfile_name())) {
                            throw StatusError(
                                grpc::StatusCode::INVALID_ARGUMENT,
                                "binfile_name '" +
                                    printable_path(request->binfile_name()) +
                                    "' is not a file name of [A-Za-z0-9._+-]");
                          }
                          std::lock_guard<std::mutex> lock(mutex_);
                          partial_ = request->partial();
                          response->set_status(true);
                        });
}

grpc::Status RemoteDeviceAdapter::download(
    grpc::ServerContext* context,
    grpc::ServerReader<rd::DownloadRequest>* /*reader*/,
    rd::DownloadResponse* /*response*/) {
  return run_authorized(
      *authorizer_, Role::kOperator, "remote_device.download", context, [&] {
        throw StatusError(
            grpc::StatusCode::UNIMPLEMENTED,
            "download is not served: write the .bin to /lib/firmware/NAME "
            "and NAME to /sys/class/fpga_manager/fpga0/firmware, as pynq "
            "4.0 does");
      });
}

grpc::Status RemoteDeviceAdapter::set_pl_clk(grpc::ServerContext* context,
                                             const rd::SetPlClkRequest* request,
                                             rd::SetPlClkResponse* response) {
  return run_authorized(
      *authorizer_, Role::kOperator, "remote_device.set_pl_clk", context, [&] {
        PlClocks* clocks = backend_->pl_clocks();
        if (clocks == nullptr) {
          throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                            "this board has no PL clocks the server can "
                            "control");
        }
        if (request->i() < 0) {
          throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                            "PL clock " + std::to_string(request->i()) +
                                " does not exist: the PS has PL clocks 0 to 3");
        }
        const unsigned index = static_cast<unsigned>(request->i());
        if (request->div0() > 0 && request->div1() > 0) {
          clocks->set_divisors(index, static_cast<unsigned>(request->div0()),
                               static_cast<unsigned>(request->div1()));
        } else {
          clocks->set_frequency(index, request->clk_mhz());
        }
        response->set_status(true);
      });
}

grpc::Status RemoteDeviceAdapter::shutdown(
    grpc::ServerContext* context, const rd::ShutdownRequest* /*request*/,
    rd::ShutdownResponse* /*response*/) {
  return run_authorized(
      *authorizer_, Role::kOperator, "remote_device.shutdown", context, [&] {
        throw StatusError(grpc::StatusCode::UNIMPLEMENTED,
                          "shutdown is not served; pynq 4.0 drives the "
                          "shutdown managers itself over MMIO");
      });
}

grpc::Status RemoteDeviceAdapter::existsfile(
    grpc::ServerContext* context, const rd::ExistsFileRequest* request,
    rd::ExistsFileResponse* response) {
  return run_authorized(
      *authorizer_, Role::kReader, "remote_device.existsfile", context, [&] {
        const std::optional<CompatPath> path =
            parse_compat_path(request->file_path());
        if (!path) {
          response->set_exists(false);
          return;
        }
        switch (path->kind) {
          case CompatPath::Kind::kScratch:
            response->set_exists(scratch_->exists(path->name));
            return;
          case CompatPath::Kind::kFirmware: {
            std::string sha256;
            {
              std::lock_guard<std::mutex> lock(mutex_);
              const auto found = firmware_.find(path->name);
              if (found != firmware_.end()) sha256 = found->second;
            }
            response->set_exists(!sha256.empty() && cache_ != nullptr &&
                                 cache_->size_of(sha256).has_value());
            return;
          }
          default:
            response->set_exists(true);
        }
      });
}

}  // namespace pynq_remote
