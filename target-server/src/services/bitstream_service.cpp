#include "services/bitstream_service.h"

#include <string>
#include <utility>
#include <vector>

#include "core/limits.h"
#include "core/log.h"
#include "core/status_error.h"
#include "services/fpga_state_proto.h"

namespace pynq_remote {
namespace {

StatusError cancelled() {
  return StatusError(grpc::StatusCode::CANCELLED,
                     "the client cancelled the call");
}

void check_overlay_size(const std::string& overlay) {
  if (overlay.size() <= kMaxDeviceTreeOverlayBytes) return;
  throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                    "device_tree_overlay of " +
                        std::to_string(overlay.size()) +
                        " bytes exceeds the limit of " +
                        std::to_string(kMaxDeviceTreeOverlayBytes) + " bytes");
}

std::vector<DesignWindow> design_windows(
    const v1::ProgramBitstreamRequest& request) {
  if (static_cast<uint64_t>(request.address_map_size()) > kMaxDesignWindows) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "address map of " +
                          std::to_string(request.address_map_size()) +
                          " windows exceeds the limit of " +
                          std::to_string(kMaxDesignWindows));
  }
  std::vector<DesignWindow> windows;
  for (const v1::DesignWindow& window : request.address_map()) {
    windows.push_back(DesignWindow{
        window.name(), window.base_address(), window.size(), window.ip_type(),
        {window.parameters().begin(), window.parameters().end()}});
  }
  check_design_windows(windows);
  return windows;
}

}  // namespace

BitstreamService::BitstreamService(
    std::shared_ptr<Backend> backend, std::shared_ptr<BitstreamCache> cache,
    std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(std::move(authorizer)),
      backend_(std::move(backend)),
      cache_(std::move(cache)) {}

BitstreamCache& BitstreamService::cache() const {
  if (cache_ == nullptr) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this server has no bitstream cache: start it with "
                      "--cache-dir");
  }
  return *cache_;
}

grpc::Status BitstreamService::upload_bitstream(
    grpc::ServerContext* context,
    grpc::ServerReaderInterface<v1::UploadBitstreamRequest>* reader,
    v1::UploadBitstreamResponse* response) {
  return run_long_authorized(*authorizer_, Role::kOperator, "UploadBitstream", context, [&] {
    v1::UploadBitstreamRequest message;
    if (!reader->Read(&message)) {
      if (context->IsCancelled()) throw cancelled();
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "UploadBitstream received no messages");
    }
    if (!message.has_header()) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "the first message of an UploadBitstream stream must "
                        "carry the header");
    }
    const v1::UploadBitstreamHeader header = message.header();
    // Removes its temporary file unless finished, whatever happens below.
    const std::unique_ptr<BitstreamUpload> upload =
        cache().start_upload(header.sha256(), header.size());
    while (reader->Read(&message)) {
      if (message.part_case() != v1::UploadBitstreamRequest::kData) {
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                          "only the first message of an UploadBitstream "
                          "stream may carry a header; the others carry data");
      }
      upload->write(message.data());
    }
    if (context->IsCancelled()) throw cancelled();
    upload->finish();
    response->set_sha256(header.sha256());
    response->set_bytes_received(upload->bytes_received());
    log_info("bitstream " + header.sha256() + " (" +
             std::to_string(header.size()) + " bytes) is in the cache");
  });
}

grpc::Status BitstreamService::HasBitstream(
    grpc::ServerContext* context, const v1::HasBitstreamRequest* request,
    v1::HasBitstreamResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "HasBitstream", context, [&] {
    const std::optional<uint64_t> size = cache().size_of(request->sha256());
    response->set_present(size.has_value());
    response->set_size(size.value_or(0));
  });
}

void BitstreamService::remember(const v1::ProgramBitstreamRequest& request) {
  v1::ProgramBitstreamRequest design = request;
  design.clear_device_tree_overlay();
  std::lock_guard<std::mutex> lock(designs_mutex_);
  for (auto it = designs_.begin(); it != designs_.end(); ++it) {
    if (it->sha256() == design.sha256()) {
      designs_.erase(it);
      break;
    }
  }
  designs_.push_back(std::move(design));
  if (designs_.size() > kRememberedDesigns) designs_.pop_front();
}

std::optional<v1::ProgramBitstreamRequest> BitstreamService::known_design(
    const std::string& sha256) const {
  std::lock_guard<std::mutex> lock(designs_mutex_);
  for (const v1::ProgramBitstreamRequest& design : designs_) {
    if (design.sha256() == sha256) return design;
  }
  return std::nullopt;
}

grpc::Status BitstreamService::ProgramBitstream(
    grpc::ServerContext* context, const v1::ProgramBitstreamRequest* request,
    v1::ProgramBitstreamResponse* response) {
  return run_authorized(*authorizer_, Role::kOperator, "ProgramBitstream", context, [&] {
    check_overlay_size(request->device_tree_overlay());
    ProgramRequest program;
    program.windows = design_windows(*request);
    for (const v1::DesignInterrupt& wire : request->interrupts()) {
      program.interrupts.push_back(
          DesignInterrupt{wire.source(), wire.controller(), wire.index()});
    }
    const std::unique_ptr<BitstreamPin> pin = cache().pin(request->sha256());
    program.bitstream_path = pin->path();
    program.bitstream_file_name = pin->file_name();
    program.sha256 = pin->sha256();
    program.partial = request->partial();
    program.device_tree_overlay = request->device_tree_overlay();
    program.design_name = request->design_name();
    std::lock_guard<std::mutex> lock(program_mutex_);
    const FpgaStatus status = backend_->program(program);
    cache_->set_loaded(program.sha256);
    if (!program.windows.empty()) remember(*request);
    to_proto(status, response->mutable_fpga());
    log_info(std::string("programmed ") +
             (program.partial ? "partial " : "") + "bitstream " +
             program.sha256 + " (design '" + program.design_name + "', " +
             std::to_string(program.windows.size()) + " windows)");
  });
}

grpc::Status BitstreamService::GetFpgaState(
    grpc::ServerContext* context, const v1::GetFpgaStateRequest* /*request*/,
    v1::GetFpgaStateResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "GetFpgaState", context, [&] {
    to_proto(backend_->fpga_state(), response->mutable_fpga());
  });
}

}  // namespace pynq_remote
