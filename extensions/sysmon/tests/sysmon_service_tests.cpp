#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sysmon_service.h"

namespace pynq_remote_ext {
namespace sysmon {
namespace {

using Clock = std::chrono::steady_clock;

// Keeps what is written; after `capacity` messages it fails, as a stream
// whose client went away.
class CollectingWriter final
    : public grpc::ServerWriterInterface<v1::StreamReadingsResponse> {
 public:
  explicit CollectingWriter(size_t capacity = SIZE_MAX) : capacity_(capacity) {}
  void SendInitialMetadata() override {}
  bool Write(const v1::StreamReadingsResponse& message,
             grpc::WriteOptions /*options*/) override {
    if (written.size() >= capacity_) return false;
    written.push_back(message);
    return true;
  }
  std::vector<v1::StreamReadingsResponse> written;

 private:
  size_t capacity_;
};

class SysmonServiceTests : public ::testing::Test {
 protected:
  static pynq_remote::ExtensionContext context_with(
      std::shared_ptr<const pynq_remote::ShutdownSignal> shutdown) {
    pynq_remote::ExtensionContext context;
    context.shutdown = std::move(shutdown);
    return context;
  }

  std::shared_ptr<pynq_remote::ShutdownSignal> shutdown_ =
      std::make_shared<pynq_remote::ShutdownSignal>();
  SysmonService service_{make_sim_sensors("zynqmp", [] { return 1.0; }),
                         context_with(shutdown_)};
  grpc::ServerContext server_context_;
};

TEST_F(SysmonServiceTests, ListSensors_KindsAndUnits) {
  v1::ListSensorsRequest request;
  v1::ListSensorsResponse response;

  ASSERT_TRUE(service_.ListSensors(&server_context_, &request, &response).ok());

  ASSERT_EQ(response.sensors_size(), 9);
  EXPECT_EQ(response.sensors(0).id(), "ams.temp0_ps_temp");
  EXPECT_EQ(response.sensors(0).kind(), v1::SENSOR_KIND_TEMPERATURE);
  EXPECT_EQ(response.sensors(0).unit(), "degC");
  EXPECT_EQ(response.sensors(3).id(), "ams.voltage0_vccint");
  EXPECT_EQ(response.sensors(3).unit(), "V");
  EXPECT_EQ(response.sensors(3).source(), "sim");
}

TEST_F(SysmonServiceTests, Read_SensorsAsked_InThatOrder) {
  v1::ReadRequest request;
  request.add_sensor_ids("ams.voltage0_vccint");
  request.add_sensor_ids("ams.temp2_pl_temp");
  v1::ReadResponse response;

  ASSERT_TRUE(service_.Read(&server_context_, &request, &response).ok());

  ASSERT_EQ(response.readings_size(), 2);
  EXPECT_EQ(response.readings(0).sensor_id(), "ams.voltage0_vccint");
  EXPECT_NEAR(response.readings(0).value(), 0.85, 0.01);
  EXPECT_EQ(response.readings(1).sensor_id(), "ams.temp2_pl_temp");
  EXPECT_GT(response.timestamp_unix_ms(), 0u);
}

TEST_F(SysmonServiceTests, Read_UnknownSensor_NotFoundNamingIt) {
  v1::ReadRequest request;
  request.add_sensor_ids("ams.nothing");
  v1::ReadResponse response;

  grpc::Status status = service_.Read(&server_context_, &request, &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("'ams.nothing'"), std::string::npos);
}

TEST_F(SysmonServiceTests, Read_TooManyIds_InvalidArgument) {
  v1::ReadRequest request;
  for (int i = 0; i <= kMaxRequestSensors; ++i) {
    request.add_sensor_ids("ams.temp0_ps_temp");
  }
  v1::ReadResponse response;

  grpc::Status status = service_.Read(&server_context_, &request, &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("at most 64"), std::string::npos);
}

TEST_F(SysmonServiceTests, Read_HugeId_InvalidArgument) {
  v1::ReadRequest request;
  request.add_sensor_ids(std::string(10000, 'x'));
  v1::ReadResponse response;

  EXPECT_EQ(service_.Read(&server_context_, &request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SysmonServiceTests, Stream_Count_SentAtRate) {
  v1::StreamReadingsRequest request;
  request.set_rate_hz(50);
  request.set_count(5);
  request.add_sensor_ids("ams.temp0_ps_temp");
  CollectingWriter writer;

  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(
      service_.stream_readings(&server_context_, &request, &writer).ok());
  const auto elapsed = Clock::now() - start;

  ASSERT_EQ(writer.written.size(), 5u);
  EXPECT_EQ(writer.written[4].sequence(), 4u);
  EXPECT_EQ(writer.written[4].readings_size(), 1);
  // Four periods of 20 ms between the first sample and the last.
  EXPECT_GE(elapsed, std::chrono::milliseconds(80));
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST_F(SysmonServiceTests, Stream_RateOutOfRange_InvalidArgumentNamingRange) {
  for (double rate : {0.0, 0.01, 1000.0, -1.0}) {
    v1::StreamReadingsRequest request;
    request.set_rate_hz(rate);
    CollectingWriter writer;

    grpc::Status status =
        service_.stream_readings(&server_context_, &request, &writer);

    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << rate;
    EXPECT_NE(status.error_message().find("give 0.1 to 100 samples per second"),
              std::string::npos)
        << status.error_message();
    EXPECT_TRUE(writer.written.empty());
  }
}

TEST_F(SysmonServiceTests, Stream_ClientGone_Ends) {
  v1::StreamReadingsRequest request;
  request.set_rate_hz(100);
  CollectingWriter writer(3);

  EXPECT_TRUE(
      service_.stream_readings(&server_context_, &request, &writer).ok());
  EXPECT_EQ(writer.written.size(), 3u);
}

TEST_F(SysmonServiceTests, Stream_Shutdown_EndsAtOnceUnavailable) {
  v1::StreamReadingsRequest request;
  request.set_rate_hz(0.1);  // a sample every 10 s
  CollectingWriter writer;
  std::thread shutdown([this] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    shutdown_->trigger();
  });

  const Clock::time_point start = Clock::now();
  grpc::Status status =
      service_.stream_readings(&server_context_, &request, &writer);
  shutdown.join();

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(writer.written.size(), 1u);  // the first sample goes at once
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace sysmon
}  // namespace pynq_remote_ext
