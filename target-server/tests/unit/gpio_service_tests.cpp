#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <memory>

#include "backends/sim_backend.h"
#include "services/gpio_service.h"
#include "unit/mock_backend.h"

namespace pynq_remote {
namespace {

std::shared_ptr<SimBackend> sim_with_gpio() {
  config::BoardConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(gpio_chips {
             label: "zynqmp_gpio"
             lines: 4
             line_names { offset: 2 name: "led" }
           })pb",
      &config));
  return std::make_shared<SimBackend>(config);
}

TEST(GpioServiceTests, ListGpioLines_SimChip_NamesAndDirections) {
  GpioService service(sim_with_gpio());
  grpc::ServerContext context;
  v1::ListGpioLinesResponse response;
  ASSERT_TRUE(service.ListGpioLines(&context, nullptr, &response).ok());
  ASSERT_EQ(response.lines_size(), 4);
  EXPECT_EQ(response.lines(2).name(), "led");
  EXPECT_EQ(response.lines(2).chip(), "gpiochip0");
  EXPECT_EQ(response.lines(2).direction(), v1::GPIO_DIRECTION_INPUT);
}

TEST(GpioServiceTests, WriteGpioLine_InputOrBadValue_Refused) {
  GpioService service(sim_with_gpio());
  grpc::ServerContext context;
  v1::WriteGpioLineRequest request;
  request.set_chip("gpiochip0");
  request.set_offset(2);
  request.set_value(1);
  v1::WriteGpioLineResponse response;
  EXPECT_EQ(service.WriteGpioLine(&context, &request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  request.set_value(2);
  EXPECT_EQ(service.WriteGpioLine(&context, &request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::SetGpioDirectionRequest direction;
  direction.set_chip("gpiochip0");
  direction.set_offset(2);
  direction.set_direction(v1::GPIO_DIRECTION_OUTPUT);
  direction.set_value(1);
  v1::SetGpioDirectionResponse direction_response;
  ASSERT_TRUE(
      service.SetGpioDirection(&context, &direction, &direction_response).ok());
  v1::ReadGpioLineRequest read;
  read.set_chip("gpiochip0");
  read.set_offset(2);
  v1::ReadGpioLineResponse value;
  ASSERT_TRUE(service.ReadGpioLine(&context, &read, &value).ok());
  EXPECT_EQ(value.value(), 1u);
}

TEST(GpioServiceTests, SetSimulatedInput_RealBackend_FailedPrecondition) {
  GpioService service(std::make_shared<MockBackend>(MmioWindows()));
  grpc::ServerContext context;
  v1::SetSimulatedInputRequest request;
  request.mutable_axi_gpio()->set_window("gpio");
  request.mutable_axi_gpio()->set_channel(1);
  v1::SetSimulatedInputResponse response;
  const grpc::Status status =
      service.SetSimulatedInput(&context, &request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "simulated inputs exist only on the sim backend");
  v1::ListGpioLinesResponse lines;
  EXPECT_TRUE(service.ListGpioLines(&context, nullptr, &lines).ok());
  EXPECT_EQ(lines.lines_size(), 0);
}

}  // namespace
}  // namespace pynq_remote
