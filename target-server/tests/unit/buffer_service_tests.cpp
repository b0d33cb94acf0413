#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/session_repository.h"
#include "services/buffer_service.h"
#include "unit/fake_streams.h"
#include "unit/sim_fixture.h"

namespace pynq_remote {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr uint64_t kMiB = 1024 * 1024;

std::string pattern(size_t size, char seed) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(seed + i * 3);
  return bytes;
}

v1::WriteBufferRequest chunk(const std::string& session, uint64_t handle,
                             uint64_t offset, const std::string& data) {
  v1::WriteBufferRequest request;
  request.set_session_id(session);
  request.set_handle(handle);
  request.set_offset(offset);
  request.set_data(data);
  return request;
}

class BufferServiceTest : public ::testing::Test {
 protected:
  std::string open(const std::string& name = "alice") {
    return sessions_->open(name, std::chrono::milliseconds(0)).id;
  }

  grpc::Status allocate(const std::string& session, uint64_t size,
                        v1::Buffer* buffer = nullptr, uint64_t alignment = 0) {
    grpc::ServerContext context;
    v1::AllocateBufferRequest request;
    request.set_session_id(session);
    request.set_size(size);
    request.set_alignment(alignment);
    request.set_cacheable(true);
    v1::AllocateBufferResponse response;
    const grpc::Status status =
        service_->AllocateBuffer(&context, &request, &response);
    if (buffer != nullptr) *buffer = response.buffer();
    return status;
  }

  v1::Buffer allocated(const std::string& session, uint64_t size) {
    v1::Buffer buffer;
    const grpc::Status status = allocate(session, size, &buffer);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return buffer;
  }

  grpc::Status write(std::vector<v1::WriteBufferRequest> messages,
                     uint64_t* written = nullptr) {
    grpc::ServerContext context;
    FakeReader<v1::WriteBufferRequest> reader(std::move(messages));
    v1::WriteBufferResponse response;
    const grpc::Status status =
        service_->write_buffer(&context, &reader, &response);
    if (written != nullptr) *written = response.bytes_written();
    return status;
  }

  grpc::Status read(const std::string& session, uint64_t handle,
                    uint64_t offset, uint64_t length, std::string* data,
                    std::vector<uint64_t>* offsets = nullptr,
                    size_t capacity = SIZE_MAX) {
    grpc::ServerContext context;
    v1::ReadBufferRequest request;
    request.set_session_id(session);
    request.set_handle(handle);
    request.set_offset(offset);
    request.set_length(length);
    FakeWriter<v1::ReadBufferResponse> writer(capacity);
    const grpc::Status status =
        service_->read_buffer(&context, &request, &writer);
    data->clear();
    for (const v1::ReadBufferResponse& message : writer.written()) {
      EXPECT_EQ(message.offset(), offset + data->size());
      if (offsets != nullptr) offsets->push_back(message.offset());
      *data += message.data();
    }
    return status;
  }

  grpc::Status sync(const std::string& session, uint64_t handle,
                    v1::SyncDirection direction, uint64_t offset = 0,
                    uint64_t length = 0) {
    grpc::ServerContext context;
    v1::SyncBufferRequest request;
    request.set_session_id(session);
    request.set_handle(handle);
    request.set_direction(direction);
    request.set_offset(offset);
    request.set_length(length);
    v1::SyncBufferResponse response;
    return service_->SyncBuffer(&context, &request, &response);
  }

  grpc::Status free(const std::string& session, uint64_t handle,
                    bool force = false) {
    grpc::ServerContext context;
    v1::FreeBufferRequest request;
    request.set_session_id(session);
    request.set_handle(handle);
    request.set_force(force);
    v1::FreeBufferResponse response;
    return service_->FreeBuffer(&context, &request, &response);
  }

  v1::ListBuffersResponse list() {
    grpc::ServerContext context;
    v1::ListBuffersRequest request;
    v1::ListBuffersResponse response;
    EXPECT_TRUE(service_->ListBuffers(&context, &request, &response).ok());
    return response;
  }

  std::shared_ptr<SimBackend> sim_ = make_test_sim_with_pool();
  std::shared_ptr<SessionRepository> sessions_ =
      std::make_shared<SessionRepository>();
  std::unique_ptr<BufferService> service_ =
      std::make_unique<BufferService>(sim_, sessions_, 0);
};

TEST_F(BufferServiceTest, Allocate_OpenSession_PageRoundedUncachedInPool) {
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 100);
  EXPECT_EQ(buffer.handle(), 1u);
  EXPECT_EQ(buffer.size(), 4096u);
  EXPECT_EQ(buffer.physical_address(), kPoolBase);
  EXPECT_FALSE(buffer.cacheable());  // asked for, but the sim is uncached
  EXPECT_EQ(buffer.session_label(), session.substr(0, 8));
  EXPECT_EQ(buffer.client_name(), "alice");
}

TEST_F(BufferServiceTest, WriteThenRead_ChunksAtOffsets_RoundTrip) {
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 3 * 4096);
  const std::string data = pattern(3 * 4096, 'a');
  uint64_t written = 0;
  ASSERT_TRUE(
      write({chunk(session, buffer.handle(), 4096, data.substr(4096, 8192)),
             chunk(session, buffer.handle(), 0, data.substr(0, 4096))},
            &written)
          .ok());
  EXPECT_EQ(written, 3 * 4096u);
  std::string back;
  ASSERT_TRUE(read(session, buffer.handle(), 0, 0, &back).ok());
  EXPECT_EQ(back, data);
  // The bytes are in the board memory at the buffer's address.
  std::string direct(16, '\0');
  sim_->buffer_memory()->read(buffer.physical_address() + 4096,
                              reinterpret_cast<uint8_t*>(direct.data()), 16);
  EXPECT_EQ(direct, data.substr(4096, 16));
}

TEST_F(BufferServiceTest, Read_SubRange_OnlyThatRangeInMiBChunks) {
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 3 * kMiB);
  const std::string data = pattern(3 * kMiB, 'x');
  ASSERT_TRUE(write({chunk(session, buffer.handle(), 0, data)}).ok());

  std::string back;
  std::vector<uint64_t> offsets;
  ASSERT_TRUE(
      read(session, buffer.handle(), 100, 2 * kMiB + 50, &back, &offsets).ok());
  EXPECT_EQ(back, data.substr(100, 2 * kMiB + 50));
  EXPECT_THAT(offsets, ElementsAre(100, 100 + kMiB, 100 + 2 * kMiB));

  ASSERT_TRUE(read(session, buffer.handle(), 3 * kMiB - 5, 0, &back).ok());
  EXPECT_EQ(back, data.substr(3 * kMiB - 5));
  ASSERT_TRUE(read(session, buffer.handle(), 3 * kMiB, 0, &back).ok());
  EXPECT_THAT(back, IsEmpty());
}

TEST_F(BufferServiceTest, Read_ClientGone_StopsWithCancelled) {
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 3 * kMiB);
  std::string back;
  const grpc::Status status =
      read(session, buffer.handle(), 0, 0, &back, nullptr, 1);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_EQ(back.size(), kMiB);
}

TEST_F(BufferServiceTest, OutsideBuffer_OutOfRangeNamingBytes) {
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 4096);
  grpc::Status status =
      write({chunk(session, buffer.handle(), 4000, std::string(100, 'a'))});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message(),
            "bytes [4000, 4100) are outside buffer 1 of 4096 bytes");
  std::string back;
  status = read(session, buffer.handle(), UINT64_MAX, 2, &back);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message(),
            "bytes [18446744073709551615, 18446744073709551617) are outside "
            "buffer 1 of 4096 bytes");
  EXPECT_EQ(read(session, buffer.handle(), 4097, 0, &back).error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(
      sync(session, buffer.handle(), v1::SYNC_DIRECTION_TO_DEVICE, 1, 4096)
          .error_code(),
      grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(BufferServiceTest, Write_HandleChangesMidStream_InvalidArgument) {
  const std::string session = open();
  const v1::Buffer first = allocated(session, 4096);
  const v1::Buffer second = allocated(session, 4096);
  const grpc::Status status = write({chunk(session, first.handle(), 0, "ab"),
                                     chunk(session, second.handle(), 0, "cd")});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "every message of a WriteBuffer stream must name the session and "
            "buffer of the first (buffer 1)");
}

TEST_F(BufferServiceTest, OtherSessionsBuffer_NotFoundEverywhere) {
  const std::string alice = open("alice");
  const std::string bob = open("bob");
  const v1::Buffer buffer = allocated(alice, 4096);
  const uint64_t handle = buffer.handle();
  std::string back;
  for (const grpc::Status& status :
       {write({chunk(bob, handle, 0, "x")}), read(bob, handle, 0, 0, &back),
        sync(bob, handle, v1::SYNC_DIRECTION_TO_DEVICE), free(bob, handle)}) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(status.error_message(), "no buffer 1 in this session");
  }
  EXPECT_EQ(list().buffers_size(), 1);
}

TEST_F(BufferServiceTest, UnknownSession_NotFoundAskingToOpenOne) {
  const grpc::Status status = allocate("0123456789abcdef", 4096);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            "no session '01234567\u2026'; open one with OpenSession");
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 4096);
  sessions_->close(session);
  std::string back;
  EXPECT_EQ(read(session, buffer.handle(), 0, 0, &back).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(BufferServiceTest, ForceFree_AnySessionEmptyId_Freed) {
  const std::string alice = open("alice");
  const v1::Buffer buffer = allocated(alice, 4096);
  EXPECT_EQ(free("", buffer.handle()).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(free("", buffer.handle(), true).ok());
  EXPECT_EQ(list().buffers_size(), 0);
  const grpc::Status again = free("", buffer.handle(), true);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(again.error_message(), "no buffer 1");
}

TEST_F(BufferServiceTest, Free_OwnBuffer_GoneAndBytesBack) {
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 8192);
  ASSERT_TRUE(free(session, buffer.handle()).ok());
  EXPECT_EQ(list().pool().free_bytes(), kPoolSize);
  EXPECT_EQ(free(session, buffer.handle()).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(BufferServiceTest, Allocate_AfterFree_SameBytesReadZero) {
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 4096);
  ASSERT_TRUE(
      write({chunk(session, buffer.handle(), 0, std::string(4096, 'z'))}).ok());
  ASSERT_TRUE(free(session, buffer.handle()).ok());
  const v1::Buffer again = allocated(session, 4096);
  EXPECT_EQ(again.physical_address(), buffer.physical_address());
  std::string back;
  ASSERT_TRUE(read(session, again.handle(), 0, 0, &back).ok());
  EXPECT_EQ(back, std::string(4096, '\0'));
}

TEST_F(BufferServiceTest, PoolExhausted_ResourceExhaustedServerKeepsWorking) {
  const std::string session = open();
  allocated(session, kPoolSize - 4096);
  const grpc::Status status = allocate(session, 8192);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(),
            "cannot allocate 8192 bytes: 4096 of 4194304 bytes free in the "
            "buffer pool (largest free block 4096)");
  EXPECT_EQ(allocate(session, UINT64_MAX).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(allocate(session, 4096).ok());
}

TEST_F(BufferServiceTest, SessionLimit_OverLimit_ResourceExhaustedOthersFine) {
  service_ = std::make_unique<BufferService>(sim_, sessions_, 16384);
  const std::string alice = open("alice");
  const std::string bob = open("bob");
  allocated(alice, 16384);
  const grpc::Status status = allocate(alice, 1);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(),
            "session '" + alice.substr(0, 8) +
                "\u2026' would hold 20480 bytes, over its limit of 16384 "
                "bytes");
  EXPECT_TRUE(allocate(bob, 16384).ok());
  EXPECT_EQ(list().pool().session_limit_bytes(), 16384u);
}

TEST_F(BufferServiceTest, SessionEnds_ItsBuffersFreedPoolBytesBack) {
  const std::string alice = open("alice");
  const std::string bob = open("bob");
  allocated(alice, kMiB);
  allocated(alice, 4096);
  const v1::Buffer bobs = allocated(bob, 4096);
  sessions_->close(alice);
  const v1::ListBuffersResponse listed = list();
  ASSERT_EQ(listed.buffers_size(), 1);
  EXPECT_EQ(listed.buffers(0).handle(), bobs.handle());
  EXPECT_EQ(listed.pool().free_bytes(), kPoolSize - 4096);
}

TEST_F(BufferServiceTest, Sync_BothDirections_OkUnspecifiedRejected) {
  const std::string session = open();
  const v1::Buffer buffer = allocated(session, 8192);
  EXPECT_TRUE(
      sync(session, buffer.handle(), v1::SYNC_DIRECTION_TO_DEVICE).ok());
  EXPECT_TRUE(
      sync(session, buffer.handle(), v1::SYNC_DIRECTION_FROM_DEVICE, 4096, 4096)
          .ok());
  const grpc::Status status =
      sync(session, buffer.handle(), v1::SYNC_DIRECTION_UNSPECIFIED);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "direction must be SYNC_DIRECTION_TO_DEVICE or "
            "SYNC_DIRECTION_FROM_DEVICE");
  EXPECT_EQ(sync(session, buffer.handle(), static_cast<v1::SyncDirection>(7))
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(BufferServiceTest, List_BuffersByHandleAndPoolState) {
  const std::string alice = open("alice");
  const std::string bob = open("bob");
  allocated(bob, 4096);
  allocated(alice, 8192);
  const v1::ListBuffersResponse listed = list();
  ASSERT_EQ(listed.buffers_size(), 2);
  EXPECT_EQ(listed.buffers(0).handle(), 1u);
  EXPECT_EQ(listed.buffers(0).client_name(), "bob");
  EXPECT_EQ(listed.buffers(1).handle(), 2u);
  EXPECT_EQ(listed.buffers(1).session_label(), alice.substr(0, 8));
  EXPECT_EQ(listed.DebugString().find(alice), std::string::npos)
      << "the listing must not carry a whole session id";
  EXPECT_EQ(listed.buffers(1).physical_address(), kPoolBase + 4096);
  EXPECT_EQ(listed.pool().provider(), "sim");
  EXPECT_EQ(listed.pool().base_address(), kPoolBase);
  EXPECT_EQ(listed.pool().size(), kPoolSize);
  EXPECT_EQ(listed.pool().free_bytes(), kPoolSize - 3 * 4096);
  EXPECT_EQ(listed.pool().session_limit_bytes(), kPoolSize);
}

TEST(BufferServiceTests, NoBufferMemory_FailedPreconditionListEmpty) {
  auto sessions = std::make_shared<SessionRepository>();
  BufferService service(make_test_sim(), sessions, 0);
  const std::string session =
      sessions->open("a", std::chrono::milliseconds(0)).id;
  grpc::ServerContext context;
  v1::AllocateBufferRequest request;
  request.set_session_id(session);
  request.set_size(4096);
  v1::AllocateBufferResponse response;
  const grpc::Status status =
      service.AllocateBuffer(&context, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "this server has no buffer memory: add buffer_pool to the board "
            "config");
  v1::ListBuffersRequest list_request;
  v1::ListBuffersResponse listed;
  ASSERT_TRUE(service.ListBuffers(&context, &list_request, &listed).ok());
  EXPECT_FALSE(listed.has_pool());
}

}  // namespace
}  // namespace pynq_remote
