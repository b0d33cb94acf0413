// libFuzzer target: BitstreamService (UploadBitstream, HasBitstream,
// ProgramBitstream, GetFpgaState) over a bitstream cache in a temporary
// folder, with MMIO calls against the designs it programs into the sim.
// Input: a BitstreamInput message. Checked after every call: no temporary
// upload file is left, a failed upload leaves nothing loadable, and the
// files in the folder are the cache's bytes, within its budget.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/bitstream_cache.h"
#include "core/sha256.h"
#include "fuzz_support.h"
#include "services/bitstream_service.h"
#include "unit/fake_streams.h"

namespace pynq_remote {
namespace fuzz {
namespace {

namespace fs = std::filesystem;

// One folder for the whole process, emptied before each input.
class CacheFolder {
 public:
  CacheFolder() {
    std::string pattern =
        (fs::temp_directory_path() / "pynq-remote-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
  }
  ~CacheFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }

  const fs::path& emptied() {
    for (const auto& entry : fs::directory_iterator(path_)) {
      fs::remove_all(entry.path());
    }
    return path_;
  }

 private:
  fs::path path_;
};

CacheFolder& cache_folder() {
  static CacheFolder folder;
  return folder;
}

class Run {
 public:
  explicit Run(uint64_t cache_bytes)
      : folder_(cache_folder().emptied()),
        backend_(make_board()),
        cache_(std::make_shared<BitstreamCache>(folder_.string(),
                                                cache_bytes % (1024 * 1024 + 1))),
        service_(backend_, cache_),
        mmio_(backend_) {}

  void call(const BitstreamCall& call) {
    grpc::ServerContext context;
    switch (call.call_case()) {
      case BitstreamCall::kUpload:
        upload(call.upload());
        break;
      case BitstreamCall::kHas: {
        v1::HasBitstreamResponse response;
        check_status("HasBitstream",
                     service_.HasBitstream(&context, &call.has(), &response));
        break;
      }
      case BitstreamCall::kProgram: {
        v1::ProgramBitstreamRequest request = call.program().request();
        const uint32_t slot = call.program().upload_slot();
        if (slot != 0 && !uploaded_.empty()) {
          request.set_sha256(uploaded_[(slot - 1) % uploaded_.size()]);
        }
        v1::ProgramBitstreamResponse response;
        check_status("ProgramBitstream",
                     service_.ProgramBitstream(&context, &request, &response));
        break;
      }
      case BitstreamCall::kGetState: {
        v1::GetFpgaStateResponse response;
        check_status("GetFpgaState", service_.GetFpgaState(
                                         &context, &call.get_state(), &response));
        break;
      }
      case BitstreamCall::kMmio:
        mmio_.run(call.mmio());
        break;
      case BitstreamCall::CALL_NOT_SET:
        break;
    }
    check_folder();
  }

 private:
  void upload(const Upload& upload) {
    std::vector<v1::UploadBitstreamRequest> messages(
        upload.messages().begin(), upload.messages().end());
    if (!messages.empty() && messages[0].has_header()) {
      Sha256 hash;
      uint64_t size = 0;
      for (size_t i = 1; i < messages.size(); ++i) {
        const std::string& data = messages[i].data();
        hash.update(data.data(), data.size());
        size += data.size();
      }
      v1::UploadBitstreamHeader* header = messages[0].mutable_header();
      if (upload.fix_sha256()) header->set_sha256(hash.hex_digest());
      if (upload.fix_size()) header->set_size(size);
    }
    const std::string sha256 = !messages.empty() && messages[0].has_header()
                                   ? messages[0].header().sha256()
                                   : "";
    const bool present_before =
        is_sha256_hex(sha256) && cache_->size_of(sha256).has_value();

    grpc::ServerContext context;
    FakeReader<v1::UploadBitstreamRequest> reader(std::move(messages));
    v1::UploadBitstreamResponse response;
    const grpc::Status status =
        service_.upload_bitstream(&context, &reader, &response);
    check_status("UploadBitstream", status);
    if (status.ok()) {
      check(cache_->size_of(sha256).has_value(),
            "an upload succeeded but its bitstream is not in the cache");
      uploaded_.push_back(sha256);
    } else if (is_sha256_hex(sha256) && !present_before) {
      check(!cache_->size_of(sha256).has_value(),
            "a failed upload left its bitstream in the cache: " +
                status.error_message());
      check(!fs::exists(folder_ / (sha256 + ".bin")),
            "a failed upload left " + sha256 + ".bin in the folder");
    }
  }

  void check_folder() const {
    uint64_t bytes = 0;
    for (const auto& entry : fs::directory_iterator(folder_)) {
      const std::string name = entry.path().filename().string();
      check(name.rfind(".upload-", 0) != 0,
            "temporary upload file " + name + " left after the call");
      bytes += entry.file_size();
    }
    check(bytes == cache_->bytes_used(),
          "the folder holds " + std::to_string(bytes) +
              " bytes, the cache counts " +
              std::to_string(cache_->bytes_used()));
    check(bytes <= cache_->budget_bytes(),
          "the cache holds " + std::to_string(bytes) +
              " bytes, over its budget of " +
              std::to_string(cache_->budget_bytes()));
  }

  fs::path folder_;
  std::shared_ptr<SimBackend> backend_;
  std::shared_ptr<BitstreamCache> cache_;
  BitstreamService service_;
  MmioRunner mmio_;
  std::vector<std::string> uploaded_;
};

}  // namespace
}  // namespace fuzz
}  // namespace pynq_remote

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pynq_remote::fuzz::quiet_logs();
  pynq_remote::fuzz::BitstreamInput input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return -1;
  pynq_remote::fuzz::Run run(input.cache_bytes());
  int calls = 0;
  for (const auto& call : input.calls()) {
    if (++calls > pynq_remote::fuzz::kMaxCalls) break;
    run.call(call);
  }
  return 0;
}
