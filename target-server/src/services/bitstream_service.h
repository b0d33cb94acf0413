// pynq_remote.v1.BitstreamService: uploads into the bitstream cache and
// programs cached bitstreams through the backend.
#ifndef PYNQ_REMOTE_SERVICES_BITSTREAM_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_BITSTREAM_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "core/bitstream_cache.h"
#include "pynq_remote/v1/bitstream.grpc.pb.h"

namespace pynq_remote {

// Designs BitstreamService::known_design() remembers.
constexpr size_t kRememberedDesigns = 8;

class BitstreamService final : public v1::BitstreamService::Service {
 public:
  // `cache` may be nullptr: then every call but GetFpgaState fails with
  // FAILED_PRECONDITION.
  BitstreamService(std::shared_ptr<Backend> backend,
                   std::shared_ptr<BitstreamCache> cache,
                   std::shared_ptr<const Authorizer> authorizer = Authorizer::open());

  grpc::Status UploadBitstream(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::UploadBitstreamRequest>* reader,
      v1::UploadBitstreamResponse* response) override {
    return upload_bitstream(context, reader, response);
  }
  grpc::Status HasBitstream(grpc::ServerContext* context,
                            const v1::HasBitstreamRequest* request,
                            v1::HasBitstreamResponse* response) override;
  grpc::Status ProgramBitstream(
      grpc::ServerContext* context, const v1::ProgramBitstreamRequest* request,
      v1::ProgramBitstreamResponse* response) override;
  grpc::Status GetFpgaState(grpc::ServerContext* context,
                            const v1::GetFpgaStateRequest* request,
                            v1::GetFpgaStateResponse* response) override;

  // The address map and interrupts of the last ProgramBitstream of
  // `sha256` that carried an address map (the request without its overlay),
  // so a PYNQ.remote programming of the same bitstream, whose protocol
  // carries no address map, gets the design's windows and models. nullopt
  // when no such call happened since the server started; the last
  // kRememberedDesigns bitstreams are remembered.
  std::optional<v1::ProgramBitstreamRequest> known_design(
      const std::string& sha256) const;

  // The stream RPC over the stream interface, which tests implement.
  grpc::Status upload_bitstream(
      grpc::ServerContext* context,
      grpc::ServerReaderInterface<v1::UploadBitstreamRequest>* reader,
      v1::UploadBitstreamResponse* response);

 private:
  std::shared_ptr<const Authorizer> authorizer_;
  BitstreamCache& cache() const;
  void remember(const v1::ProgramBitstreamRequest& request);

  std::shared_ptr<Backend> backend_;
  std::shared_ptr<BitstreamCache> cache_;
  // One programming at a time.
  std::mutex program_mutex_;
  // known_design()'s memory, oldest first.
  mutable std::mutex designs_mutex_;
  std::deque<v1::ProgramBitstreamRequest> designs_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_BITSTREAM_SERVICE_H_
