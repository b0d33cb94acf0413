#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/limits.h"
#include "services/device_service.h"
#include "unit/fake_streams.h"
#include "unit/sim_fixture.h"

namespace pynq_remote {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

TEST(DeviceServiceTests, GetInfo_SimBackend_FillsEveryField) {
  DeviceService service(make_test_sim());
  grpc::ServerContext context;
  v1::GetInfoRequest request;
  v1::GetInfoResponse response;

  const grpc::Status status = service.GetInfo(&context, &request, &response);

  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.server_version(), PYNQ_REMOTE_VERSION);
  EXPECT_EQ(response.api_version(), "v1");
  EXPECT_EQ(response.board(), "test-board");
  EXPECT_EQ(response.platform(), "sim");
  EXPECT_EQ(response.backend(), "sim");
  EXPECT_THAT(response.kernel_release(), Not(IsEmpty()));
  EXPECT_THAT(response.architecture(), Not(IsEmpty()));
  EXPECT_EQ(response.limits().max_message_bytes(), kMaxMessageBytes);
  EXPECT_EQ(response.limits().max_burst_words(), kMaxBurstWords);
  EXPECT_EQ(response.limits().max_batch_steps(), kMaxBatchSteps);
  EXPECT_EQ(response.limits().max_poll_timeout_ms(), kMaxPollTimeoutMs);
  EXPECT_EQ(response.limits().max_link_test_bytes(), uint64_t{1} << 30);
  // The test board has no buffer_pool, so no "buffers", and no gpio_chips;
  // the sim always models interrupt lines.
  EXPECT_THAT(response.capabilities(),
              ElementsAre("mmio", "mmio.block", "mmio.batch", "sessions",
                          "link_test", "interrupts"));
  ASSERT_EQ(response.mmio_windows_size(), 2);
  EXPECT_EQ(response.mmio_windows(1).name(), "ram");
  EXPECT_EQ(response.mmio_windows(1).base_address(), kRamBase);
  EXPECT_EQ(response.mmio_windows(1).size(), kRamSize);
  EXPECT_EQ(response.fpga().state(), v1::FPGA_MANAGER_STATE_OPERATING);
  EXPECT_EQ(response.fpga().manager_state(), "operating");
  EXPECT_EQ(response.fpga().design_name(), "test_design");
}

TEST(DeviceServiceTests, GetInfo_Always_ReportsTheServerClock) {
  DeviceService service(make_test_sim());
  grpc::ServerContext context;
  v1::GetInfoRequest request;
  v1::GetInfoResponse response;

  const uint64_t before = unix_ms_now();
  ASSERT_TRUE(service.GetInfo(&context, &request, &response).ok());
  const uint64_t after = unix_ms_now();

  EXPECT_GE(response.server_time_unix_ms(), before);
  EXPECT_LE(response.server_time_unix_ms(), after);
}

TEST(DeviceServiceTests, GetInfo_BoardWithBufferPool_ReportsBuffers) {
  DeviceService service(make_test_sim_with_pool());
  grpc::ServerContext context;
  v1::GetInfoRequest request;
  v1::GetInfoResponse response;
  ASSERT_TRUE(service.GetInfo(&context, &request, &response).ok());
  EXPECT_THAT(response.capabilities(),
              ElementsAre("mmio", "mmio.block", "mmio.batch", "sessions",
                          "link_test", "buffers", "interrupts"));
}

// --- Link test -------------------------------------------------------------

class LinkTest : public ::testing::Test {
 protected:
  grpc::Status source(uint64_t size, uint64_t chunk_size,
                      std::vector<size_t>* sizes, size_t capacity = SIZE_MAX) {
    grpc::ServerContext context;
    v1::SourceBytesRequest request;
    request.set_size(size);
    request.set_chunk_size(chunk_size);
    FakeWriter<v1::SourceBytesResponse> writer(capacity);
    const grpc::Status status =
        service_.source_bytes(&context, &request, &writer);
    for (const v1::SourceBytesResponse& message : writer.written()) {
      sizes->push_back(message.data().size());
      EXPECT_EQ(message.data(), std::string(message.data().size(), '\0'));
    }
    return status;
  }

  DeviceService service_{make_test_sim()};
};

TEST_F(LinkTest, Echo_OpenServer_Ok) {
  grpc::ServerContext context;
  v1::EchoRequest request;
  v1::EchoResponse response;
  EXPECT_TRUE(service_.Echo(&context, &request, &response).ok());
}

TEST(DeviceServiceTests, Echo_WithoutCredentials_Unauthenticated) {
  AuthorizerSettings settings;
  settings.tokens = parse_tokens("reader r " + std::string(64, '0') + "\n");
  DeviceService service(make_test_sim(), false,
                        std::make_shared<const Authorizer>(settings));
  grpc::ServerContext context;
  v1::EchoRequest request;
  v1::EchoResponse response;
  const grpc::Status status = service.Echo(&context, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(),
            "this server needs credentials: a client certificate signed by "
            "its client CA, or an 'authorization: Bearer TOKEN' header");
}

TEST_F(LinkTest, SinkBytes_Stream_CountsEveryByte) {
  std::vector<v1::SinkBytesRequest> messages(3);
  messages[0].set_data(std::string(1000, 'a'));
  messages[2].set_data(std::string(24, 'b'));
  FakeReader<v1::SinkBytesRequest> reader(messages);
  grpc::ServerContext context;
  v1::SinkBytesResponse response;
  ASSERT_TRUE(service_.sink_bytes(&context, &reader, &response).ok());
  EXPECT_EQ(response.bytes_received(), 1024u);
}

TEST_F(LinkTest, SourceBytes_DefaultChunk_MiBChunksOfZerosShortLast) {
  std::vector<size_t> sizes;
  ASSERT_TRUE(source(2 * 1048576 + 10, 0, &sizes).ok());
  EXPECT_THAT(sizes, ElementsAre(1048576, 1048576, 10));
}

TEST_F(LinkTest, SourceBytes_ChunkSizeGiven_Used) {
  std::vector<size_t> sizes;
  ASSERT_TRUE(source(10, 4, &sizes).ok());
  EXPECT_THAT(sizes, ElementsAre(4, 4, 2));
  sizes.clear();
  ASSERT_TRUE(source(0, 0, &sizes).ok());
  EXPECT_THAT(sizes, IsEmpty());
}

TEST_F(LinkTest, SourceBytes_OverLimits_OutOfRange) {
  std::vector<size_t> sizes;
  grpc::Status status = source((uint64_t{1} << 30) + 1, 0, &sizes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message(),
            "size 1073741825 exceeds the limit of 1073741824 bytes per link "
            "test");
  status = source(10, kMaxMessageBytes / 2 + 1, &sizes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message(),
            "chunk_size 8388609 exceeds the limit of 8388608 bytes (half the "
            "largest message)");
  EXPECT_THAT(sizes, IsEmpty());
  EXPECT_TRUE(
      source(uint64_t{1} << 30, kMaxMessageBytes / 2, &sizes, 1).error_code() ==
      grpc::StatusCode::CANCELLED);
}

}  // namespace
}  // namespace pynq_remote
