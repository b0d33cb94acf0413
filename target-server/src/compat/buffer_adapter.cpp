#include "compat/buffer_adapter.h"

#include <chrono>
#include <utility>

#include "core/limits.h"
#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

namespace pb = ::buffer;

constexpr std::chrono::seconds kRenewInterval{60};

// A WriteBuffer stream read from a PYNQ.remote write stream: chunks without
// a range follow each other from offset 0.
class WriteRequests final
    : public grpc::ServerReaderInterface<v1::WriteBufferRequest> {
 public:
  WriteRequests(grpc::ServerReaderInterface<pb::BufferWriteRequest>* in,
                std::string session_id)
      : in_(in), session_id_(std::move(session_id)) {}

  void SendInitialMetadata() override { in_->SendInitialMetadata(); }
  bool NextMessageSize(uint32_t* size) override {
    return in_->NextMessageSize(size);
  }
  bool Read(v1::WriteBufferRequest* out) override {
    pb::BufferWriteRequest message;
    if (!in_->Read(&message)) return false;
    uint64_t offset = next_;
    if (message.start() != 0 || message.end() != 0) {
      if (message.start() < 0 || message.end() < message.start() ||
          static_cast<uint64_t>(message.end() - message.start()) !=
              message.data().size()) {
        throw StatusError(
            grpc::StatusCode::INVALID_ARGUMENT,
            "start " + std::to_string(message.start()) + " and end " +
                std::to_string(message.end()) + " do not span the " +
                std::to_string(message.data().size()) + " bytes of the chunk");
      }
      offset = static_cast<uint64_t>(message.start());
    }
    out->set_session_id(session_id_);
    out->set_handle(parse_compat_buffer_id(message.buffer_id()));
    out->set_offset(offset);
    out->set_data(message.data());
    next_ = offset + message.data().size();
    return true;
  }

 private:
  grpc::ServerReaderInterface<pb::BufferWriteRequest>* in_;
  std::string session_id_;
  uint64_t next_ = 0;
};

// A ReadBuffer answer written as PYNQ.remote read chunks.
class ReadResponses final
    : public grpc::ServerWriterInterface<v1::ReadBufferResponse> {
 public:
  explicit ReadResponses(
      grpc::ServerWriterInterface<pb::BufferReadResponse>* out)
      : out_(out) {}

  void SendInitialMetadata() override { out_->SendInitialMetadata(); }
  bool Write(const v1::ReadBufferResponse& message,
             grpc::WriteOptions options) override {
    pb::BufferReadResponse chunk;
    chunk.set_data(message.data());
    return out_->Write(chunk, options);
  }

 private:
  grpc::ServerWriterInterface<pb::BufferReadResponse>* out_;
};

// The status of a v1 call as the msg of a PYNQ.remote answer.
template <typename Response>
void report(const grpc::Status& status, Response* response) {
  if (!status.ok()) response->set_msg(status.error_message());
}

}  // namespace

uint64_t parse_compat_buffer_id(const std::string& buffer_id) {
  const bool digits =
      !buffer_id.empty() && buffer_id.size() <= 19 &&
      buffer_id.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "buffer_id must be the decimal id allocate returned");
  }
  return std::stoull(buffer_id);
}

BufferAdapter::BufferAdapter(BufferService* buffers,
                             std::shared_ptr<SessionRepository> sessions,
                             std::shared_ptr<const Authorizer> authorizer)
    : buffers_(buffers),
      sessions_(std::move(sessions)),
      authorizer_(std::move(authorizer)),
      session_id_(sessions_->open(kCompatClientName, kMaxLease).id),
      renewer_([this] { renew_until_stopped(); }) {}

BufferAdapter::~BufferAdapter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  renewer_.join();
  try {
    sessions_->close(session_id_);
  } catch (const StatusError&) {
    // Closed already (shutdown closes every session).
  }
}

void BufferAdapter::renew_until_stopped() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_.wait_for(lock, kRenewInterval, [this] { return stopping_; })) {
    try {
      sessions_->renew(session_id_);
    } catch (const StatusError& error) {
      log_warning(std::string("PYNQ.remote buffers: ") + error.what());
      return;
    }
  }
}

grpc::Status BufferAdapter::allocate(grpc::ServerContext* context,
                                     const pb::AllocateRequest* request,
                                     pb::AllocateResponse* response) {
  // Errors as gRPC codes: pynq does not look at allocate's msg.
  return run_authorized(
      *authorizer_, Role::kOperator, "buffer.allocate", context, [&] {
        if (request->size() <= 0) {
          throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                            "size must be greater than 0, got " +
                                std::to_string(request->size()));
        }
        v1::AllocateBufferRequest allocate;
        allocate.set_session_id(session_id_);
        allocate.set_size(static_cast<uint64_t>(request->size()));
        allocate.set_cacheable(request->cacheable());
        v1::AllocateBufferResponse allocated;
        const grpc::Status status =
            buffers_->AllocateBuffer(context, &allocate, &allocated);
        if (!status.ok())
          throw StatusError(status.error_code(), status.error_message());
        response->set_buffer_id(std::to_string(allocated.buffer().handle()));
      });
}

grpc::Status BufferAdapter::write_stream(
    grpc::ServerContext* context,
    grpc::ServerReaderInterface<pb::BufferWriteRequest>* reader,
    pb::BufferWriteResponse* response) {
  return run_authorized(
      *authorizer_, Role::kOperator, "buffer.write", context, [&] {
        WriteRequests requests(reader, session_id_);
        v1::WriteBufferResponse written;
        report(buffers_->write_buffer(context, &requests, &written), response);
      });
}

grpc::Status BufferAdapter::read_stream(
    grpc::ServerContext* context, const pb::BufferReadRequest* request,
    grpc::ServerWriterInterface<pb::BufferReadResponse>* writer) {
  // Errors as gRPC codes: pynq does not look at read's msg.
  return run_authorized(
      *authorizer_, Role::kReader, "buffer.read", context, [&] {
        v1::ReadBufferRequest read;
        read.set_session_id(session_id_);
        read.set_handle(parse_compat_buffer_id(request->buffer_id()));
        if (request->start() != 0 || request->end() != 0) {
          if (request->start() < 0 || request->end() <= request->start()) {
            throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                              "start " + std::to_string(request->start()) +
                                  " and end " + std::to_string(request->end()) +
                                  " are not a range of bytes");
          }
          read.set_offset(static_cast<uint64_t>(request->start()));
          read.set_length(
              static_cast<uint64_t>(request->end() - request->start()));
        }
        ReadResponses responses(writer);
        const grpc::Status status =
            buffers_->read_buffer(context, &read, &responses);
        if (!status.ok())
          throw StatusError(status.error_code(), status.error_message());
      });
}

grpc::Status BufferAdapter::freebuffer(grpc::ServerContext* context,
                                       const pb::FreeBufferRequest* request,
                                       pb::FreeBufferResponse* response) {
  return run_authorized(
      *authorizer_, Role::kOperator, "buffer.freebuffer", context, [&] {
        v1::FreeBufferRequest free;
        free.set_session_id(session_id_);
        try {
          free.set_handle(parse_compat_buffer_id(request->buffer_id()));
        } catch (const StatusError& error) {
          response->set_msg(error.what());
          return;
        }
        v1::FreeBufferResponse freed;
        report(buffers_->FreeBuffer(context, &free, &freed), response);
      });
}

grpc::Status BufferAdapter::sync(grpc::ServerContext* context,
                                 const std::string& buffer_id,
                                 v1::SyncDirection direction) {
  v1::SyncBufferRequest sync;
  sync.set_session_id(session_id_);
  try {
    sync.set_handle(parse_compat_buffer_id(buffer_id));
  } catch (const StatusError& error) {
    return error.status();
  }
  sync.set_direction(direction);
  v1::SyncBufferResponse synced;
  return buffers_->SyncBuffer(context, &sync, &synced);
}

grpc::Status BufferAdapter::flush(grpc::ServerContext* context,
                                  const pb::FlushRequest* request,
                                  pb::FlushResponse* response) {
  return run_authorized(
      *authorizer_, Role::kOperator, "buffer.flush", context, [&] {
        report(
            sync(context, request->buffer_id(), v1::SYNC_DIRECTION_TO_DEVICE),
            response);
      });
}

grpc::Status BufferAdapter::invalidate(grpc::ServerContext* context,
                                       const pb::InvalidateRequest* request,
                                       pb::InvalidateResponse* response) {
  return run_authorized(
      *authorizer_, Role::kOperator, "buffer.invalidate", context, [&] {
        report(
            sync(context, request->buffer_id(), v1::SYNC_DIRECTION_FROM_DEVICE),
            response);
      });
}

v1::Buffer BufferAdapter::find(grpc::ServerContext* context,
                               const std::string& buffer_id) {
  const uint64_t handle = parse_compat_buffer_id(buffer_id);
  v1::ListBuffersRequest list;
  v1::ListBuffersResponse listed;
  const grpc::Status status = buffers_->ListBuffers(context, &list, &listed);
  if (!status.ok())
    throw StatusError(status.error_code(), status.error_message());
  const std::string label = short_session_id(session_id_);
  for (const v1::Buffer& buffer : listed.buffers()) {
    if (buffer.handle() == handle && buffer.session_label() == label &&
        buffer.client_name() == kCompatClientName) {
      return buffer;
    }
  }
  throw StatusError(grpc::StatusCode::NOT_FOUND,
                    "no buffer " + buffer_id + " of PYNQ.remote clients");
}

grpc::Status BufferAdapter::physical_address(grpc::ServerContext* context,
                                             const pb::AddressRequest* request,
                                             pb::AddressResponse* response) {
  return run_authorized(
      *authorizer_, Role::kReader, "buffer.physical_address", context, [&] {
        try {
          response->set_address(
              find(context, request->buffer_id()).physical_address());
        } catch (const StatusError& error) {
          response->set_msg(error.what());
        }
      });
}

grpc::Status BufferAdapter::virtual_address(
    grpc::ServerContext* context, const pb::AddressRequest* /*request*/,
    pb::AddressResponse* response) {
  return run_authorized(
      *authorizer_, Role::kReader, "buffer.virtual_address", context, [&] {
        response->set_msg(
            "pynq-remote-server does not expose its virtual addresses; use "
            "physical_address");
      });
}

grpc::Status BufferAdapter::cacheable(grpc::ServerContext* context,
                                      const pb::CacheableRequest* request,
                                      pb::CacheableResponse* response) {
  return run_authorized(
      *authorizer_, Role::kReader, "buffer.cacheable", context, [&] {
        try {
          response->set_cacheable(
              find(context, request->buffer_id()).cacheable());
        } catch (const StatusError& error) {
          response->set_msg(error.what());
        }
      });
}

}  // namespace pynq_remote
