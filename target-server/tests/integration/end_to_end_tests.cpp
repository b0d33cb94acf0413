// The real server stack over TCP on the loopback interface.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backends/sim_backend.h"
#include "pynq_remote/v1/device.grpc.pb.h"
#include "pynq_remote/v1/mmio.grpc.pb.h"
#include "services/service_registrar.h"

namespace pynq_remote {
namespace {

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    services_ = register_all_services(
        builder, load_sim_backend(std::string(PYNQ_REMOTE_SOURCE_CONFIG_DIR) +
                                  "/sim-board.textproto"));
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    mark_serving(*server_);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
  }

  static std::unique_ptr<grpc::ClientContext> context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  std::unique_ptr<ServiceRegistration> services_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(EndToEndTest, GetInfo_OverTcp_DescribesSimBoard) {
  auto stub = v1::DeviceService::NewStub(channel_);
  v1::GetInfoResponse response;
  const grpc::Status status =
      stub->GetInfo(context().get(), v1::GetInfoRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.backend(), "sim");
  EXPECT_EQ(response.mmio_windows_size(), 4);
}

TEST_F(EndToEndTest, Read_OverTcp_ReturnsButtonPins) {
  auto stub = v1::MmioService::NewStub(channel_);
  v1::ReadRequest request;
  request.set_address(0xA0000008);  // axi_gpio_0 GPIO2_DATA: buttons
  request.set_width(v1::WIDTH_32);
  v1::ReadResponse response;
  const grpc::Status status = stub->Read(context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.value(), 0x5u);
}

TEST_F(EndToEndTest, Read_OutsideWindows_StatusCodeReachesClient) {
  auto stub = v1::MmioService::NewStub(channel_);
  v1::ReadRequest request;
  request.set_address(0xF0000000);
  request.set_width(v1::WIDTH_32);
  v1::ReadResponse response;
  const grpc::Status status = stub->Read(context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "address 0xf0000000 (4 bytes) is outside the MMIO windows");
}

TEST_F(EndToEndTest, HealthCheck_OverTcp_Serving) {
  // grpc.health.v1 messages, encoded by hand: the request names no service
  // (empty message); the response is field 1 (status) = 1 (SERVING).
  grpc::GenericStub stub(channel_);
  const grpc::Slice request_slice("", 0);
  grpc::ByteBuffer request(&request_slice, 1);
  grpc::ByteBuffer response;
  auto call_context = context();
  grpc::Status status;
  bool done = false;
  std::mutex mutex;
  std::condition_variable done_changed;
  stub.UnaryCall(call_context.get(), "/grpc.health.v1.Health/Check",
                 grpc::StubOptions(), &request, &response,
                 [&](grpc::Status result) {
                   std::lock_guard<std::mutex> lock(mutex);
                   status = result;
                   done = true;
                   done_changed.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mutex);
  done_changed.wait(lock, [&] { return done; });

  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

}  // namespace
}  // namespace pynq_remote
