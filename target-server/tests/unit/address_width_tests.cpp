// What a 32-bit build (armhf) changes: physical addresses above 4 GiB
// through the mem device, sizes beyond the process's address space, and
// 8-byte MMIO made of 4-byte accesses. Each test also runs on 64-bit builds;
// scripts/cross-test.sh runs them under qemu-arm.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "backends/linux_backend.h"
#include "backends/mmio_access.h"
#include "backends/sim_memory.h"
#include "core/board_config.h"
#include "core/unique_fd.h"
#include "unit/expect_status.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// Above 4 GiB: ZynqMP's high PL aperture (M_AXI_HPM0_FPD).
constexpr uint64_t kHighBase = 0x400000000;

// A sparse regular file stands in for /dev/mem (file offset = physical
// address), reaching past 4 GiB.
class HighAddressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mem_path_ = dir_.write("mem", "");
    mem_ = UniqueFd(::open(mem_path_.c_str(), O_RDWR));
    ASSERT_TRUE(mem_.valid());
    ASSERT_EQ(::ftruncate(mem_.get(), static_cast<off_t>(kHighBase + 0x100000)),
              0);
    options_.mem_device = mem_path_;
    options_.paths.device_tree = (dir_.path() / "device-tree").string();
    options_.paths.fpga_manager_state = (dir_.path() / "fpga-state").string();
  }

  void use_config(const std::string& text) {
    config::BoardConfig config;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config));
    options_.config = config;
  }

  uint64_t file_word(uint64_t offset) {
    uint32_t word = 0;
    EXPECT_EQ(::pread(mem_.get(), &word, 4, static_cast<off_t>(offset)), 4);
    return word;
  }

  void put_file_word(uint64_t offset, uint32_t word) {
    ASSERT_EQ(::pwrite(mem_.get(), &word, 4, static_cast<off_t>(offset)), 4);
  }

  TempDir dir_;
  std::string mem_path_;
  UniqueFd mem_;
  LinuxBackendOptions options_;
};

TEST_F(HighAddressTest, MmioAbove4GiB_ReachesThatOffsetNotItsLow32Bits) {
  use_config("windows { name: 'high' base_address: 0x400000000 size: 0x10000 }");
  LinuxBackend backend(options_);
  put_file_word(kHighBase + 0x20, 0x600DF00D);
  put_file_word(0x20, 0xBADBAD00);  // where a 32-bit offset would land

  EXPECT_EQ(backend.read(kHighBase + 0x20, 4), 0x600DF00Du);
  backend.write(kHighBase + 0x40, 4, 0x12345678);
  EXPECT_EQ(file_word(kHighBase + 0x40), 0x12345678u);
  EXPECT_EQ(file_word(0x40), 0u);
}

TEST_F(HighAddressTest, BlockAcrossChunksAbove4GiB_EveryWordLands) {
  use_config("windows { name: 'high' base_address: 0x400000000 size: 0x40000 }");
  LinuxBackend backend(options_);
  const uint64_t start = kHighBase + PhysicalMemory::kChunkBytes - 8;
  const std::vector<uint8_t> data = {1, 2, 3, 4, 5, 6, 7, 8,
                                     9, 10, 11, 12, 13, 14, 15, 16};
  backend.write_block(start, 4, 4, data.data());
  EXPECT_EQ(file_word(start), 0x04030201u);
  EXPECT_EQ(file_word(start + 12), 0x100F0E0Du);
}

TEST_F(HighAddressTest, CarveoutAbove4GiB_BuffersAtThoseAddresses) {
  use_config(
      "windows { name: 'pl' base_address: 0xA0000000 size: 0x10000 } "
      "buffer_pool { base_address: 0x400010000 size: 0x20000 }");
  LinuxBackend backend(options_);
  BufferMemory* memory = backend.buffer_memory();
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->base(), 0x400010000u);
  const uint8_t bytes[] = {0xEF, 0xBE, 0xAD, 0xDE};
  memory->write(0x400011000, bytes, sizeof(bytes));
  EXPECT_EQ(file_word(0x400011000), 0xDEADBEEFu);
  EXPECT_EQ(file_word(0x11000), 0u);
}

// 4 GiB and a page: more than a 32-bit process can map, so a 32-bit server
// refuses it at start instead of mapping its size cut to 32 bits (4 KiB).
constexpr uint64_t kBeyond32Bits = 0x100001000;

TEST_F(HighAddressTest, CarveoutBeyondAddressSpace_RefusedOn32BitMappedOn64) {
  options_.carveout = AddressRange{kHighBase, kBeyond32Bits};
  use_config("windows { name: 'pl' base_address: 0xA0000000 size: 0x10000 }");
  if (sizeof(size_t) < 8) {
    try {
      LinuxBackend backend(options_);
      FAIL() << "no error";
    } catch (const std::runtime_error& error) {
      EXPECT_STREQ(error.what(),
                   "a carve-out of 4294971392 bytes does not fit in this "
                   "process");
    }
  } else {
    LinuxBackend backend(options_);
    ASSERT_NE(backend.buffer_memory(), nullptr);
    EXPECT_EQ(backend.buffer_memory()->size(), kBeyond32Bits);
  }
}

TEST(SimMemoryTest, PoolBeyondAddressSpace_RefusedOn32BitReservedOn64) {
  if (sizeof(size_t) < 8) {
    try {
      SimMemory memory(0x60000000, kBeyond32Bits);
      FAIL() << "no error";
    } catch (const std::runtime_error& error) {
      EXPECT_STREQ(error.what(),
                   "the sim buffer pool of 4294971392 bytes does not fit in "
                   "this process");
    }
  } else {
    SimMemory memory(0x60000000, kBeyond32Bits);
    uint8_t byte = 0x5A;
    memory.write(0x60000000 + kBeyond32Bits - 1, &byte, 1);
    byte = 0;
    memory.read(0x60000000 + kBeyond32Bits - 1, &byte, 1);
    EXPECT_EQ(byte, 0x5A);
  }
}

// -- 8-byte MMIO ------------------------------------------------------------

TEST(MmioAccessTest, WordBytes_PointerWidth) {
  EXPECT_EQ(kMmioWordBytes, sizeof(void*));
}

TEST(MmioAccessTest, SplitLoad64_LowWordThenHighWord) {
  alignas(8) uint8_t registers[8] = {};
  std::vector<std::pair<long, uint32_t>> reads;  // offset, value returned
  const uint64_t value = split_load64(registers, [&](volatile uint8_t* p) {
    const uint32_t word = reads.empty() ? 0x89ABCDEF : 0x01234567;
    reads.emplace_back(p - registers, word);
    return word;
  });
  EXPECT_THAT(reads, ElementsAre(Pair(0, 0x89ABCDEFu), Pair(4, 0x01234567u)));
  EXPECT_EQ(value, 0x0123456789ABCDEFu);
}

TEST(MmioAccessTest, SplitStore64_LowWordThenHighWord) {
  alignas(8) uint8_t registers[8] = {};
  std::vector<std::pair<long, uint32_t>> writes;
  split_store64(registers, 0x0123456789ABCDEF,
                [&](volatile uint8_t* p, uint32_t word) {
                  writes.emplace_back(p - registers, word);
                });
  EXPECT_THAT(writes,
              ElementsAre(Pair(0, 0x89ABCDEFu), Pair(4, 0x01234567u)));
}

TEST(MmioAccessTest, EightBytes_LittleEndianInMemory) {
  alignas(8) uint8_t registers[16] = {};
  mmio_store(registers + 8, 8, 0x0123456789ABCDEF);
  EXPECT_EQ(registers[8], 0xEF);
  EXPECT_EQ(registers[11], 0x89);
  EXPECT_EQ(registers[12], 0x67);
  EXPECT_EQ(registers[15], 0x01);
  EXPECT_EQ(mmio_load(registers + 8, 8), 0x0123456789ABCDEFu);
  EXPECT_EQ(mmio_load(registers + 12, 4), 0x01234567u);
}

TEST(MmioAccessTest, OtherWidth_InternalError) {
  alignas(8) uint8_t registers[8] = {};
  EXPECT_EQ(expect_status(grpc::StatusCode::INTERNAL,
                          [&] { mmio_load(registers, 3); }),
            "unsupported access width of 3 bytes");
  EXPECT_EQ(expect_status(grpc::StatusCode::INTERNAL,
                          [&] { mmio_store(registers, 16, 0); }),
            "unsupported access width of 16 bytes");
}

}  // namespace
}  // namespace pynq_remote
