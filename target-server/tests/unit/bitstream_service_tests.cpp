#include "services/bitstream_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "backends/sim_axi_gpio.h"
#include "core/limits.h"
#include "services/device_service.h"
#include "unit/bitstream_test_data.h"
#include "unit/expect_status.h"
#include "unit/fake_streams.h"
#include "unit/sim_fixture.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

v1::UploadBitstreamRequest header(const std::string& sha256, uint64_t size) {
  v1::UploadBitstreamRequest request;
  request.mutable_header()->set_sha256(sha256);
  request.mutable_header()->set_size(size);
  return request;
}

v1::UploadBitstreamRequest data(const std::string& bytes) {
  v1::UploadBitstreamRequest request;
  request.set_data(bytes);
  return request;
}

// The header, then `bytes` in chunks of `chunk` bytes.
std::vector<v1::UploadBitstreamRequest> upload_messages(
    const std::string& sha256, uint64_t size, const std::string& bytes,
    size_t chunk = 1000) {
  std::vector<v1::UploadBitstreamRequest> messages{header(sha256, size)};
  for (size_t at = 0; at < bytes.size(); at += chunk) {
    messages.push_back(data(bytes.substr(at, chunk)));
  }
  return messages;
}

class BitstreamServiceTest : public ::testing::Test {
 protected:
  grpc::Status upload(std::vector<v1::UploadBitstreamRequest> messages,
                      v1::UploadBitstreamResponse* response = nullptr) {
    grpc::ServerContext context;
    FakeReader<v1::UploadBitstreamRequest> reader(std::move(messages));
    v1::UploadBitstreamResponse ignored;
    return service_.upload_bitstream(&context, &reader,
                                     response ? response : &ignored);
  }

  bool has(const std::string& sha256) {
    grpc::ServerContext context;
    v1::HasBitstreamRequest request;
    request.set_sha256(sha256);
    v1::HasBitstreamResponse response;
    EXPECT_TRUE(service_.HasBitstream(&context, &request, &response).ok());
    return response.present();
  }

  std::string upload_ok(const std::string& bytes) {
    const std::string sha256 = sha256_of(bytes);
    EXPECT_TRUE(upload(upload_messages(sha256, bytes.size(), bytes)).ok());
    return sha256;
  }

  grpc::Status program(const v1::ProgramBitstreamRequest& request,
                       v1::ProgramBitstreamResponse* response = nullptr) {
    grpc::ServerContext context;
    v1::ProgramBitstreamResponse ignored;
    return service_.ProgramBitstream(&context, &request,
                                     response ? response : &ignored);
  }

  size_t files_in_cache() const {
    size_t count = 0;
    for (const auto& file : std::filesystem::directory_iterator(dir_.path())) {
      (void)file;
      ++count;
    }
    return count;
  }

  TempDir dir_;
  std::shared_ptr<SimBackend> sim_ = make_test_sim();
  std::shared_ptr<BitstreamCache> cache_ =
      std::make_shared<BitstreamCache>(dir_.path().string(), 1 << 20);
  BitstreamService service_{sim_, cache_};
};

TEST_F(BitstreamServiceTest, Upload_Complete_PresentWithSize) {
  const std::string bytes = test_bitstream(4500);
  v1::UploadBitstreamResponse response;
  ASSERT_TRUE(
      upload(upload_messages(sha256_of(bytes), bytes.size(), bytes), &response)
          .ok());
  EXPECT_EQ(response.sha256(), sha256_of(bytes));
  EXPECT_EQ(response.bytes_received(), 4500u);
  grpc::ServerContext context;
  v1::HasBitstreamRequest request;
  request.set_sha256(sha256_of(bytes));
  v1::HasBitstreamResponse has_response;
  ASSERT_TRUE(service_.HasBitstream(&context, &request, &has_response).ok());
  EXPECT_TRUE(has_response.present());
  EXPECT_EQ(has_response.size(), 4500u);
}

TEST_F(BitstreamServiceTest, Upload_Truncated_InvalidArgumentAbsent) {
  const std::string bytes = test_bitstream(4500);
  const grpc::Status status =
      upload(upload_messages(sha256_of(bytes), 5000, bytes));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "upload of " + sha256_of(bytes) +
                                        " ended after 4500 of 5000 bytes");
  EXPECT_FALSE(has(sha256_of(bytes)));
  EXPECT_EQ(files_in_cache(), 0u);
}

TEST_F(BitstreamServiceTest, Upload_Corrupted_InvalidArgumentAbsent) {
  const std::string bytes = test_bitstream(4500);
  const std::string other = test_bitstream(4500, 'z');
  const grpc::Status status =
      upload(upload_messages(sha256_of(bytes), bytes.size(), other));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("sha256 mismatch: got " + sha256_of(other)));
  EXPECT_FALSE(has(sha256_of(bytes)));
  EXPECT_EQ(files_in_cache(), 0u);
}

TEST_F(BitstreamServiceTest, Upload_Oversized_OutOfRange) {
  const grpc::Status status =
      upload({header(std::string(64, 'a'), kMaxBitstreamBytes + 1)});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(files_in_cache(), 0u);
}

TEST_F(BitstreamServiceTest, Upload_StreamBreaksMidway_NothingLeft) {
  const std::string bytes = test_bitstream(4500);
  std::vector<v1::UploadBitstreamRequest> messages =
      upload_messages(sha256_of(bytes), bytes.size(), bytes);
  messages.resize(2);  // the client went away after one chunk
  EXPECT_FALSE(upload(messages).ok());
  EXPECT_FALSE(has(sha256_of(bytes)));
  EXPECT_EQ(files_in_cache(), 0u);
}

TEST_F(BitstreamServiceTest, Upload_BadFraming_InvalidArgument) {
  EXPECT_EQ(upload({data("x")}).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(upload({}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const grpc::Status twice = upload(
      {header(std::string(64, 'a'), 10), header(std::string(64, 'a'), 10)});
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(twice.error_message(), HasSubstr("only the first message"));
  const grpc::Status path = upload({header("../../etc/passwd", 10)});
  EXPECT_EQ(path.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(files_in_cache(), 0u);
}

TEST_F(BitstreamServiceTest, Has_BadSha_InvalidArgument) {
  grpc::ServerContext context;
  v1::HasBitstreamRequest request;
  request.set_sha256("ABC");
  v1::HasBitstreamResponse response;
  EXPECT_EQ(service_.HasBitstream(&context, &request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(BitstreamServiceTest, Program_Cached_SwitchesWindowsAndState) {
  const std::string sha256 = upload_ok(test_bitstream(3000));
  v1::ProgramBitstreamRequest request;
  request.set_sha256(sha256);
  request.set_design_name("gpio_design");
  v1::DesignWindow* gpio = request.add_address_map();
  gpio->set_name("axi_gpio_0");
  gpio->set_base_address(0xA0010000);
  gpio->set_size(0x10000);
  gpio->set_ip_type("xilinx.com:ip:axi_gpio:2.0");
  v1::ProgramBitstreamResponse response;
  ASSERT_TRUE(program(request, &response).ok());
  EXPECT_EQ(response.fpga().state(), v1::FPGA_MANAGER_STATE_OPERATING);
  EXPECT_EQ(response.fpga().design_name(), "gpio_design");
  EXPECT_EQ(response.fpga().sha256(), sha256);
  EXPECT_GT(response.fpga().programmed_at_unix_ms(), 0u);
  EXPECT_EQ(sim_->read(0xA0010000 + kGpioTri, 4), 0xFFFFFFFFu);
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { sim_->read(kRegsBase, 4); });

  grpc::ServerContext context;
  v1::GetFpgaStateRequest state_request;
  v1::GetFpgaStateResponse state;
  ASSERT_TRUE(service_.GetFpgaState(&context, &state_request, &state).ok());
  EXPECT_EQ(state.fpga().sha256(), sha256);
}

TEST_F(BitstreamServiceTest, Program_NotCached_NotFound) {
  v1::ProgramBitstreamRequest request;
  request.set_sha256(std::string(64, 'b'));
  EXPECT_EQ(program(request).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(sim_->read(kRegsBase, 4), 0x4u);
}

TEST_F(BitstreamServiceTest, Program_OverlayTooLarge_OutOfRange) {
  v1::ProgramBitstreamRequest request;
  request.set_sha256(upload_ok(test_bitstream(100)));
  request.set_device_tree_overlay(
      std::string(kMaxDeviceTreeOverlayBytes + 1, '\0'));
  EXPECT_EQ(program(request).error_code(), grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(BitstreamServiceTest, Program_Loaded_NeverEvicted) {
  auto cache = std::make_shared<BitstreamCache>(
      (dir_.path() / "small").string(), 2000);
  BitstreamService service(sim_, cache);
  auto put = [&](const std::string& bytes) {
    grpc::ServerContext context;
    FakeReader<v1::UploadBitstreamRequest> reader(
        upload_messages(sha256_of(bytes), bytes.size(), bytes));
    v1::UploadBitstreamResponse response;
    return service.upload_bitstream(&context, &reader, &response);
  };
  const std::string a = test_bitstream(1000, 'a');
  ASSERT_TRUE(put(a).ok());
  grpc::ServerContext context;
  v1::ProgramBitstreamRequest request;
  request.set_sha256(sha256_of(a));
  v1::ProgramBitstreamResponse response;
  ASSERT_TRUE(service.ProgramBitstream(&context, &request, &response).ok());
  ASSERT_TRUE(put(test_bitstream(1000, 'b')).ok());
  ASSERT_TRUE(put(test_bitstream(1000, 'c')).ok());
  EXPECT_TRUE(cache->size_of(sha256_of(a)));
}

TEST_F(BitstreamServiceTest, NoCache_FailedPrecondition) {
  BitstreamService service(sim_, nullptr);
  grpc::ServerContext context;
  v1::HasBitstreamRequest request;
  request.set_sha256(std::string(64, 'a'));
  v1::HasBitstreamResponse response;
  EXPECT_EQ(service.HasBitstream(&context, &request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(DeviceServiceBitstreamTest, GetInfo_WithCache_ReportsBitstreams) {
  DeviceService device(make_test_sim(), true);
  grpc::ServerContext context;
  v1::GetInfoRequest request;
  v1::GetInfoResponse response;
  ASSERT_TRUE(device.GetInfo(&context, &request, &response).ok());
  EXPECT_THAT(response.capabilities(), Contains("bitstreams"));
  EXPECT_GT(response.fpga().programmed_at_unix_ms(), 0u);
}

}  // namespace
}  // namespace pynq_remote
