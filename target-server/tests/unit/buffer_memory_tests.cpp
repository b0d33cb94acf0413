#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/carveout_memory.h"
#include "backends/sim_memory.h"
#include "core/unique_fd.h"
#include "unit/expect_status.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::Each;
using ::testing::HasSubstr;

constexpr uint64_t kBase = 0x60000000;
constexpr uint64_t kSize = 0x100000;

std::vector<uint8_t> pattern(size_t size, uint8_t seed) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(seed + i);
  return bytes;
}

std::vector<uint8_t> read_back(BufferMemory& memory, uint64_t address,
                               size_t size) {
  std::vector<uint8_t> bytes(size);
  memory.read(address, bytes.data(), size);
  return bytes;
}

// --- SimMemory -------------------------------------------------------------

TEST(BufferMemoryTests, SimMemory_WriteThenRead_RoundTripUntouchedIsZero) {
  SimMemory memory(kBase, kSize);
  const std::vector<uint8_t> data = pattern(5000, 7);
  memory.write(kBase + 3, data.data(), data.size());
  EXPECT_EQ(read_back(memory, kBase + 3, data.size()), data);
  EXPECT_THAT(read_back(memory, kBase + kSize - 4096, 4096), Each(0));
  EXPECT_EQ(memory.provider(), "sim");
  EXPECT_FALSE(memory.cacheable());
}

TEST(BufferMemoryTests, SimMemory_Contains_ExactBoundsNoWrap) {
  SimMemory memory(kBase, kSize);
  EXPECT_TRUE(memory.contains(kBase, kSize));
  EXPECT_TRUE(memory.contains(kBase + kSize, 0));
  EXPECT_FALSE(memory.contains(kBase - 1, 1));
  EXPECT_FALSE(memory.contains(kBase + kSize - 1, 2));
  EXPECT_FALSE(memory.contains(kBase + 1, UINT64_MAX));
  EXPECT_FALSE(memory.contains(UINT64_MAX, 2));
}

TEST(BufferMemoryTests, SimMemory_AccessOutside_InternalNothingTouched) {
  SimMemory memory(kBase, kSize);
  uint8_t byte = 0;
  EXPECT_THAT(expect_status(grpc::StatusCode::INTERNAL,
                            [&] { memory.read(kBase + kSize, &byte, 1); }),
              HasSubstr("outside the buffer memory"));
  expect_status(grpc::StatusCode::INTERNAL,
                [&] { memory.write(kBase - 4096, &byte, 4097); });
}

TEST(BufferMemoryTests, SimMemory_Release_RangeReadsZeroNeighboursKept) {
  SimMemory memory(kBase, kSize);
  const std::vector<uint8_t> data = pattern(3 * 4096, 1);
  memory.write(kBase, data.data(), data.size());
  memory.release(kBase + 4096, 4096);
  EXPECT_THAT(read_back(memory, kBase + 4096, 4096), Each(0));
  EXPECT_EQ(read_back(memory, kBase, 4096),
            std::vector<uint8_t>(data.begin(), data.begin() + 4096));
  EXPECT_EQ(read_back(memory, kBase + 8192, 4096),
            std::vector<uint8_t>(data.begin() + 8192, data.end()));
}

TEST(BufferMemoryTests, SimMemory_HalfGiB_CostsOnlyWhatIsWritten) {
  // Would take seconds and half a gigabyte if the pool were touched whole.
  SimMemory memory(kBase, uint64_t{512} << 20);
  const uint8_t byte = 0x5A;
  memory.write(kBase + (uint64_t{511} << 20), &byte, 1);
  EXPECT_EQ(read_back(memory, kBase + (uint64_t{511} << 20), 1)[0], 0x5A);
  memory.release(kBase, uint64_t{512} << 20);
  EXPECT_EQ(read_back(memory, kBase + (uint64_t{511} << 20), 1)[0], 0);
}

// --- CarveoutMemory --------------------------------------------------------

// A sparse regular file stands in for /dev/mem: file offset = physical
// address.
class CarveoutMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.write("mem", "");
    fd_ = UniqueFd(::open(path_.c_str(), O_RDWR));
    ASSERT_TRUE(fd_.valid());
    ASSERT_EQ(::ftruncate(fd_.get(), kBase + kSize), 0);
  }

  std::vector<uint8_t> file_bytes(uint64_t offset, size_t size) {
    std::vector<uint8_t> bytes(size);
    EXPECT_EQ(
        ::pread(fd_.get(), bytes.data(), size, static_cast<off_t>(offset)),
        static_cast<ssize_t>(size));
    return bytes;
  }

  TempDir dir_;
  std::string path_;
  UniqueFd fd_;
};

TEST_F(CarveoutMemoryTest, Write_UnalignedEnds_LandAtPhysicalAddress) {
  CarveoutMemory memory(path_, kBase, kSize);
  const std::vector<uint8_t> data = pattern(4099, 3);
  memory.write(kBase + 0x1001, data.data(), data.size());
  EXPECT_EQ(file_bytes(kBase + 0x1001, data.size()), data);
  EXPECT_THAT(file_bytes(kBase + 0x1000, 1), Each(0));
  EXPECT_THAT(file_bytes(kBase + 0x1001 + data.size(), 7), Each(0));
}

TEST_F(CarveoutMemoryTest, Read_ReturnsWhatTheFileHolds) {
  CarveoutMemory memory(path_, kBase, kSize);
  const std::vector<uint8_t> data = pattern(333, 9);
  ASSERT_EQ(::pwrite(fd_.get(), data.data(), data.size(),
                     static_cast<off_t>(kBase + kSize - 333)),
            333);
  EXPECT_EQ(read_back(memory, kBase + kSize - 333, 333), data);
  EXPECT_EQ(read_back(memory, kBase + kSize - 330, 5),
            std::vector<uint8_t>(data.begin() + 3, data.begin() + 8));
}

TEST_F(CarveoutMemoryTest, Describes_UncachedCarveoutAndSyncKeepsBytes) {
  CarveoutMemory memory(path_, kBase, kSize);
  EXPECT_EQ(memory.provider(), "carveout");
  EXPECT_FALSE(memory.cacheable());
  const uint8_t byte = 0x77;
  memory.write(kBase, &byte, 1);
  memory.sync(kBase, kSize, SyncDirection::kToDevice);
  memory.sync(kBase, kSize, SyncDirection::kFromDevice);
  EXPECT_EQ(file_bytes(kBase, 1)[0], 0x77);
}

TEST_F(CarveoutMemoryTest, Release_ZeroesOnlyTheFreedRange) {
  CarveoutMemory memory(path_, kBase, kSize);
  const std::vector<uint8_t> data = pattern(3 * 4096, 5);
  memory.write(kBase, data.data(), data.size());
  memory.release(kBase + 4096, 4096);
  EXPECT_EQ(read_back(memory, kBase + 4096, 4096),
            std::vector<uint8_t>(4096, 0));
  EXPECT_EQ(read_back(memory, kBase, 4096),
            std::vector<uint8_t>(data.begin(), data.begin() + 4096));
  EXPECT_EQ(read_back(memory, kBase + 8192, 4096),
            std::vector<uint8_t>(data.begin() + 8192, data.end()));
}

TEST_F(CarveoutMemoryTest, MissingDevice_ErrorNamesDevice) {
  const std::string missing = (dir_.path() / "no-mem").string();
  try {
    CarveoutMemory memory(missing, kBase, kSize);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot open " + missing));
  }
}

}  // namespace
}  // namespace pynq_remote
