// The extension point: a service registered with PYNQ_REMOTE_EXTENSION is
// served beside the core services, over the same backend and authorizer.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "backends/sim_backend.h"
#include "core/sha256.h"
#include "extension_test.grpc.pb.h"
#include "pynq_remote/extension.h"
#include "pynq_remote/v1/device.grpc.pb.h"
#include "services/service_registrar.h"

namespace pynq_remote {
namespace {

constexpr const char* kName = "pynq_remote.test.v1.ExtensionTestService";

class TestExtension final : public test::v1::ExtensionTestService::Service {
 public:
  explicit TestExtension(const ExtensionContext& context) : context_(context) {
    last_context() = context;
  }

  // What the server gave the instance made last.
  static ExtensionContext& last_context() {
    static ExtensionContext context;
    return context;
  }

  grpc::Status Describe(grpc::ServerContext* context,
                        const test::v1::DescribeRequest* /*request*/,
                        test::v1::DescribeResponse* response) override {
    return run_authorized(*context_.authorizer, Role::kReader, "Describe",
                          context, [&] {
                            response->set_backend(
                                context_.backend->description().backend);
                          });
  }

  grpc::Status Poke(grpc::ServerContext* context,
                    const test::v1::PokeRequest* /*request*/,
                    test::v1::PokeResponse* /*response*/) override {
    return run_authorized(*context_.authorizer, Role::kOperator, "Poke",
                          context, [] {});
  }

 private:
  ExtensionContext context_;
};

PYNQ_REMOTE_EXTENSION(TestExtension, test::v1::ExtensionTestService);

std::string sha256_text(const std::string& text) {
  Sha256 hash;
  hash.update(text.data(), text.size());
  return hash.hex_digest();
}

class ExtensionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AuthorizerSettings settings;
    settings.tokens = {
        {Role::kReader, "rita", sha256_text("reader-secret")},
        {Role::kOperator, "olga", sha256_text("operator-secret")}};
    ServiceOptions options;
    options.authorizer = std::make_shared<Authorizer>(settings);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    services_ = register_all_services(
        builder,
        load_sim_backend(std::string(PYNQ_REMOTE_SOURCE_CONFIG_DIR) +
                         "/sim-board.textproto"),
        options);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    if (services_) services_->end_shutdown();
  }

  // A call context carrying `token`, or no credentials when it is empty.
  static std::unique_ptr<grpc::ClientContext> as(const std::string& token) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    if (!token.empty()) {
      context->AddMetadata("authorization", "Bearer " + token);
    }
    return context;
  }

  std::unique_ptr<ServiceRegistration> services_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(ExtensionTest, Registered_ListedInServiceNamesAndGetInfo) {
  const std::vector<std::string> names = services_->service_names();
  EXPECT_NE(std::find(names.begin(), names.end(), kName), names.end());

  auto device = v1::DeviceService::NewStub(channel_);
  v1::GetInfoResponse info;
  ASSERT_TRUE(
      device->GetInfo(as("reader-secret").get(), v1::GetInfoRequest(), &info)
          .ok());
  ASSERT_EQ(info.extensions_size(), 1);
  EXPECT_EQ(info.extensions(0), kName);
}

TEST_F(ExtensionTest, ReaderToken_MayCallReaderMethodOnTheBackend) {
  auto stub = test::v1::ExtensionTestService::NewStub(channel_);
  test::v1::DescribeResponse response;
  const grpc::Status status = stub->Describe(
      as("reader-secret").get(), test::v1::DescribeRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.backend(), "sim");
}

TEST_F(ExtensionTest, Roles_CheckedByTheServersAuthorizer) {
  auto stub = test::v1::ExtensionTestService::NewStub(channel_);
  test::v1::PokeResponse response;
  const grpc::Status reader =
      stub->Poke(as("reader-secret").get(), test::v1::PokeRequest(), &response);
  EXPECT_EQ(reader.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(reader.error_message().find("Poke"), std::string::npos);
  const grpc::Status nobody =
      stub->Poke(as("").get(), test::v1::PokeRequest(), &response);
  EXPECT_EQ(nobody.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(stub->Poke(as("operator-secret").get(), test::v1::PokeRequest(),
                         &response)
                  .ok());
}

TEST_F(ExtensionTest, BeginShutdown_SignalsTheExtension) {
  const std::shared_ptr<const ShutdownSignal> shutdown =
      TestExtension::last_context().shutdown;
  EXPECT_FALSE(shutdown->triggered());
  services_->begin_shutdown();
  EXPECT_TRUE(shutdown->triggered());
  EXPECT_TRUE(shutdown->wait_until(std::chrono::steady_clock::now() +
                                   std::chrono::hours(1)));
}

TEST(ShutdownSignalTests, WaitUntil_FalseAtDeadline_TrueOnceTriggered) {
  ShutdownSignal signal;
  EXPECT_FALSE(signal.wait_until(std::chrono::steady_clock::now() +
                                 std::chrono::milliseconds(20)));
  std::thread trigger([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    signal.trigger();
  });
  EXPECT_TRUE(signal.wait_until(std::chrono::steady_clock::now() +
                                std::chrono::hours(1)));
  trigger.join();
}

TEST(RegisterExtensionTests, SameServiceTwice_Refused) {
  EXPECT_THROW(register_extension(kName, nullptr), std::logic_error);
}

}  // namespace
}  // namespace pynq_remote
