#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "backends/sim_axi_gpio.h"
#include "backends/sim_backend.h"
#include "core/board_config.h"
#include "unit/expect_status.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::shared_ptr<SimBackend> shipped_sim() {
  return load_sim_backend(std::string(PYNQ_REMOTE_SOURCE_CONFIG_DIR) +
                          "/sim-board.textproto");
}

// Builds a sim backend from `text` in a file; returns the ConfigError
// message, or "" when it loads.
std::string sim_error(const std::string& text) {
  TempDir dir;
  const std::string path = dir.write("bad-sim.textproto", text);
  try {
    load_sim_backend(path);
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), StartsWith(path + ": "));
    return error.what();
  }
  return "";
}

TEST(SimBackendTests, ShippedConfig_Description_FromConfig) {
  auto sim = shipped_sim();
  EXPECT_EQ(sim->description().board, "sim");
  EXPECT_EQ(sim->description().platform, "sim");
  EXPECT_EQ(sim->description().backend, "sim");
  const FpgaStatus fpga = sim->fpga_state();
  EXPECT_EQ(fpga.state, FpgaState::kOperating);
  EXPECT_EQ(fpga.manager_state, "operating");
  EXPECT_EQ(fpga.design_name, "sim_base");
  EXPECT_EQ(sim->windows()->list().size(), 6u);
  ASSERT_NE(sim->buffer_memory(), nullptr);
  EXPECT_EQ(sim->buffer_memory()->base(), 0x60000000u);
  EXPECT_EQ(sim->buffer_memory()->size(), 0x20000000u);
  EXPECT_EQ(sim->buffer_memory()->provider(), "sim");
}

TEST(SimBackendTests, ShippedConfig_ResetValues_AsDocumented) {
  auto sim = shipped_sim();
  EXPECT_EQ(sim->read(0xA0000000 + kGpioTri, 4), 0u);      // LEDs: outputs
  EXPECT_EQ(sim->read(0xA0000000 + kGpio2Data, 4), 0x5u);  // buttons
  EXPECT_EQ(sim->read(0xA0010000 + kGpioData, 4), 0xA5u);  // all inputs
  EXPECT_EQ(sim->read(0xA0010000 + kGpioTri, 4), 0xFFu);
  EXPECT_EQ(sim->read(0xA0020000, 4), 0x4u);  // ap_idle
  EXPECT_EQ(sim->read(0xA0100000 + 0x100, 8), 0u);
}

TEST(SimBackendTests, WriteThenRead_RoutedToTheRightWindow) {
  auto sim = shipped_sim();
  sim->write(0xA0000000, 4, 0xF);
  sim->write(0xA0100008, 8, 0x1122334455667788);
  EXPECT_EQ(sim->read(0xA0000000, 4), 0xFu);
  EXPECT_EQ(sim->read(0xA010000C, 4), 0x11223344u);
  EXPECT_EQ(sim->read(0xA0020000, 4), 0x4u);
}

TEST(SimBackendTests, BlockTransfer_DefaultLoop_LittleEndian) {
  auto sim = shipped_sim();
  const std::vector<uint8_t> in = {1, 2, 3, 4, 5, 6, 7, 8};
  sim->write_block(0xA0100000, 2, 4, in.data());
  EXPECT_EQ(sim->read(0xA0100000, 8), 0x0807060504030201u);
  std::vector<uint8_t> out(8);
  sim->read_block(0xA0100000, 4, 2, out.data());
  EXPECT_EQ(out, in);
}

TEST(SimBackendTests, AccessOutsideWindows_PermissionDenied) {
  auto sim = shipped_sim();
  const std::string message = expect_status(grpc::StatusCode::PERMISSION_DENIED,
                                            [&] { sim->read(0xA0050000, 4); });
  EXPECT_THAT(message, HasSubstr("0xa0050000"));
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { sim->write(0xA0110000, 1, 0); });
}

TEST(SimBackendTests, BadModels_RejectedNamingFileAndWindow) {
  EXPECT_THAT(
      sim_error("windows { name: 'w' base_address: 0x1000 size: 0x1000 }"),
      HasSubstr("window 'w': no model"));
  EXPECT_THAT(
      sim_error("windows { name: 'w' base_address: 0x1000 size: 0x1000 "
                "registers { reset_values { offset: 0x2 value: 1 } } }"),
      HasSubstr("window 'w': register offset 0x2 is not 4-byte aligned"));
  EXPECT_THAT(
      sim_error("windows { name: 'w' base_address: 0x1000 size: 0x1000 "
                "registers { reset_values { offset: 0x1000 value: 1 } } }"),
      HasSubstr("register offset 0x1000 is outside the window"));
  EXPECT_THAT(
      sim_error("windows { name: 'g' base_address: 0x1000 size: 0x1000 "
                "axi_gpio { channel1 { width: 33 } } }"),
      HasSubstr("window 'g': axi_gpio channel1 width 33 must be 1 to 32 pins"));
  EXPECT_THAT(sim_error("windows { name: 'g' base_address: 0x1000 size: 0x1000 "
                        "axi_gpio { } }"),
              HasSubstr("channel1 width 0"));
  EXPECT_THAT(
      sim_error("windows { name: 'g' base_address: 0x1000 size: 0x1000 "
                "axi_gpio { channel1 { width: 1 } channel2 { width: 0 } } }"),
      HasSubstr("channel2 width 0"));
  EXPECT_THAT(sim_error("windows { name: 'g' base_address: 0x1000 size: 0x1000 "
                        "axi_gpio { channel1 { width: 1 all_inputs: true "
                        "all_outputs: true } } }"),
              HasSubstr("cannot be all_inputs and all_outputs"));
  EXPECT_THAT(sim_error("windows { name: 'r' base_address: 0x1000 size: 0x1000 "
                        "ram { fill_byte: 256 } }"),
              HasSubstr("fill_byte 0x100 does not fit in a byte"));
}

TEST(SimBackendTests, BadWindows_RejectedNamingFile) {
  EXPECT_THAT(sim_error("windows { name: 'a' base_address: 0x1000 size: 0x2000 "
                        "ram {} } "
                        "windows { name: 'b' base_address: 0x2000 size: 0x1000 "
                        "ram {} }"),
              HasSubstr("windows 'a' and 'b' overlap"));
  EXPECT_THAT(sim_error("windows { name: 'a' base_address: 0x1000 ram {} }"),
              HasSubstr("size must be greater than 0"));
}

TEST(SimBackendTests, AxiDma_WithoutBufferPoolOrBadWidth_Rejected) {
  EXPECT_THAT(sim_error("windows { name: 'dma' base_address: 0x1000 "
                        "size: 0x1000 axi_dma { length_width: 14 } }"),
              HasSubstr("window 'dma': axi_dma needs a buffer_pool in the "
                        "board config"));
  const std::string pool =
      "buffer_pool { base_address: 0x60000000 size: 0x100000 } ";
  EXPECT_THAT(sim_error(pool + "windows { name: 'dma' base_address: 0x1000 "
                               "size: 0x1000 axi_dma { length_width: 27 } }"),
              HasSubstr("window 'dma': axi_dma length_width 27 must be 8 to "
                        "26 bits"));
  EXPECT_THAT(sim_error(pool + "windows { name: 'dma' base_address: 0x1000 "
                               "size: 0x1000 axi_dma { } }"),
              HasSubstr("length_width 0"));
  EXPECT_EQ(sim_error(pool + "windows { name: 'dma' base_address: 0x1000 "
                             "size: 0x1000 axi_dma { length_width: 8 } }"),
            "");
}

TEST(SimBackendTests, ShippedConfig_DmaLoopback_ThroughRegisterWrites) {
  auto sim = shipped_sim();
  BufferMemory& memory = *sim->buffer_memory();
  const std::vector<uint8_t> data = {1, 2, 3, 4, 5, 6, 7, 8};
  memory.write(0x60000000, data.data(), data.size());
  const uint64_t dma = 0xA0030000;
  sim->write(dma + 0x00, 4, 1);  // MM2S RS
  sim->write(dma + 0x30, 4, 1);  // S2MM RS
  sim->write(dma + 0x48, 4, 0x60001000);
  sim->write(dma + 0x58, 4, 8);
  sim->write(dma + 0x18, 4, 0x60000000);
  sim->write(dma + 0x28, 4, 8);
  EXPECT_EQ(sim->read(dma + 0x34, 4), 0x1002u);
  std::vector<uint8_t> out(8);
  memory.read(0x60001000, out.data(), out.size());
  EXPECT_EQ(out, data);
}

}  // namespace
}  // namespace pynq_remote
