#include <fcntl.h>
#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "backends/linux_backend.h"
#include "core/board_config.h"
#include "core/unique_fd.h"
#include "unit/expect_status.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;

constexpr uint64_t kBase = 0xA0000000;

// Device-tree string lists: each string ends in NUL.
std::string dt_strings(std::initializer_list<std::string> strings) {
  std::string text;
  for (const std::string& s : strings) text += s + '\0';
  return text;
}

// A sparse regular file stands in for /dev/mem: file offset = physical
// address.
class LinuxBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mem_path_ = dir_.write("mem", "");
    mem_ = UniqueFd(::open(mem_path_.c_str(), O_RDWR));
    ASSERT_TRUE(mem_.valid());
    ASSERT_EQ(::ftruncate(mem_.get(), 0xC0000000), 0);
    options_.mem_device = mem_path_;
    options_.paths.device_tree = (dir_.path() / "device-tree").string();
    options_.paths.fpga_manager_state = (dir_.path() / "fpga-state").string();
  }

  LinuxBackend backend_with_windows() {
    config::BoardConfig config;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        "board: 'test-board' platform: 'zynqmp' "
        "windows { name: 'pl' base_address: 0xA0000000 size: 0x20000 } "
        "windows { name: 'small' base_address: 0xA0030000 size: 0x10 }",
        &config));
    options_.config = config;
    return LinuxBackend(options_);
  }

  uint64_t file_word(uint64_t offset, unsigned bytes) {
    uint8_t buffer[8] = {};
    EXPECT_EQ(::pread(mem_.get(), buffer, bytes, static_cast<off_t>(offset)),
              static_cast<ssize_t>(bytes));
    uint64_t value = 0;
    for (unsigned i = 0; i < bytes; ++i)
      value |= uint64_t{buffer[i]} << (8 * i);
    return value;
  }

  void put_file_word(uint64_t offset, unsigned bytes, uint64_t value) {
    uint8_t buffer[8];
    for (unsigned i = 0; i < bytes; ++i) buffer[i] = uint8_t(value >> (8 * i));
    ASSERT_EQ(::pwrite(mem_.get(), buffer, bytes, static_cast<off_t>(offset)),
              static_cast<ssize_t>(bytes));
  }

  TempDir dir_;
  std::string mem_path_;
  UniqueFd mem_;
  LinuxBackendOptions options_;
};

TEST_F(LinuxBackendTest, Write_AllWidths_LandAtPhysicalOffset) {
  LinuxBackend backend = backend_with_windows();
  backend.write(kBase + 0x10, 4, 0xDEADBEEF);
  backend.write(kBase + 0x21, 1, 0x5A);
  backend.write(kBase + 0x32, 2, 0xBEEF);
  backend.write(kBase + 0x48, 8, 0x0123456789ABCDEF);
  EXPECT_EQ(file_word(kBase + 0x10, 4), 0xDEADBEEFu);
  EXPECT_EQ(file_word(kBase + 0x20, 4), 0x5A00u);
  EXPECT_EQ(file_word(kBase + 0x32, 2), 0xBEEFu);
  EXPECT_EQ(file_word(kBase + 0x48, 8), 0x0123456789ABCDEFu);
}

TEST_F(LinuxBackendTest, Read_AllWidths_ReturnWhatFileHolds) {
  LinuxBackend backend = backend_with_windows();
  put_file_word(kBase + 0x1000, 8, 0x8877665544332211);
  EXPECT_EQ(backend.read(kBase + 0x1000, 8), 0x8877665544332211u);
  EXPECT_EQ(backend.read(kBase + 0x1004, 4), 0x88776655u);
  EXPECT_EQ(backend.read(kBase + 0x1002, 2), 0x4433u);
  EXPECT_EQ(backend.read(kBase + 0x1001, 1), 0x22u);
}

TEST_F(LinuxBackendTest, WriteBlock_CrossingChunkBoundary_AllWordsLand) {
  LinuxBackend backend = backend_with_windows();
  const uint64_t start = kBase + PhysicalMemory::kChunkBytes - 16;
  std::vector<uint8_t> data(32);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i + 1);
  backend.write_block(start, 4, 8, data.data());
  for (unsigned i = 0; i < 8; ++i) {
    EXPECT_EQ(file_word(start + 4 * i, 4), uint64_t{data[4 * i]} |
                                               uint64_t{data[4 * i + 1]} << 8 |
                                               uint64_t{data[4 * i + 2]} << 16 |
                                               uint64_t{data[4 * i + 3]} << 24)
        << "word " << i;
  }
}

TEST_F(LinuxBackendTest, ReadBlock_CrossingChunkBoundary_ReadsEveryWord) {
  LinuxBackend backend = backend_with_windows();
  const uint64_t start = kBase + PhysicalMemory::kChunkBytes - 24;
  for (unsigned i = 0; i < 6; ++i) {
    put_file_word(start + 8 * i, 8, 0x1111111111111111 * (i + 1));
  }
  std::vector<uint8_t> out(48);
  backend.read_block(start, 8, 6, out.data());
  for (unsigned i = 0; i < 6; ++i) {
    uint64_t word = 0;
    for (unsigned b = 0; b < 8; ++b)
      word |= uint64_t{out[8 * i + b]} << (8 * b);
    EXPECT_EQ(word, 0x1111111111111111 * (i + 1)) << "word " << i;
  }
}

TEST_F(LinuxBackendTest, AccessOutsideWindows_PermissionDeniedNothingWritten) {
  LinuxBackend backend = backend_with_windows();
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { backend.write(kBase + 0x20000, 4, 0xFFFFFFFF); });
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { backend.write(0xA0030010, 4, 0xFFFFFFFF); });
  const std::vector<uint8_t> data(32, 0xFF);
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { backend.write_block(0xA0030008, 4, 4, data.data()); });
  EXPECT_EQ(file_word(kBase + 0x20000, 4), 0u);
  EXPECT_EQ(file_word(0xA0030008, 8), 0u);
  EXPECT_EQ(file_word(0xA0030010, 4), 0u);
}

TEST_F(LinuxBackendTest, SmallWindow_AccessAtItsEnd_Works) {
  LinuxBackend backend = backend_with_windows();
  backend.write(0xA003000C, 4, 0x12345678);
  EXPECT_EQ(file_word(0xA003000C, 4), 0x12345678u);
  EXPECT_EQ(backend.read(0xA003000C, 4), 0x12345678u);
}

TEST_F(LinuxBackendTest, Config_NamesAndWindows_ReportedAsGiven) {
  LinuxBackend backend = backend_with_windows();
  EXPECT_EQ(backend.description().board, "test-board");
  EXPECT_EQ(backend.description().platform, "zynqmp");
  EXPECT_EQ(backend.description().backend, "linux");
  ASSERT_EQ(backend.windows()->list().size(), 2u);
  EXPECT_EQ(backend.windows()->list()[0].name, "pl");
}

TEST_F(LinuxBackendTest, MissingMemDevice_ErrorNamesDevice) {
  options_.mem_device = (dir_.path() / "no-such-mem").string();
  try {
    LinuxBackend backend(options_);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot open " + options_.mem_device));
  }
}

TEST_F(LinuxBackendTest, AutoPlatform_ZynqMpCompatible_BuiltInWindows) {
  dir_.write("device-tree/compatible",
             dt_strings({"xlnx,zynqmp-zcu104-revC", "xlnx,zynqmp-zcu104",
                         "xlnx,zynqmp"}));
  dir_.write("device-tree/model", dt_strings({"ZynqMP ZCU104 RevC"}));
  LinuxBackend backend(options_);
  EXPECT_EQ(backend.description().platform, "zynqmp");
  EXPECT_EQ(backend.description().board, "ZynqMP ZCU104 RevC");
  EXPECT_NE(backend.windows()->find(0x80000000, 4), nullptr);
  EXPECT_NE(backend.windows()->find(0xBFFFFFFC, 4), nullptr);
  EXPECT_EQ(backend.windows()->find(0x7FFFFFFC, 4), nullptr);
  EXPECT_EQ(backend.windows()->find(0xC0000000, 4), nullptr);
}

TEST_F(LinuxBackendTest, AutoPlatform_Zynq7000Compatible_BuiltInWindows) {
  dir_.write("device-tree/compatible",
             dt_strings({"tul,pynq-z2", "xlnx,zynq-7000"}));
  dir_.write("device-tree/chosen/pynq_board", dt_strings({"Pynq-Z2"}));
  dir_.write("device-tree/model", dt_strings({"Zynq Pynq-Z2"}));
  LinuxBackend backend(options_);
  EXPECT_EQ(backend.description().platform, "zynq");
  EXPECT_EQ(backend.description().board, "Pynq-Z2");
  EXPECT_NE(backend.windows()->find(0x40000000, 4), nullptr);
  EXPECT_NE(backend.windows()->find(0xBFFFFFFC, 4), nullptr);
  EXPECT_EQ(backend.windows()->find(0x3FFFFFFC, 4), nullptr);
}

TEST_F(LinuxBackendTest, AutoPlatform_QemuVirt_VirtioMmioWindow) {
  dir_.write("device-tree/compatible", dt_strings({"linux,dummy-virt"}));
  dir_.write("device-tree/model", dt_strings({"linux,dummy-virt"}));
  LinuxBackend backend(options_);
  EXPECT_EQ(backend.description().platform, "qemu-virt");
  EXPECT_EQ(backend.description().board, "QEMU virt");
  EXPECT_NE(backend.windows()->find(0x0a000000, 4), nullptr);
  EXPECT_NE(backend.windows()->find(0x0a003ffc, 4), nullptr);
  EXPECT_EQ(backend.windows()->find(0x0a004000, 4), nullptr);
  EXPECT_EQ(backend.windows()->find(0x09fffffc, 4), nullptr);
}

TEST_F(LinuxBackendTest, AutoPlatform_UnknownCompatible_NoWindows) {
  dir_.write("device-tree/compatible", dt_strings({"acme,unknown-board"}));
  LinuxBackend backend(options_);
  EXPECT_EQ(backend.description().platform, "unknown");
  EXPECT_EQ(backend.description().board, "unknown");
  EXPECT_TRUE(backend.windows()->list().empty());
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { backend.read(0xA0000000, 4); });
}

TEST_F(LinuxBackendTest, ExplicitPlatform_OverridesDeviceTree) {
  dir_.write("device-tree/compatible", dt_strings({"xlnx,zynqmp"}));
  options_.platform = "zynq";
  LinuxBackend backend(options_);
  EXPECT_EQ(backend.description().platform, "zynq");
  EXPECT_NE(backend.windows()->find(0x40000000, 4), nullptr);
}

TEST_F(LinuxBackendTest, FpgaState_FromSysfsFile) {
  LinuxBackend backend(options_);
  EXPECT_EQ(backend.fpga_state().state, FpgaState::kUnknown);
  EXPECT_EQ(backend.fpga_state().manager_state, "");

  const struct {
    const char* text;
    FpgaState state;
  } cases[] = {{"operating\n", FpgaState::kOperating},
               {"unknown\n", FpgaState::kUnknown},
               {"write init\n", FpgaState::kProgramming},
               {"write\n", FpgaState::kProgramming},
               {"power off\n", FpgaState::kUnprogrammed},
               {"write error\n", FpgaState::kUnprogrammed},
               {"something new\n", FpgaState::kUnknown}};
  for (const auto& c : cases) {
    dir_.write("fpga-state", c.text);
    const FpgaStatus status = backend.fpga_state();
    EXPECT_EQ(status.state, c.state) << c.text;
    EXPECT_EQ(status.manager_state + "\n", c.text);
    EXPECT_EQ(status.design_name, "");
  }
}

TEST_F(LinuxBackendTest, NoBufferPool_NoBufferMemory) {
  LinuxBackend backend = backend_with_windows();
  EXPECT_EQ(backend.buffer_memory(), nullptr);
}

TEST_F(LinuxBackendTest, ConfigBufferPool_CarveoutAtPhysicalAddresses) {
  config::BoardConfig config;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      "buffer_pool { base_address: 0x60000000 size: 0x100000 }", &config));
  options_.config = config;
  LinuxBackend backend(options_);
  BufferMemory* memory = backend.buffer_memory();
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->provider(), "carveout");
  EXPECT_EQ(memory->base(), 0x60000000u);
  EXPECT_EQ(memory->size(), 0x100000u);
  const uint8_t bytes[] = {0xDE, 0xAD, 0xBE, 0xEF, 0x01};
  memory->write(0x60000FFE, bytes, sizeof(bytes));
  EXPECT_EQ(file_word(0x60000FFE, 4), 0xEFBEADDEu);
  EXPECT_EQ(file_word(0x60001002, 1), 0x01u);
}

TEST_F(LinuxBackendTest, CarveoutOption_ReplacesConfigBufferPool) {
  config::BoardConfig config;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      "buffer_pool { base_address: 0x60000000 size: 0x100000 }", &config));
  options_.config = config;
  options_.carveout = AddressRange{0x70000000, 0x2000};
  LinuxBackend backend(options_);
  ASSERT_NE(backend.buffer_memory(), nullptr);
  EXPECT_EQ(backend.buffer_memory()->base(), 0x70000000u);
  EXPECT_EQ(backend.buffer_memory()->size(), 0x2000u);
}

TEST_F(LinuxBackendTest, CarveoutOverlapsWindow_ConfigError) {
  options_.platform = "zynqmp";  // PL apertures 0x80000000-0xBFFFFFFF
  options_.carveout = AddressRange{0x7FFFF000, 0x2000};
  try {
    LinuxBackend backend(options_);
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr("--carveout: overlaps window"));
  }
}

TEST_F(LinuxBackendTest, Zynq7000_ReferenceClockFromPs7Clkc) {
  dir_.write("device-tree/compatible", dt_strings({"xlnx,zynq-7000"}));
  dir_.write("device-tree/axi/slcr@f8000000/clkc@100/compatible",
             dt_strings({"xlnx,ps7-clkc"}));
  dir_.write("device-tree/axi/slcr@f8000000/clkc@100/ps-clk-frequency",
             std::string("\x01\xfc\xa0\x55", 4));  // 33333333
  LinuxBackend backend(options_);
  ASSERT_NE(backend.pl_clocks(), nullptr);
  EXPECT_NEAR(backend.pl_clocks()->reference_mhz(), 33.333333, 1e-6);
}

TEST_F(LinuxBackendTest, ZynqMp_ReferenceClockFromPssRefClk) {
  dir_.write("device-tree/compatible", dt_strings({"xlnx,zynqmp"}));
  dir_.write("device-tree/pss_ref_clk/clock-frequency",
             std::string("\x01\x9b\xfc\xc0", 4));  // 27000000
  LinuxBackend backend(options_);
  ASSERT_NE(backend.pl_clocks(), nullptr);
  EXPECT_DOUBLE_EQ(backend.pl_clocks()->reference_mhz(), 27.0);
}

TEST_F(LinuxBackendTest, NoReferenceClockInDeviceTree_PynqDefault) {
  dir_.write("device-tree/compatible", dt_strings({"xlnx,zynq-7000"}));
  LinuxBackend backend(options_);
  ASSERT_NE(backend.pl_clocks(), nullptr);
  EXPECT_DOUBLE_EQ(backend.pl_clocks()->reference_mhz(), 50.0);
}

TEST(IomemClaimants, OverlappingEntries_OutermostFirstEachOnce) {
  const std::string iomem =
      "00000000-0fffffff : System RAM\n"
      "  00008000-007fffff : Kernel code\n"
      "40000000-40000fff : 40000000.sram\n"
      "e000a000-e000afff : e000a000.gpio\n"
      "e000b000-e000bfff : e000b000.ethernet\n"
      "  e000b000-e000bfff : e000b000.ethernet\n";
  EXPECT_THAT(iomem_claimants(iomem, 0x40000000, 0x4000FFFF),
              ::testing::ElementsAre("40000000.sram"));
  EXPECT_THAT(iomem_claimants(iomem, 0xE000A000, 0xE000BFFF),
              ::testing::ElementsAre("e000a000.gpio", "e000b000.ethernet"));
  EXPECT_THAT(iomem_claimants(iomem, 0x43C00000, 0x43C0FFFF),
              ::testing::IsEmpty());
  EXPECT_THAT(iomem_claimants("garbage\n - : \n", 0, 0xFFFFFFFF),
              ::testing::IsEmpty());
}

}  // namespace
}  // namespace pynq_remote
