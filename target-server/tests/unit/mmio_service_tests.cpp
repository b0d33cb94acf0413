#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/limits.h"
#include "services/mmio_service.h"
#include "unit/mock_backend.h"
#include "unit/sim_fixture.h"

namespace pynq_remote {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Return;
using ::testing::StartsWith;

class MmioServiceTest : public ::testing::Test {
 protected:
  grpc::Status read(uint64_t address, v1::Width width, uint64_t* value) {
    grpc::ServerContext context;
    v1::ReadRequest request;
    request.set_address(address);
    request.set_width(width);
    v1::ReadResponse response;
    const grpc::Status status = service_.Read(&context, &request, &response);
    *value = response.value();
    return status;
  }

  grpc::Status write(uint64_t address, v1::Width width, uint64_t value) {
    grpc::ServerContext context;
    v1::WriteRequest request;
    request.set_address(address);
    request.set_width(width);
    request.set_value(value);
    v1::WriteResponse response;
    return service_.Write(&context, &request, &response);
  }

  grpc::Status read_block(uint64_t address, v1::Width width, uint64_t count,
                          std::string* data) {
    grpc::ServerContext context;
    v1::ReadBlockRequest request;
    request.set_address(address);
    request.set_width(width);
    request.set_count(count);
    v1::ReadBlockResponse response;
    const grpc::Status status =
        service_.ReadBlock(&context, &request, &response);
    *data = response.data();
    return status;
  }

  grpc::Status write_block(uint64_t address, v1::Width width,
                           const std::string& data) {
    grpc::ServerContext context;
    v1::WriteBlockRequest request;
    request.set_address(address);
    request.set_width(width);
    request.set_data(data);
    v1::WriteBlockResponse response;
    return service_.WriteBlock(&context, &request, &response);
  }

  grpc::Status batch(const v1::BatchRequest& request,
                     v1::BatchResponse* response) {
    grpc::ServerContext context;
    return service_.Batch(&context, &request, response);
  }

  uint64_t sim_value(uint64_t address) { return sim_->read(address, 4); }

  std::shared_ptr<SimBackend> sim_ = make_test_sim();
  MmioService service_{sim_};
};

v1::BatchStep read_step(uint64_t address, v1::Width width = v1::WIDTH_32) {
  v1::BatchStep step;
  step.mutable_read()->set_address(address);
  step.mutable_read()->set_width(width);
  return step;
}

v1::BatchStep write_step(uint64_t address, uint64_t value,
                         v1::Width width = v1::WIDTH_32) {
  v1::BatchStep step;
  step.mutable_write()->set_address(address);
  step.mutable_write()->set_width(width);
  step.mutable_write()->set_value(value);
  return step;
}

v1::BatchStep modify_step(uint64_t address, uint64_t mask, uint64_t value) {
  v1::BatchStep step;
  step.mutable_modify()->set_address(address);
  step.mutable_modify()->set_width(v1::WIDTH_32);
  step.mutable_modify()->set_mask(mask);
  step.mutable_modify()->set_value(value);
  return step;
}

v1::BatchStep poll_step(uint64_t address, uint64_t mask, uint64_t expected,
                        uint32_t timeout_ms, uint32_t interval_us = 0) {
  v1::BatchStep step;
  v1::PollStep* poll = step.mutable_poll();
  poll->set_address(address);
  poll->set_width(v1::WIDTH_32);
  poll->set_mask(mask);
  poll->set_expected(expected);
  poll->set_timeout_ms(timeout_ms);
  poll->set_interval_us(interval_us);
  return step;
}

v1::BatchRequest batch_of(std::initializer_list<v1::BatchStep> steps) {
  v1::BatchRequest request;
  for (const v1::BatchStep& step : steps) *request.add_steps() = step;
  return request;
}

// --- Read / Write ---------------------------------------------------------

TEST_F(MmioServiceTest, Read_InsideWindow_ReturnsResetValue) {
  uint64_t value = 0;
  ASSERT_TRUE(read(kRegsBase, v1::WIDTH_32, &value).ok());
  EXPECT_EQ(value, 0x4u);
}

TEST_F(MmioServiceTest, WriteThenRead_AllWidths_RoundTrip) {
  const struct {
    v1::Width width;
    uint64_t value;
  } cases[] = {{v1::WIDTH_8, 0xAB},
               {v1::WIDTH_16, 0xABCD},
               {v1::WIDTH_32, 0xABCDEF01},
               {v1::WIDTH_64, 0xABCDEF0123456789}};
  for (const auto& c : cases) {
    ASSERT_TRUE(write(kRamBase + 0x40, c.width, c.value).ok());
    uint64_t value = 0;
    ASSERT_TRUE(read(kRamBase + 0x40, c.width, &value).ok());
    EXPECT_EQ(value, c.value);
  }
}

TEST_F(MmioServiceTest, Read_OutsideWindows_PermissionDeniedNamingAddress) {
  uint64_t value = 0;
  const grpc::Status status = read(0xF0000000, v1::WIDTH_32, &value);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "address 0xf0000000 (4 bytes) is outside the MMIO windows");
}

TEST_F(MmioServiceTest, Read_StraddlingWindowEnd_PermissionDenied) {
  uint64_t value = 0;
  EXPECT_EQ(read(kRamBase + kRamSize - 4, v1::WIDTH_64, &value).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // unaligned for 8 bytes
  EXPECT_EQ(read(kRamBase + kRamSize, v1::WIDTH_8, &value).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(MmioServiceTest, Read_Unaligned_InvalidArgument) {
  uint64_t value = 0;
  const grpc::Status status = read(kRegsBase + 2, v1::WIDTH_32, &value);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "address 0xa0000002 is not aligned to the 4-byte access width");
}

TEST_F(MmioServiceTest, Read_UnspecifiedWidth_InvalidArgument) {
  uint64_t value = 0;
  const grpc::Status status = read(kRegsBase, v1::WIDTH_UNSPECIFIED, &value);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "width must be 8, 16, 32 or 64 bits");
}

TEST_F(MmioServiceTest, Write_ValueTooWide_InvalidArgumentNothingWritten) {
  const grpc::Status status = write(kRegsBase + 4, v1::WIDTH_16, 0x10000);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "value 0x10000 does not fit in 16 bits");
  EXPECT_EQ(sim_value(kRegsBase + 4), 0u);
}

TEST_F(MmioServiceTest, Write_OutsideWindows_PermissionDenied) {
  EXPECT_EQ(write(0x0, v1::WIDTH_32, 1).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// --- ReadBlock / WriteBlock -----------------------------------------------

TEST_F(MmioServiceTest, WriteBlockThenReadBlock_LittleEndianWords) {
  ASSERT_TRUE(write_block(kRamBase, v1::WIDTH_16,
                          std::string("\x01\x02\x03\x04\x05\x06", 6))
                  .ok());
  EXPECT_EQ(sim_->read(kRamBase, 4), 0x04030201u);
  std::string data;
  ASSERT_TRUE(read_block(kRamBase, v1::WIDTH_32, 2, &data).ok());
  EXPECT_EQ(data, std::string("\x01\x02\x03\x04\x05\x06\x00\x00", 8));
}

TEST_F(MmioServiceTest, ReadBlock_WholeWindow_Allowed) {
  std::string data;
  ASSERT_TRUE(read_block(kRamBase, v1::WIDTH_64, kRamSize / 8, &data).ok());
  EXPECT_EQ(data.size(), kRamSize);
}

TEST_F(MmioServiceTest, ReadBlock_PastWindowEnd_PermissionDeniedWithLength) {
  std::string data;
  const grpc::Status status =
      read_block(kRamBase, v1::WIDTH_32, kRamSize / 4 + 1, &data);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "address 0xa0100000 (65540 bytes) is outside the MMIO windows");
}

TEST_F(MmioServiceTest, ReadBlock_CountOverLimit_OutOfRange) {
  std::string data;
  const grpc::Status status =
      read_block(kRamBase, v1::WIDTH_8, kMaxBurstWords + 1, &data);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message(),
            "count 1048577 exceeds the limit of 1048576 words per block "
            "transfer");
}

TEST_F(MmioServiceTest, ReadBlock_ZeroCount_EmptyDataButAddressChecked) {
  std::string data = "x";
  ASSERT_TRUE(read_block(kRamBase, v1::WIDTH_32, 0, &data).ok());
  EXPECT_EQ(data, "");
  EXPECT_EQ(read_block(0x1000, v1::WIDTH_32, 0, &data).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(MmioServiceTest, WriteBlock_LengthNotMultipleOfWidth_InvalidArgument) {
  const grpc::Status status =
      write_block(kRamBase, v1::WIDTH_32, std::string(6, '\0'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "data length 6 is not a multiple of the 4-byte access width");
}

TEST_F(MmioServiceTest, WriteBlock_TooManyWords_OutOfRange) {
  const grpc::Status status =
      write_block(kRamBase, v1::WIDTH_8, std::string(kMaxBurstWords + 1, '\0'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(MmioServiceTest, WriteBlock_PastWindowEnd_NothingWritten) {
  const grpc::Status status = write_block(kRamBase + kRamSize - 8, v1::WIDTH_32,
                                          std::string(12, '\xFF'));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(sim_value(kRamBase + kRamSize - 8), 0u);
}

// --- Batch ----------------------------------------------------------------

TEST_F(MmioServiceTest, Batch_EveryStepKind_OneValuePerStep) {
  v1::BatchResponse response;
  const grpc::Status status =
      batch(batch_of({write_step(kRamBase, 0xF0F0), read_step(kRamBase),
                      modify_step(kRamBase, 0xFF, 0x0A), read_step(kRamBase),
                      poll_step(kRamBase, 0xF, 0xA, 100)}),
            &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(response.values(),
              ElementsAre(0xF0F0u, 0xF0F0u, 0xF0F0u, 0xF00Au, 0xF00Au));
}

TEST_F(MmioServiceTest, Batch_SecondStepBad_FirstStepNotRun) {
  auto mock =
      std::make_shared<MockBackend>(MmioWindows({{"regs", kRegsBase, 0x1000}}));
  MmioService service(mock);
  EXPECT_CALL(*mock, write(_, _, _)).Times(0);
  EXPECT_CALL(*mock, read(_, _)).Times(0);
  grpc::ServerContext context;
  const v1::BatchRequest request =
      batch_of({write_step(kRegsBase, 1), write_step(0xF0000000, 1)});
  v1::BatchResponse response;

  const grpc::Status status = service.Batch(&context, &request, &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "step 1: address 0xf0000000 (4 bytes) is outside the MMIO "
            "windows");
}

TEST_F(MmioServiceTest, Batch_BadStepLate_EarlierWriteNotVisible) {
  v1::BatchResponse response;
  const grpc::Status status =
      batch(batch_of({write_step(kRamBase, 0x1234), read_step(kRamBase),
                      write_step(kRamBase, 0x100, v1::WIDTH_8)}),
            &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("step 2: value 0x100"));
  EXPECT_EQ(sim_value(kRamBase), 0u);
}

TEST_F(MmioServiceTest, Batch_EmptyStep_InvalidArgument) {
  v1::BatchRequest request = batch_of({read_step(kRamBase)});
  request.add_steps();
  v1::BatchResponse response;
  const grpc::Status status = batch(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("step 1: the step is empty"));
}

TEST_F(MmioServiceTest, Batch_UnspecifiedWidthInStep_InvalidArgument) {
  v1::BatchResponse response;
  const grpc::Status status =
      batch(batch_of({read_step(kRamBase, v1::WIDTH_UNSPECIFIED)}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "step 0: width must be 8, 16, 32 or 64 bits");
}

TEST_F(MmioServiceTest, Batch_TooManySteps_OutOfRange) {
  v1::BatchRequest request;
  for (uint64_t i = 0; i <= kMaxBatchSteps; ++i) {
    *request.add_steps() = read_step(kRamBase);
  }
  v1::BatchResponse response;
  const grpc::Status status = batch(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message(),
            "batch of 65537 steps exceeds the limit of 65536 steps");
}

TEST_F(MmioServiceTest, Batch_PollTimeoutOverLimit_OutOfRange) {
  v1::BatchResponse response;
  const grpc::Status status = batch(
      batch_of({poll_step(kRamBase, 1, 1, kMaxPollTimeoutMs + 1)}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(status.error_message(),
            "step 0: poll timeout of 60001 ms exceeds the limit of 60000 ms");
}

TEST_F(MmioServiceTest, Batch_PollExpectedOutsideMask_InvalidArgument) {
  v1::BatchResponse response;
  const grpc::Status status =
      batch(batch_of({poll_step(kRamBase, 0x1, 0x2, 10)}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(MmioServiceTest, Batch_ModifyMaskTooWide_InvalidArgument) {
  v1::BatchStep step = modify_step(kRamBase, 0x1FF, 0);
  step.mutable_modify()->set_width(v1::WIDTH_8);
  v1::BatchResponse response;
  const grpc::Status status = batch(batch_of({step}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "step 0: mask 0x1ff does not fit in 8 bits");
}

TEST_F(MmioServiceTest, Batch_Modify_ChangesOnlyMaskedBitsReturnsOld) {
  sim_->write(kRegsBase + 8, 4, 0xAAAA5555);
  v1::BatchResponse response;
  ASSERT_TRUE(
      batch(batch_of({modify_step(kRegsBase + 8, 0x0000FFFF, 0x12341234)}),
            &response)
          .ok());
  EXPECT_THAT(response.values(), ElementsAre(0xAAAA5555u));
  EXPECT_EQ(sim_value(kRegsBase + 8), 0xAAAA1234u);
}

TEST_F(MmioServiceTest, Batch_ConcurrentModifies_NoLostUpdates) {
  constexpr int kThreads = 8;
  constexpr int kBitsPerThread = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int b = 0; b < kBitsPerThread; ++b) {
        const uint64_t bit = uint64_t{1} << (t * kBitsPerThread + b);
        for (int repeat = 0; repeat < 200; ++repeat) {
          const uint64_t value = repeat % 2 == 0 ? bit : 0;
          v1::BatchResponse response;
          ASSERT_TRUE(
              batch(batch_of({modify_step(kRegsBase + 0x20, bit, value)}),
                    &response)
                  .ok());
        }
        v1::BatchResponse response;
        ASSERT_TRUE(batch(batch_of({modify_step(kRegsBase + 0x20, bit, bit)}),
                          &response)
                        .ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(sim_value(kRegsBase + 0x20), 0xFFFFFFFFu);
}

TEST_F(MmioServiceTest, Batch_PollValueChangesLater_ReturnsMatchingValue) {
  auto mock =
      std::make_shared<MockBackend>(MmioWindows({{"regs", kRegsBase, 0x1000}}));
  MmioService service(mock);
  EXPECT_CALL(*mock, read(kRegsBase, 4u))
      .WillOnce(Return(0x0))
      .WillOnce(Return(0x4))
      .WillOnce(Return(0x3));
  grpc::ServerContext context;
  const v1::BatchRequest request =
      batch_of({poll_step(kRegsBase, 0x3, 0x3, 1000, 10)});
  v1::BatchResponse response;

  const grpc::Status status = service.Batch(&context, &request, &response);

  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(response.values(), ElementsAre(0x3u));
}

TEST_F(MmioServiceTest, Batch_PollNeverMatches_DeadlineExceededAfterTimeout) {
  v1::BatchResponse response;
  const auto start = std::chrono::steady_clock::now();
  const grpc::Status status =
      batch(batch_of({write_step(kRamBase, 0x5),
                      poll_step(kRamBase, 0x3, 0x3, 20, 1000)}),
            &response);
  const auto elapsed = std::chrono::steady_clock::now() - start;

  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(status.error_message(),
            "step 1: poll of 0xa0100000 timed out after 20 ms: last value "
            "0x5, waiting for (value & 0x3) == 0x3");
  EXPECT_GE(elapsed, std::chrono::milliseconds(20));
  EXPECT_EQ(sim_value(kRamBase), 0x5u);  // the step before the poll ran
}

TEST_F(MmioServiceTest, Batch_PollZeroTimeout_ReadsOnce) {
  v1::BatchResponse response;
  EXPECT_TRUE(
      batch(batch_of({poll_step(kRegsBase, 0x4, 0x4, 0)}), &response).ok());
  EXPECT_EQ(batch(batch_of({poll_step(kRegsBase, 0x1, 0x1, 0)}), &response)
                .error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace pynq_remote
