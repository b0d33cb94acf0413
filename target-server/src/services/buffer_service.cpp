#include "services/buffer_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "core/hex.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

// a + b in decimal, exact even past 2^64 (wire values may add up to that).
std::string decimal_sum(uint64_t a, uint64_t b) {
  if (b <= UINT64_MAX - a) return std::to_string(a + b);
  constexpr uint64_t kTen18 = 1000000000000000000u;
  const uint64_t low = a % kTen18 + b % kTen18;
  const uint64_t high = a / kTen18 + b / kTen18 + low / kTen18;
  const std::string digits = std::to_string(low % kTen18);
  return std::to_string(high) + std::string(18 - digits.size(), '0') + digits;
}

// The length of [offset, offset + length) of `buffer`, a `length` of 0
// meaning up to its end when `zero_to_end`; OUT_OF_RANGE when the range
// does not lie inside the buffer.
uint64_t checked_range(const BufferInfo& buffer, uint64_t offset,
                       uint64_t length, bool zero_to_end) {
  if (offset <= buffer.size) {
    if (length == 0 && zero_to_end) return buffer.size - offset;
    if (length <= buffer.size - offset) return length;
  }
  throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                    "bytes [" + std::to_string(offset) + ", " +
                        decimal_sum(offset, length) + ") are outside buffer " +
                        std::to_string(buffer.handle) + " of " +
                        std::to_string(buffer.size) + " bytes");
}

SyncDirection checked_direction(v1::SyncDirection direction) {
  switch (direction) {
    case v1::SYNC_DIRECTION_TO_DEVICE:
      return SyncDirection::kToDevice;
    case v1::SYNC_DIRECTION_FROM_DEVICE:
      return SyncDirection::kFromDevice;
    default:
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "direction must be SYNC_DIRECTION_TO_DEVICE or "
                        "SYNC_DIRECTION_FROM_DEVICE");
  }
}

void to_proto(const BufferInfo& buffer, v1::Buffer* out) {
  out->set_handle(buffer.handle);
  out->set_size(buffer.size);
  out->set_physical_address(buffer.address);
  out->set_cacheable(buffer.cacheable);
  out->set_session_label(short_session_id(buffer.session_id));
  out->set_client_name(buffer.client_name);
}

// "buffer 3 (4096 bytes at 0x60000000) of session abcd1234 (alice)"
std::string describe(const BufferInfo& buffer) {
  return "buffer " + std::to_string(buffer.handle) + " (" +
         std::to_string(buffer.size) + " bytes at " + to_hex(buffer.address) +
         ") of session " + short_session_id(buffer.session_id) + " (" +
         buffer.client_name + ")";
}

StatusError cancelled() {
  return StatusError(grpc::StatusCode::CANCELLED,
                     "the client cancelled the call");
}

}  // namespace

BufferService::BufferService(std::shared_ptr<Backend> backend,
                             std::shared_ptr<SessionRepository> sessions,
                             uint64_t session_limit_bytes,
                             std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(std::move(authorizer)),
      backend_(std::move(backend)),
      sessions_(std::move(sessions)) {
  const BufferMemory* memory = backend_->buffer_memory();
  if (memory == nullptr) return;
  pool_ = std::make_shared<BufferPool>(
      memory->base(), memory->size(), session_limit_bytes,
      [backend = backend_](uint64_t address, uint64_t size) {
        backend->buffer_memory()->release(address, size);
      });
  sessions_->add_cleanup([pool = pool_](const std::string& session_id) {
    const FreedBuffers freed = pool->free_session(session_id);
    return "freed " + std::to_string(freed.count) + " buffers (" +
           std::to_string(freed.bytes) + " bytes)";
  });
}

grpc::Status BufferService::AllocateBuffer(
    grpc::ServerContext* context, const v1::AllocateBufferRequest* request,
    v1::AllocateBufferResponse* response) {
  return run_authorized(*authorizer_, Role::kOperator, "AllocateBuffer", context, [&] {
    require_pool();
    const bool cacheable =
        request->cacheable() && backend_->buffer_memory()->cacheable();
    BufferInfo buffer;
    // Inside the session, so a session ending now frees this buffer too.
    sessions_->with_session(
        request->session_id(), [&](const SessionInfo& session) {
          buffer =
              pool_->allocate(session.id, session.client_name, request->size(),
                              request->alignment(), cacheable);
        });
    to_proto(buffer, response->mutable_buffer());
    log_info("allocated " + describe(buffer));
  });
}

grpc::Status BufferService::write_buffer(
    grpc::ServerContext* context,
    grpc::ServerReaderInterface<v1::WriteBufferRequest>* reader,
    v1::WriteBufferResponse* response) {
  return run_long_authorized(*authorizer_, Role::kOperator, "WriteBuffer", context, [&] {
    const uint64_t written = write_stream(reader);
    if (context->IsCancelled()) throw cancelled();
    response->set_bytes_written(written);
  });
}

grpc::Status BufferService::read_buffer(
    grpc::ServerContext* context, const v1::ReadBufferRequest* request,
    grpc::ServerWriterInterface<v1::ReadBufferResponse>* writer) {
  return run_long_authorized(*authorizer_, Role::kReader, "ReadBuffer", context, [&] {
    const BufferPin pin =
        session_buffer(request->session_id(), request->handle());
    const BufferInfo& buffer = pin.info();
    const uint64_t length =
        checked_range(buffer, request->offset(), request->length(), true);
    BufferMemory& memory = *backend_->buffer_memory();
    v1::ReadBufferResponse chunk;
    for (uint64_t done = 0; done < length;) {
      if (context->IsCancelled()) throw cancelled();
      const uint64_t offset = request->offset() + done;
      const uint64_t bytes = std::min(kBufferChunkBytes, length - done);
      std::string* data = chunk.mutable_data();
      data->resize(static_cast<size_t>(bytes));
      memory.read(buffer.address + offset,
                  reinterpret_cast<uint8_t*>(data->data()), bytes);
      chunk.set_offset(offset);
      if (!writer->Write(chunk)) throw cancelled();
      done += bytes;
    }
  });
}

grpc::Status BufferService::SyncBuffer(grpc::ServerContext* context,
                                       const v1::SyncBufferRequest* request,
                                       v1::SyncBufferResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "SyncBuffer", context, [&] {
    const BufferPin pin =
        session_buffer(request->session_id(), request->handle());
    const SyncDirection direction = checked_direction(request->direction());
    const uint64_t length =
        checked_range(pin.info(), request->offset(), request->length(), true);
    backend_->buffer_memory()->sync(pin.info().address + request->offset(),
                                    length, direction);
  });
}

grpc::Status BufferService::FreeBuffer(grpc::ServerContext* context,
                                       const v1::FreeBufferRequest* request,
                                       v1::FreeBufferResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "FreeBuffer", context, [&] {
    require_pool();
    if (request->force()) {
      const BufferInfo freed = pool_->force_free_buffer(request->handle());
      log_info("freed " + describe(freed) + " by force");
      return;
    }
    sessions_->find(request->session_id());
    const BufferInfo freed =
        pool_->free_buffer(request->handle(), request->session_id());
    log_info("freed " + describe(freed));
  });
}

grpc::Status BufferService::ListBuffers(
    grpc::ServerContext* context, const v1::ListBuffersRequest* /*request*/,
    v1::ListBuffersResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "ListBuffers", context, [&] {
    if (!pool_) return;
    for (const BufferInfo& buffer : pool_->list()) {
      to_proto(buffer, response->add_buffers());
    }
    const PoolUsage usage = pool_->usage();
    v1::MemoryPool* pool = response->mutable_pool();
    pool->set_provider(backend_->buffer_memory()->provider());
    pool->set_base_address(usage.base);
    pool->set_size(usage.size);
    pool->set_free_bytes(usage.free_bytes);
    pool->set_session_limit_bytes(usage.session_limit);
  });
}

void BufferService::require_pool() const {
  if (pool_) return;
  throw StatusError(
      grpc::StatusCode::FAILED_PRECONDITION,
      "this server has no buffer memory: add buffer_pool to the board config");
}

BufferPin BufferService::session_buffer(const std::string& session_id,
                                        uint64_t handle) {
  require_pool();
  sessions_->find(session_id);
  return pool_->pin(handle, session_id);
}

uint64_t BufferService::write_stream(
    grpc::ServerReaderInterface<v1::WriteBufferRequest>* reader) {
  BufferMemory* memory = backend_->buffer_memory();
  v1::WriteBufferRequest message;
  std::optional<BufferPin> pin;
  std::string session_id;
  uint64_t written = 0;
  while (reader->Read(&message)) {
    if (!pin) {
      pin.emplace(session_buffer(message.session_id(), message.handle()));
      session_id = message.session_id();
    } else if (message.handle() != pin->info().handle ||
               message.session_id() != session_id) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "every message of a WriteBuffer stream must name the "
                        "session and buffer of the first (buffer " +
                            std::to_string(pin->info().handle) + ")");
    }
    const std::string& data = message.data();
    checked_range(pin->info(), message.offset(), data.size(), false);
    memory->write(pin->info().address + message.offset(),
                  reinterpret_cast<const uint8_t*>(data.data()), data.size());
    written += data.size();
  }
  return written;
}

}  // namespace pynq_remote
