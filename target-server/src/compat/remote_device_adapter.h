// remote_device.RemoteDevice (PYNQ.remote): the `pynq` host's file calls,
// confined to the paths of compat/file_sandbox.h and mapped onto the
// server's state: /lib/firmware/<name> stores into the bitstream cache, a
// name written to the FPGA manager's firmware file programs it through
// BitstreamService, flags selects partial, /proc and device-tree reads
// describe the board, /tmp/<name> is the scratch area.
#ifndef PYNQ_REMOTE_COMPAT_REMOTE_DEVICE_ADAPTER_H_
#define PYNQ_REMOTE_COMPAT_REMOTE_DEVICE_ADAPTER_H_

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "compat/file_sandbox.h"
#include "core/authorizer.h"
#include "core/bitstream_cache.h"
#include "pynq_remote_compat/remote_device.grpc.pb.h"
#include "services/bitstream_service.h"

namespace pynq_remote {

// Most firmware names the adapter remembers (name -> sha256).
constexpr size_t kMaxCompatFirmwareNames = 256;

class RemoteDeviceAdapter final
    : public ::remote_device::RemoteDevice::Service {
 public:
  // `bitstreams` programs; it and `cache` may be absent (no cache): then
  // firmware calls fail with FAILED_PRECONDITION. This protocol carries no
  // address map: programming a bitstream that a v1 ProgramBitstream
  // programmed before with its address map reuses that map, interrupts and
  // parameters (BitstreamService::known_design), so the sim models the
  // design; for any other bitstream `design_windows` (the allow-list the
  // server started with) become the allow-list.
  RemoteDeviceAdapter(std::shared_ptr<Backend> backend,
                      std::shared_ptr<BitstreamCache> cache,
                      BitstreamService* bitstreams,
                      std::shared_ptr<ScratchArea> scratch,
                      std::vector<DesignWindow> design_windows,
                      std::shared_ptr<const Authorizer> authorizer);

  grpc::Status set_bitstream_attrs(
      grpc::ServerContext* context,
      const ::remote_device::SetBitstreamAttrsRequest* request,
      ::remote_device::SetBitstreamAttrsResponse* response) override;
  grpc::Status download(
      grpc::ServerContext* context,
      grpc::ServerReader<::remote_device::DownloadRequest>* reader,
      ::remote_device::DownloadResponse* response) override;
  grpc::Status set_pl_clk(grpc::ServerContext* context,
                          const ::remote_device::SetPlClkRequest* request,
                          ::remote_device::SetPlClkResponse* response) override;
  grpc::Status shutdown(grpc::ServerContext* context,
                        const ::remote_device::ShutdownRequest* request,
                        ::remote_device::ShutdownResponse* response) override;
  grpc::Status readfile(
      grpc::ServerContext* context,
      const ::remote_device::ReadFileRequest* request,
      grpc::ServerWriter<::remote_device::ReadFileResponse>* writer) override {
    return read_file(context, request, writer);
  }
  grpc::Status writefile(
      grpc::ServerContext* context,
      grpc::ServerReader<::remote_device::WriteFileRequest>* reader,
      ::remote_device::WriteFileResponse* response) override {
    return write_file(context, reader, response);
  }
  grpc::Status existsfile(
      grpc::ServerContext* context,
      const ::remote_device::ExistsFileRequest* request,
      ::remote_device::ExistsFileResponse* response) override;

  // The stream RPCs over the stream interfaces, which tests implement.
  grpc::Status read_file(
      grpc::ServerContext* context,
      const ::remote_device::ReadFileRequest* request,
      grpc::ServerWriterInterface<::remote_device::ReadFileResponse>* writer);
  grpc::Status write_file(
      grpc::ServerContext* context,
      grpc::ServerReaderInterface<::remote_device::WriteFileRequest>* reader,
      ::remote_device::WriteFileResponse* response);

 private:
  // The bytes of a file the server makes up (/proc, device tree, sysfs).
  std::string synthetic_file(const CompatPath& path) const;
  // Stores the stream's bytes into the bitstream cache as `name`.
  void store_firmware(
      const std::string& name, const std::string& first,
      grpc::ServerReaderInterface<::remote_device::WriteFileRequest>* reader,
      const std::string& wire_path);
  void program(grpc::ServerContext* context, const std::string& name);
  BitstreamCache& cache() const;

  std::shared_ptr<Backend> backend_;
  std::shared_ptr<BitstreamCache> cache_;
  BitstreamService* bitstreams_;
  std::shared_ptr<ScratchArea> scratch_;
  std::vector<DesignWindow> design_windows_;
  std::shared_ptr<const Authorizer> authorizer_;

  mutable std::mutex mutex_;
  std::map<std::string, std::string> firmware_;  // name -> sha256
  bool partial_ = false;                         // the FPGA manager's flags
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_COMPAT_REMOTE_DEVICE_ADAPTER_H_
