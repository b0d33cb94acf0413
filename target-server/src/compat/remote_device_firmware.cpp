// RemoteDeviceAdapter's firmware: a /lib/firmware/<name> write stored into
// the bitstream cache, and a name written to the FPGA manager programmed
// through BitstreamService.
#include <unistd.h>

#include <optional>

#include "compat/remote_device_adapter.h"
#include "compat/remote_device_support.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/status_error.h"
#include "pynq_remote/v1/bitstream.pb.h"

namespace pynq_remote {
namespace {

namespace rd = ::remote_device;
using compat_io::kFileChunkBytes;
using compat_io::read_some;
using compat_io::write_all;

}  // namespace

BitstreamCache& RemoteDeviceAdapter::cache() const {
  if (cache_ == nullptr || bitstreams_ == nullptr) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this server has no bitstream cache: start it with "
                      "--cache-dir");
  }
  return *cache_;
}

void RemoteDeviceAdapter::store_firmware(
    const std::string& name, const std::string& first,
    grpc::ServerReaderInterface<rd::WriteFileRequest>* reader,
    const std::string& wire_path) {
  BitstreamCache& bitstream_cache = cache();
  // Staged in the scratch folder (an unlinked file, so nothing outlives the
  // call) while hashing, since the cache wants the sha256 first.
  const UniqueFd staging = scratch_->anonymous_file();
  Sha256 hash;
  uint64_t size = 0;
  rd::WriteFileRequest message;
  std::string data = first;
  while (true) {
    size += data.size();
    if (size > kMaxBitstreamBytes) {
      throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                        "firmware '" + name + "' exceeds the limit of " +
                            std::to_string(kMaxBitstreamBytes) + " bytes");
    }
    hash.update(data.data(), data.size());
    write_all(staging.get(), data);
    if (!reader->Read(&message)) break;
    if (message.file_path() != wire_path) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "every message of a writefile stream must name the "
                        "file of the first");
    }
    data = message.data();
  }
  if (size == 0) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "firmware '" + name + "' is empty");
  }
  const std::string sha256 = hash.hex_digest();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (firmware_.count(name) == 0 &&
        firmware_.size() >= kMaxCompatFirmwareNames) {
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the server remembers at most " +
                            std::to_string(kMaxCompatFirmwareNames) +
                            " firmware names until it restarts");
    }
  }
  if (::lseek(staging.get(), 0, SEEK_SET) != 0) {
    throw StatusError(grpc::StatusCode::INTERNAL, "cannot rewind firmware");
  }
  const std::unique_ptr<BitstreamUpload> upload =
      bitstream_cache.start_upload(sha256, size);
  while (true) {
    const std::string chunk = read_some(staging.get(), kFileChunkBytes);
    if (chunk.empty()) break;
    upload->write(chunk);
  }
  upload->finish();
  std::lock_guard<std::mutex> lock(mutex_);
  firmware_[name] = sha256;
  log_info("PYNQ.remote firmware '" + name + "' is bitstream " + sha256 + " (" +
           std::to_string(size) + " bytes)");
}

void RemoteDeviceAdapter::program(grpc::ServerContext* context,
                                  const std::string& name) {
  cache();
  v1::ProgramBitstreamRequest request;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = firmware_.find(name);
    if (!is_compat_file_name(name) || found == firmware_.end()) {
      throw StatusError(grpc::StatusCode::NOT_FOUND,
                        "no firmware '" + printable_path(name) +
                            "': write /lib/firmware/" + printable_path(name) +
                            " first");
    }
    request.set_sha256(found->second);
    request.set_partial(partial_);
  }
  const size_t dot = name.rfind(".bin");
  request.set_design_name(dot != std::string::npos && dot + 4 == name.size()
                              ? name.substr(0, dot)
                              : name);
  const std::optional<v1::ProgramBitstreamRequest> known =
      bitstreams_->known_design(request.sha256());
  if (known) {
    *request.mutable_address_map() = known->address_map();
    *request.mutable_interrupts() = known->interrupts();
  } else {
    log_info("PYNQ.remote firmware '" + name +
             "' was never deployed with its address map (pynq-remote "
             "deploy): the MMIO windows stay those the server started "
             "with");
    for (const DesignWindow& window : design_windows_) {
      v1::DesignWindow* out = request.add_address_map();
      out->set_name(window.name);
      out->set_base_address(window.base);
      out->set_size(window.size);
      out->set_ip_type(window.ip_type);
    }
  }
  v1::ProgramBitstreamResponse response;
  const grpc::Status status =
      bitstreams_->ProgramBitstream(context, &request, &response);
  if (!status.ok()) {
    throw StatusError(status.error_code(), status.error_message());
  }
}

}  // namespace pynq_remote
