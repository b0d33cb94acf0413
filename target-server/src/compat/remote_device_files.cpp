// RemoteDeviceAdapter's readfile and writefile: each sandboxed path kind
// translated to the scratch area, the firmware store or a synthetic file.
#include <sys/utsname.h>

#include "compat/remote_device_adapter.h"
#include "compat/remote_device_support.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

namespace rd = ::remote_device;
using compat_io::cancelled;
using compat_io::kFileChunkBytes;
using compat_io::kMaxSysfsWriteBytes;
using compat_io::outside_sandbox;
using compat_io::read_some;
using compat_io::trimmed;

// What `pynq` reads from /proc/version to tell the CPU: "aarch64" for Zynq
// UltraScale+ (and the sim board, which models one), else armv7l.
std::string board_architecture(const BoardDescription& board) {
  if (board.platform == "zynq") return "armv7l";
  if (board.platform == "zynqmp" || board.backend == "sim") return "aarch64";
  struct utsname names{};
  return ::uname(&names) == 0 ? names.machine : "unknown";
}

}  // namespace

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

}  // namespace pynq_remote
