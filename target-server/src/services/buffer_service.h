// pynq_remote.v1.BufferService: buffers of the backend's buffer memory,
// owned by sessions and freed when their session ends.
#ifndef PYNQ_REMOTE_SERVICES_BUFFER_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_BUFFER_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "core/buffer_pool.h"
#include "core/session_repository.h"
#include "pynq_remote/v1/buffer.grpc.pb.h"

namespace pynq_remote {

class BufferService final : public v1::BufferService::Service {
 public:
  // Allocates from backend->buffer_memory(), when there is one, at most
  // `session_limit_bytes` per session (0: the whole memory), and registers
  // a cleanup on `sessions` that frees the buffers of a session that ends.
  BufferService(std::shared_ptr<Backend> backend,
                std::shared_ptr<SessionRepository> sessions,
                uint64_t session_limit_bytes,
                std::shared_ptr<const Authorizer> authorizer = Authorizer::open());

  grpc::Status AllocateBuffer(grpc::ServerContext* context,
                              const v1::AllocateBufferRequest* request,
                              v1::AllocateBufferResponse* response) override;
  grpc::Status WriteBuffer(grpc::ServerContext* context,
                           grpc::ServerReader<v1::WriteBufferRequest>* reader,
                           v1::WriteBufferResponse* response) override {
    return write_buffer(context, reader, response);
  }
  grpc::Status ReadBuffer(
      grpc::ServerContext* context, const v1::ReadBufferRequest* request,
      grpc::ServerWriter<v1::ReadBufferResponse>* writer) override {
    return read_buffer(context, request, writer);
  }
  grpc::Status SyncBuffer(grpc::ServerContext* context,
                          const v1::SyncBufferRequest* request,
                          v1::SyncBufferResponse* response) override;
  grpc::Status FreeBuffer(grpc::ServerContext* context,
                          const v1::FreeBufferRequest* request,
                          v1::FreeBufferResponse* response) override;
  grpc::Status ListBuffers(grpc::ServerContext* context,
                           const v1::ListBuffersRequest* request,
                           v1::ListBuffersResponse* response) override;

  // The stream RPCs over the stream interfaces, which tests implement.
  grpc::Status write_buffer(
      grpc::ServerContext* context,
      grpc::ServerReaderInterface<v1::WriteBufferRequest>* reader,
      v1::WriteBufferResponse* response);
  grpc::Status read_buffer(
      grpc::ServerContext* context, const v1::ReadBufferRequest* request,
      grpc::ServerWriterInterface<v1::ReadBufferResponse>* writer);

 private:
  std::shared_ptr<const Authorizer> authorizer_;
  // FAILED_PRECONDITION when the backend has no buffer memory.
  void require_pool() const;
  // Buffer `handle` of the open session `session_id`, pinned.
  BufferPin session_buffer(const std::string& session_id, uint64_t handle);
  // Copies the first message's buffer and the following ones into memory;
  // returns the bytes written.
  uint64_t write_stream(
      grpc::ServerReaderInterface<v1::WriteBufferRequest>* reader);

  std::shared_ptr<Backend> backend_;
  std::shared_ptr<SessionRepository> sessions_;
  std::shared_ptr<BufferPool> pool_;  // nullptr without buffer memory
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_BUFFER_SERVICE_H_
