#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/buffer_pool.h"
#include "unit/expect_status.h"

namespace pynq_remote {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr uint64_t kBase = 0x60000000;
constexpr uint64_t kSize = 0x100000;  // 1 MiB
constexpr uint64_t kPage = 4096;
const std::string kAlice = "a11ce000000000000000000000000000";
const std::string kBob = "b0b00000000000000000000000000000";

struct Released {
  uint64_t address;
  uint64_t size;
};

class BufferPoolTest : public ::testing::Test {
 protected:
  BufferInfo allocate(uint64_t size, uint64_t alignment = 0,
                      const std::string& session = kAlice) {
    return pool_.allocate(session, "client " + session.substr(0, 4), size,
                          alignment, false);
  }

  std::vector<Released> released_;
  BufferPool pool_{kBase, kSize, 0, [this](uint64_t address, uint64_t size) {
                     released_.push_back({address, size});
                   }};
};

TEST_F(BufferPoolTest, Allocate_OddSizes_RoundedToPagesFirstFitFromBase) {
  const BufferInfo first = allocate(1);
  const BufferInfo second = allocate(kPage + 1);
  EXPECT_EQ(first.handle, 1u);
  EXPECT_EQ(first.address, kBase);
  EXPECT_EQ(first.size, kPage);
  EXPECT_EQ(first.session_id, kAlice);
  EXPECT_EQ(first.client_name, "client a11c");
  EXPECT_EQ(second.handle, 2u);
  EXPECT_EQ(second.address, kBase + kPage);
  EXPECT_EQ(second.size, 2 * kPage);
  EXPECT_EQ(pool_.usage().free_bytes, kSize - 3 * kPage);
}

TEST_F(BufferPoolTest, Allocate_Alignment_AddressAlignedGapStaysFree) {
  allocate(kPage);
  const BufferInfo aligned = allocate(kPage, 0x10000);
  EXPECT_EQ(aligned.address, kBase + 0x10000);
  // First fit: the gap before the aligned buffer is used next.
  EXPECT_EQ(allocate(kPage).address, kBase + kPage);
  EXPECT_EQ(pool_.usage().free_bytes, kSize - 3 * kPage);
}

TEST_F(BufferPoolTest, Allocate_BadAlignment_InvalidArgument) {
  for (const uint64_t alignment : {uint64_t{1}, uint64_t{2048}, uint64_t{4097},
                                   uint64_t{6144}, UINT64_MAX}) {
    EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                            [&] { allocate(kPage, alignment); }),
              "alignment must be a power of two of at least 4096 bytes")
        << alignment;
  }
  EXPECT_EQ(allocate(kPage, 0).address % kPage, 0u);
}

TEST_F(BufferPoolTest, Allocate_SizeZero_InvalidArgument) {
  EXPECT_EQ(
      expect_status(grpc::StatusCode::INVALID_ARGUMENT, [&] { allocate(0); }),
      "size must be greater than 0");
}

TEST_F(BufferPoolTest, Free_InAnyOrder_CoalescesIntoOneBlock) {
  const BufferInfo a = allocate(kPage);
  const BufferInfo b = allocate(kPage);
  const BufferInfo c = allocate(kPage);
  pool_.free_buffer(a.handle, kAlice);
  pool_.free_buffer(c.handle, kAlice);
  EXPECT_EQ(pool_.usage().largest_free_block, kSize - 2 * kPage);
  pool_.free_buffer(b.handle, kAlice);
  EXPECT_EQ(pool_.usage().free_bytes, kSize);
  EXPECT_EQ(pool_.usage().largest_free_block, kSize);
  // The whole pool is one block again.
  EXPECT_EQ(allocate(kSize).address, kBase);
}

TEST_F(BufferPoolTest, Free_CallsReleaseWithTheRange) {
  const BufferInfo buffer = allocate(3 * kPage);
  pool_.free_buffer(buffer.handle, kAlice);
  ASSERT_EQ(released_.size(), 1u);
  EXPECT_EQ(released_[0].address, buffer.address);
  EXPECT_EQ(released_[0].size, 3 * kPage);
}

TEST_F(BufferPoolTest, Allocate_PoolFull_ResourceExhaustedWithNumbers) {
  allocate(kSize - kPage);
  EXPECT_EQ(expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          [&] { allocate(2 * kPage); }),
            "cannot allocate 8192 bytes: 4096 of 1048576 bytes free in the "
            "buffer pool (largest free block 4096)");
  EXPECT_EQ(allocate(kPage).address, kBase + kSize - kPage);
}

TEST_F(BufferPoolTest, Allocate_FragmentedPool_ExhaustedNamesLargestBlock) {
  std::vector<BufferInfo> buffers;
  for (uint64_t i = 0; i < kSize / kPage; ++i) buffers.push_back(allocate(1));
  for (size_t i = 0; i < buffers.size(); i += 2) {
    pool_.free_buffer(buffers[i].handle, kAlice);
  }
  EXPECT_EQ(expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          [&] { allocate(2 * kPage); }),
            "cannot allocate 8192 bytes: 524288 of 1048576 bytes free in the "
            "buffer pool (largest free block 4096)");
}

TEST_F(BufferPoolTest, Allocate_HugeValues_ExhaustedWithoutWrapping) {
  for (const uint64_t size :
       {UINT64_MAX, UINT64_MAX - kPage + 2, uint64_t{1} << 63, kSize + 1}) {
    const std::string message = expect_status(
        grpc::StatusCode::RESOURCE_EXHAUSTED, [&] { allocate(size); });
    EXPECT_EQ(message, "cannot allocate " + std::to_string(size) +
                           " bytes: 1048576 of 1048576 bytes free in the "
                           "buffer pool (largest free block 1048576)");
  }
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                [&] { allocate(kPage, uint64_t{1} << 63); });
  EXPECT_EQ(pool_.usage().free_bytes, kSize);
}

TEST(BufferPoolTests, PoolEndingAtTopOfAddressSpace_NothingWraps) {
  const uint64_t base = UINT64_MAX - 0xFFFF;  // the last 64 KiB
  BufferPool pool(base, 0x10000, 0);
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED, [&] {
    pool.allocate(kAlice, "c", kPage, uint64_t{1} << 63, false);
  });
  const BufferInfo all = pool.allocate(kAlice, "c", 0x10000, 0x10000, false);
  EXPECT_EQ(all.address, base);
  pool.free_buffer(all.handle, kAlice);
  EXPECT_EQ(pool.usage().largest_free_block, 0x10000u);
}

TEST_F(BufferPoolTest, SessionLimit_OverLimit_ResourceExhaustedOthersFine) {
  BufferPool pool(kBase, kSize, 2 * kPage);
  pool.allocate(kAlice, "alice", kPage, 0, false);
  EXPECT_EQ(expect_status(
                grpc::StatusCode::RESOURCE_EXHAUSTED,
                [&] { pool.allocate(kAlice, "alice", 2 * kPage, 0, false); }),
            "session 'a11ce000\u2026' would hold 12288 bytes, over its limit "
            "of 8192 bytes");
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED, [&] {
    pool.allocate(kAlice, "alice", UINT64_MAX - 1, 0, false);
  });
  EXPECT_EQ(pool.allocate(kBob, "bob", 2 * kPage, 0, false).size, 2 * kPage);
  EXPECT_EQ(pool.allocate(kAlice, "alice", kPage, 0, false).size, kPage);
  EXPECT_EQ(pool.usage().session_limit, 2 * kPage);
}

TEST(BufferPoolTests, SessionLimit_ZeroOrAbovePool_MeansWholePool) {
  EXPECT_EQ(BufferPool(kBase, kSize, 0).usage().session_limit, kSize);
  EXPECT_EQ(BufferPool(kBase, kSize, 4 * kSize).usage().session_limit, kSize);
}

TEST_F(BufferPoolTest, OtherSession_NotFoundWithoutSayingWhoOwnsIt) {
  const BufferInfo buffer = allocate(kPage, 0, kAlice);
  EXPECT_EQ(expect_status(grpc::StatusCode::NOT_FOUND,
                          [&] { pool_.pin(buffer.handle, kBob); }),
            "no buffer 1 in this session");
  EXPECT_EQ(expect_status(grpc::StatusCode::NOT_FOUND,
                          [&] { pool_.free_buffer(buffer.handle, kBob); }),
            "no buffer 1 in this session");
  EXPECT_EQ(expect_status(grpc::StatusCode::NOT_FOUND,
                          [&] { pool_.pin(99, kAlice); }),
            "no buffer 99 in this session");
  EXPECT_EQ(pool_.list().size(), 1u);
}

TEST_F(BufferPoolTest, ForceFree_AnyOwner_FreedThenNotFound) {
  const BufferInfo buffer = allocate(kPage, 0, kAlice);
  EXPECT_EQ(pool_.force_free_buffer(buffer.handle).session_id, kAlice);
  EXPECT_THAT(pool_.list(), IsEmpty());
  EXPECT_EQ(expect_status(grpc::StatusCode::NOT_FOUND,
                          [&] { pool_.force_free_buffer(buffer.handle); }),
            "no buffer 1");
}

TEST_F(BufferPoolTest, FreeSession_FreesOnlyItsBuffers) {
  allocate(kPage, 0, kAlice);
  const BufferInfo bobs = allocate(2 * kPage, 0, kBob);
  allocate(3 * kPage, 0, kAlice);
  const FreedBuffers freed = pool_.free_session(kAlice);
  EXPECT_EQ(freed.count, 2u);
  EXPECT_EQ(freed.bytes, 4 * kPage);
  ASSERT_EQ(pool_.list().size(), 1u);
  EXPECT_EQ(pool_.list()[0].handle, bobs.handle);
  EXPECT_EQ(pool_.usage().free_bytes, kSize - 2 * kPage);
  EXPECT_EQ(pool_.free_session(kAlice).count, 0u);
}

TEST_F(BufferPoolTest, List_SortedByHandle) {
  allocate(kPage, 0, kBob);
  allocate(kPage, 0, kAlice);
  allocate(kPage, 0, kBob);
  std::vector<uint64_t> handles;
  for (const BufferInfo& buffer : pool_.list())
    handles.push_back(buffer.handle);
  EXPECT_THAT(handles, ElementsAre(1, 2, 3));
}

TEST_F(BufferPoolTest, Pin_BufferFreedWhilePinned_RangeHeldUntilUnpinned) {
  const BufferInfo buffer = allocate(kSize);
  std::optional<BufferPin> pin(pool_.pin(buffer.handle, kAlice));
  pool_.free_buffer(buffer.handle, kAlice);
  EXPECT_THAT(pool_.list(), IsEmpty());
  EXPECT_THAT(released_, IsEmpty());
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED, [&] { allocate(kPage); });
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { pool_.pin(buffer.handle, kAlice); });

  BufferPin moved(std::move(*pin));
  pin.reset();  // the moved-from pin holds nothing
  EXPECT_THAT(released_, IsEmpty());
  { BufferPin last = std::move(moved); }
  ASSERT_EQ(released_.size(), 1u);
  EXPECT_EQ(pool_.usage().free_bytes, kSize);
  EXPECT_EQ(allocate(kPage).address, kBase);
}

TEST_F(BufferPoolTest, Pin_Released_BufferStaysAllocated) {
  const BufferInfo buffer = allocate(kPage);
  { BufferPin pin = pool_.pin(buffer.handle, kAlice); }
  EXPECT_EQ(pool_.list().size(), 1u);
  EXPECT_THAT(released_, IsEmpty());
}

TEST(BufferPoolTests, Constructor_BadRange_InvalidArgument) {
  EXPECT_THROW(BufferPool(kBase, 0, 0), std::invalid_argument);
  EXPECT_THROW(BufferPool(kBase + 1, kSize, 0), std::invalid_argument);
  EXPECT_THROW(BufferPool(kBase, kSize + 1, 0), std::invalid_argument);
  EXPECT_THROW(BufferPool(UINT64_MAX - kPage + 1, 2 * kPage, 0),
               std::invalid_argument);
}

}  // namespace
}  // namespace pynq_remote
