// buffer.RemoteBuffer (PYNQ.remote): contiguous buffers as the `pynq` host
// uses them, served by v1 BufferService in-process, so allocation, limits,
// copies and syncs are the same code. The protocol has no sessions: every
// buffer of a PYNQ.remote client belongs to one session of this adapter,
// kept open while the server runs, so buffers live until freebuffer (as on
// a PYNQ board) or shutdown; `pynq-remote buffers` lists them under the
// client name "PYNQ.remote clients", and an operator can force-free them.
// Buffer ids are the v1 handles in decimal.
#ifndef PYNQ_REMOTE_COMPAT_BUFFER_ADAPTER_H_
#define PYNQ_REMOTE_COMPAT_BUFFER_ADAPTER_H_

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/authorizer.h"
#include "core/session_repository.h"
#include "pynq_remote_compat/buffer.grpc.pb.h"
#include "services/buffer_service.h"

namespace pynq_remote {

constexpr char kCompatClientName[] = "PYNQ.remote clients";

class BufferAdapter final : public ::buffer::RemoteBuffer::Service {
 public:
  // Opens the adapter's session in `sessions` and renews it until
  // destroyed; `buffers` must outlive the adapter.
  BufferAdapter(BufferService* buffers,
                std::shared_ptr<SessionRepository> sessions,
                std::shared_ptr<const Authorizer> authorizer);
  ~BufferAdapter() override;
  BufferAdapter(const BufferAdapter&) = delete;
  BufferAdapter& operator=(const BufferAdapter&) = delete;

  grpc::Status allocate(grpc::ServerContext* context,
                        const ::buffer::AllocateRequest* request,
                        ::buffer::AllocateResponse* response) override;
  grpc::Status write(grpc::ServerContext* context,
                     grpc::ServerReader<::buffer::BufferWriteRequest>* reader,
                     ::buffer::BufferWriteResponse* response) override {
    return write_stream(context, reader, response);
  }
  grpc::Status read(
      grpc::ServerContext* context, const ::buffer::BufferReadRequest* request,
      grpc::ServerWriter<::buffer::BufferReadResponse>* writer) override {
    return read_stream(context, request, writer);
  }
  grpc::Status freebuffer(grpc::ServerContext* context,
                          const ::buffer::FreeBufferRequest* request,
                          ::buffer::FreeBufferResponse* response) override;
  grpc::Status flush(grpc::ServerContext* context,
                     const ::buffer::FlushRequest* request,
                     ::buffer::FlushResponse* response) override;
  grpc::Status invalidate(grpc::ServerContext* context,
                          const ::buffer::InvalidateRequest* request,
                          ::buffer::InvalidateResponse* response) override;
  grpc::Status physical_address(grpc::ServerContext* context,
                                const ::buffer::AddressRequest* request,
                                ::buffer::AddressResponse* response) override;
  grpc::Status virtual_address(grpc::ServerContext* context,
                               const ::buffer::AddressRequest* request,
                               ::buffer::AddressResponse* response) override;
  grpc::Status cacheable(grpc::ServerContext* context,
                         const ::buffer::CacheableRequest* request,
                         ::buffer::CacheableResponse* response) override;

  // The stream RPCs over the stream interfaces, which tests implement.
  grpc::Status write_stream(
      grpc::ServerContext* context,
      grpc::ServerReaderInterface<::buffer::BufferWriteRequest>* reader,
      ::buffer::BufferWriteResponse* response);
  grpc::Status read_stream(
      grpc::ServerContext* context, const ::buffer::BufferReadRequest* request,
      grpc::ServerWriterInterface<::buffer::BufferReadResponse>* writer);

  const std::string& session_id() const { return session_id_; }

 private:
  // The v1 description of buffer `buffer_id` of this adapter's session.
  v1::Buffer find(grpc::ServerContext* context, const std::string& buffer_id);
  grpc::Status sync(grpc::ServerContext* context, const std::string& buffer_id,
                    v1::SyncDirection direction);
  void renew_until_stopped();

  BufferService* buffers_;
  std::shared_ptr<SessionRepository> sessions_;
  std::shared_ptr<const Authorizer> authorizer_;
  std::string session_id_;

  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread renewer_;  // last: starts once the above exist
};

// The v1 handle of a buffer id (decimal); INVALID_ARGUMENT otherwise.
uint64_t parse_compat_buffer_id(const std::string& buffer_id);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_COMPAT_BUFFER_ADAPTER_H_
