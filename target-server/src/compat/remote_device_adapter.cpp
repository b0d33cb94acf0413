#include "compat/remote_device_adapter.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/limits.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/status_error.h"
#include "pynq_remote/v1/bitstream.pb.h"

namespace pynq_remote {
namespace {

namespace rd = ::remote_device;

// Longest content of the FPGA manager's flags and firmware files.
constexpr size_t kMaxSysfsWriteBytes = 256;
// Chunk of a readfile answer and of the firmware copy into the cache.
constexpr size_t kFileChunkBytes = 1024 * 1024;

std::string trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

StatusError outside_sandbox(const std::string& wire_path, bool write) {
  if (write) {
    return StatusError(grpc::StatusCode::PERMISSION_DENIED,
                       "writing '" + printable_path(wire_path) +
                           "' is not allowed: PYNQ.remote clients may write "
                           "/lib/firmware/<name>, the FPGA manager's firmware "
                           "and flags, and /tmp/<name>");
  }
  return StatusError(grpc::StatusCode::NOT_FOUND,
                     "no file '" + printable_path(wire_path) +
                         "': PYNQ.remote clients may read /proc/version, "
                         "/proc/device-tree/chosen/pynq_board, the FPGA "
                         "manager's flags and state, and /tmp/<name>");
}

StatusError cancelled() {
  return StatusError(grpc::StatusCode::CANCELLED,
                     "the client cancelled the call");
}

// What `pynq` reads from /proc/version to tell the CPU: "aarch64" for Zynq
// UltraScale+ (and the sim board, which models one), else armv7l.
std::string board_architecture(const BoardDescription& board) {
  if (board.platform == "zynq") return "armv7l";
  if (board.platform == "zynqmp" || board.backend == "sim") return "aarch64";
  struct utsname names{};
  return ::uname(&names) == 0 ? names.machine : "unknown";
}

void write_all(int fd, const std::string& data) {
  const char* next = data.data();
  size_t left = data.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, next, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw StatusError(
          errno == ENOSPC ? grpc::StatusCode::RESOURCE_EXHAUSTED
                          : grpc::StatusCode::INTERNAL,
          std::string("cannot stage firmware: ") + std::strerror(errno));
    }
    next += written;
    left -= static_cast<size_t>(written);
  }
}

// Up to `size` bytes from `fd`; fewer only at its end.
std::string read_some(int fd, size_t size) {
  std::string data(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, data.data() + done, size - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw StatusError(
          grpc::StatusCode::INTERNAL,
          std::string("cannot read a file: ") + std::strerror(errno));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  data.resize(done);
  return data;
}

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

BitstreamCache& RemoteDeviceAdapter::cache() const {
  if (cache_ == nullptr || bitstreams_ == nullptr) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this server has no bitstream cache: start it with "
                      "--cache-dir");
  }
  return *cache_;
}

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

std::string RemoteDeviceAdapter::synthetic_file(const CompatPath& path) const {
  switch (path.kind) {
    case CompatPath::Kind::kProcVersion: {
      const BoardDescription board = backend_->description();
      struct utsname names{};
      const std::string release =
          ::uname(&names) == 0 ? names.release : "unknown";
      return "Linux version " + release + " (pynq-remote-server " +
             PYNQ_REMOTE_VERSION + ", " + board.backend + " backend) " +
             board_architecture(board) + "\n";
    }
    case CompatPath::Kind::kBoardName:
      return backend_->description().board + std::string(1, '\0');
    case CompatPath::Kind::kFpgaState: {
      const FpgaStatus status = backend_->fpga_state();
      if (!status.manager_state.empty()) return status.manager_state + "\n";
      return status.state == FpgaState::kOperating ? "operating\n"
                                                   : "unknown\n";
    }
    case CompatPath::Kind::kFpgaFlags: {
      std::lock_guard<std::mutex> lock(mutex_);
      return partial_ ? "1\n" : "0\n";
    }
    default:
      break;
  }
  throw StatusError(grpc::StatusCode::INTERNAL, "not a synthetic file");
}

grpc::Status RemoteDeviceAdapter::read_file(
    grpc::ServerContext* context, const rd::ReadFileRequest* request,
    grpc::ServerWriterInterface<rd::ReadFileResponse>* writer) {
  return run_authorized(
      *authorizer_, Role::kReader, "remote_device.readfile", context, [&] {
        const std::string& wire_path = request->file_path();
        const std::optional<CompatPath> path = parse_compat_path(wire_path);
        if (!path) throw outside_sandbox(wire_path, false);
        rd::ReadFileResponse chunk;
        switch (path->kind) {
          case CompatPath::Kind::kFirmware:
            throw StatusError(grpc::StatusCode::NOT_FOUND,
                              "'" + printable_path(wire_path) +
                                  "' cannot be read back; firmware is only "
                                  "written and programmed");
          case CompatPath::Kind::kFpgaFirmware:
            throw StatusError(
                grpc::StatusCode::NOT_FOUND,
                "'" + printable_path(wire_path) + "' is write-only");
          case CompatPath::Kind::kScratch: {
            const UniqueFd file = scratch_->open_for_read(path->name);
            while (true) {
              if (context->IsCancelled()) throw cancelled();
              chunk.set_data(read_some(file.get(), kFileChunkBytes));
              if (chunk.data().empty()) break;
              if (!writer->Write(chunk)) throw cancelled();
            }
            return;
          }
          default:
            chunk.set_data(synthetic_file(*path));
            if (!writer->Write(chunk)) throw cancelled();
        }
      });
}

grpc::Status RemoteDeviceAdapter::write_file(
    grpc::ServerContext* context,
    grpc::ServerReaderInterface<rd::WriteFileRequest>* reader,
    rd::WriteFileResponse* /*response*/) {
  return run_authorized(
      *authorizer_, Role::kOperator, "remote_device.writefile", context, [&] {
        rd::WriteFileRequest message;
        if (!reader->Read(&message)) {
          if (context->IsCancelled()) throw cancelled();
          throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                            "writefile received no messages");
        }
        const std::string wire_path = message.file_path();
        const std::optional<CompatPath> path = parse_compat_path(wire_path);
        if (!path) throw outside_sandbox(wire_path, true);
        const auto same_path = [&](const rd::WriteFileRequest& next) {
          if (next.file_path() == wire_path) return;
          throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                            "every message of a writefile stream must name "
                            "the file of the first");
        };
        switch (path->kind) {
          case CompatPath::Kind::kScratch: {
            const std::unique_ptr<ScratchArea::Writer> file =
                scratch_->start_write(path->name);
            file->append(message.data());
            while (reader->Read(&message)) {
              same_path(message);
              file->append(message.data());
            }
            if (context->IsCancelled()) throw cancelled();
            file->commit();
            return;
          }
          case CompatPath::Kind::kFirmware:
            store_firmware(path->name, message.data(), reader, wire_path);
            return;
          case CompatPath::Kind::kFpgaFlags:
          case CompatPath::Kind::kFpgaFirmware: {
            std::string content = message.data();
            bool too_long = content.size() > kMaxSysfsWriteBytes;
            while (!too_long && reader->Read(&message)) {
              same_path(message);
              content += message.data();
              too_long = content.size() > kMaxSysfsWriteBytes;
            }
            if (too_long) {
              throw StatusError(
                  grpc::StatusCode::INVALID_ARGUMENT,
                  "'" + printable_path(wire_path) + "' takes at most " +
                      std::to_string(kMaxSysfsWriteBytes) + " bytes");
            }
            if (context->IsCancelled()) throw cancelled();
            const std::string value = trimmed(content);
            if (path->kind == CompatPath::Kind::kFpgaFirmware) {
              program(context, value);
              return;
            }
            if (value != "0" && value != "1") {
              throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                                "the FPGA manager's flags take 0 (full) or 1 "
                                "(partial), got '" +
                                    printable_path(value) + "'");
            }
            std::lock_guard<std::mutex> lock(mutex_);
            partial_ = value == "1";
            return;
          }
          default:
            throw outside_sandbox(wire_path, true);
        }
      });
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
  for (const DesignWindow& window : design_windows_) {
    v1::DesignWindow* out = request.add_address_map();
    out->set_name(window.name);
    out->set_base_address(window.base);
    out->set_size(window.size);
    out->set_ip_type(window.ip_type);
  }
  v1::ProgramBitstreamResponse response;
  const grpc::Status status =
      bitstreams_->ProgramBitstream(context, &request, &response);
  if (!status.ok()) {
    throw StatusError(status.error_code(), status.error_message());
  }
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
