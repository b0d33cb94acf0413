#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/limits.h"
#include "services/device_service.h"
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
  EXPECT_THAT(response.capabilities(),
              ElementsAre("mmio", "mmio.block", "mmio.batch"));
  ASSERT_EQ(response.mmio_windows_size(), 2);
  EXPECT_EQ(response.mmio_windows(1).name(), "ram");
  EXPECT_EQ(response.mmio_windows(1).base_address(), kRamBase);
  EXPECT_EQ(response.mmio_windows(1).size(), kRamSize);
  EXPECT_EQ(response.fpga().state(), v1::FPGA_MANAGER_STATE_OPERATING);
  EXPECT_EQ(response.fpga().manager_state(), "operating");
  EXPECT_EQ(response.fpga().design_name(), "test_design");
}

}  // namespace
}  // namespace pynq_remote
