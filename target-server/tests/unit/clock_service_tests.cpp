#include <gtest/gtest.h>

#include <memory>

#include "backends/sim_backend.h"
#include "core/board_config.h"
#include "services/clock_service.h"
#include "unit/sim_fixture.h"

namespace pynq_remote {
namespace {

std::shared_ptr<SimBackend> sim_with_clocks(const char* platform) {
  config::BoardConfig config;
  config.set_clock_platform(platform);
  return std::make_shared<SimBackend>(config);
}

TEST(ClockServiceTests, GetClocks_ZynqSim_FourClocksAndCpu) {
  ClockService service(sim_with_clocks("zynq"));
  grpc::ServerContext context;
  v1::GetClocksRequest request;
  v1::GetClocksResponse response;

  ASSERT_TRUE(service.GetClocks(&context, &request, &response).ok());

  EXPECT_DOUBLE_EQ(response.cpu_mhz(), 650);
  ASSERT_EQ(response.pl_clocks_size(), 4);
  EXPECT_EQ(response.pl_clocks(3).index(), 3u);
  EXPECT_EQ(response.pl_clocks(3).source(), "IO PLL");
  EXPECT_DOUBLE_EQ(response.pl_clocks(3).frequency_mhz(), 100);
}

TEST(ClockServiceTests, SetPlClock_Divisors_SetExactly) {
  ClockService service(sim_with_clocks("zynqmp"));
  grpc::ServerContext context;
  v1::SetPlClockRequest request;
  request.set_index(0);
  request.set_divisor0(3);
  request.set_divisor1(5);
  v1::SetPlClockResponse response;

  ASSERT_TRUE(service.SetPlClock(&context, &request, &response).ok());

  EXPECT_EQ(response.clock().divisor0(), 3u);
  EXPECT_EQ(response.clock().divisor1(), 5u);
  EXPECT_DOUBLE_EQ(response.clock().frequency_mhz(), 99.999);
}

TEST(ClockServiceTests, SetPlClock_OneDivisor_InvalidArgument) {
  ClockService service(sim_with_clocks("zynqmp"));
  grpc::ServerContext context;
  v1::SetPlClockRequest request;
  request.set_divisor0(3);
  v1::SetPlClockResponse response;

  const grpc::Status status = service.SetPlClock(&context, &request, &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "give both divisors or neither");
}

TEST(ClockServiceTests, GetClocks_BoardWithoutClocks_FailedPrecondition) {
  ClockService service(make_test_sim());
  grpc::ServerContext context;
  v1::GetClocksRequest request;
  v1::GetClocksResponse response;

  const grpc::Status status = service.GetClocks(&context, &request, &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "this board (platform 'sim') has no PL clocks the server can "
            "control");
}

TEST(ClockServiceTests, SimConfig_UnknownClockPlatform_ConfigError) {
  EXPECT_THROW(sim_with_clocks("versal"), ConfigError);
}

}  // namespace
}  // namespace pynq_remote
