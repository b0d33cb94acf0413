#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "backends/sim_axi_gpio.h"
#include "backends/sim_models.h"

namespace pynq_remote {
namespace {

std::unique_ptr<WindowModel> model_from(const std::string& text) {
  config::Window window;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      "name: 'w' base_address: 0xA0000000 size: 0x10000 " + text, &window));
  return make_window_model(window);
}

// --- AXI GPIO -------------------------------------------------------------

TEST(SimModelsTests, AxiGpio_Reset_TriDefaultsToAllInputsMaskedToWidth) {
  auto gpio = model_from("axi_gpio { channel1 { width: 8 } }");
  EXPECT_EQ(gpio->read(kGpioTri, 4), 0xFFu);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0u);
}

TEST(SimModelsTests, AxiGpio_ResetValues_ComeFromDoutAndTriDefaults) {
  auto gpio = model_from(
      "axi_gpio { channel1 { width: 8 dout_default: 0x1A5 tri_default: 0xF0 "
      "input_pins: 0x30 } }");
  EXPECT_EQ(gpio->read(kGpioTri, 4), 0xF0u);
  // Low nibble outputs 0x5 (dout masked to 8 bits), high nibble reads pins.
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x35u);
}

TEST(SimModelsTests, AxiGpio_MixedDirections_DataMergesPinsAndOutputs) {
  auto gpio = model_from("axi_gpio { channel1 { width: 8 input_pins: 0xA5 } }");
  EXPECT_EQ(gpio->read(kGpioData, 4), 0xA5u);  // all inputs after reset
  gpio->write(kGpioData, 4, 0x3C);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0xA5u);  // output register hidden
  gpio->write(kGpioTri, 4, 0x0F);              // low nibble: inputs
  EXPECT_EQ(gpio->read(kGpioTri, 4), 0x0Fu);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x35u);  // 0x30 output | 0x05 pins
  gpio->write(kGpioTri, 4, 0);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x3Cu);
}

TEST(SimModelsTests, AxiGpio_BitsAboveWidth_ReadZeroAndIgnoreWrites) {
  auto gpio = model_from(
      "axi_gpio { channel1 { width: 4 tri_default: 0 input_pins: 0xFF } }");
  gpio->write(kGpioData, 4, 0xFFFFFFFF);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0xFu);
  gpio->write(kGpioTri, 4, 0xFFFFFFF0);
  EXPECT_EQ(gpio->read(kGpioTri, 4), 0u);
  gpio->write(kGpioTri, 4, 0xFFFFFFFF);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0xFu);  // pins 0xFF masked to 4 bits
}

TEST(SimModelsTests, AxiGpio_Width32_AllBitsUsable) {
  auto gpio =
      model_from("axi_gpio { channel1 { width: 32 all_outputs: true } }");
  gpio->write(kGpioData, 4, 0xDEADBEEF);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0xDEADBEEFu);
}

TEST(SimModelsTests, AxiGpio_AllOutputs_TriReadsZeroAndIgnoresWrites) {
  auto gpio = model_from(
      "axi_gpio { channel1 { width: 4 all_outputs: true dout_default: 0x3 "
      "tri_default: 0xF input_pins: 0xC } }");
  EXPECT_EQ(gpio->read(kGpioTri, 4), 0u);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x3u);
  gpio->write(kGpioTri, 4, 0xF);
  EXPECT_EQ(gpio->read(kGpioTri, 4), 0u);
  gpio->write(kGpioData, 4, 0xA);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0xAu);
}

TEST(SimModelsTests, AxiGpio_AllInputs_DataReadsPinsAndIgnoresWrites) {
  auto gpio = model_from(
      "axi_gpio { channel1 { width: 4 all_inputs: true input_pins: 0x5 } }");
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x5u);
  gpio->write(kGpioTri, 4, 0);
  gpio->write(kGpioData, 4, 0xA);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x5u);
}

TEST(SimModelsTests, AxiGpio_SingleChannel_Channel2ReadsZero) {
  auto gpio = model_from("axi_gpio { channel1 { width: 8 input_pins: 1 } }");
  gpio->write(kGpio2Tri, 4, 0);
  gpio->write(kGpio2Data, 4, 0xFF);
  EXPECT_EQ(gpio->read(kGpio2Data, 4), 0u);
  EXPECT_EQ(gpio->read(kGpio2Tri, 4), 0u);
}

TEST(SimModelsTests, AxiGpio_DualChannel_ChannelsIndependent) {
  auto gpio = model_from(
      "axi_gpio { channel1 { width: 4 all_outputs: true } "
      "channel2 { width: 4 all_inputs: true input_pins: 0x5 } }");
  gpio->write(kGpioData, 4, 0x9);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x9u);
  EXPECT_EQ(gpio->read(kGpio2Data, 4), 0x5u);
  EXPECT_EQ(gpio->read(kGpio2Tri, 4), 0xFu);
}

TEST(SimModelsTests, AxiGpio_InterruptRegisters_KeepTheirBitsIsrTogglesOnWrite) {
  auto gpio = model_from("axi_gpio { channel1 { width: 1 } }");
  gpio->write(kGpioGier, 4, 0xFFFFFFFF);
  gpio->write(kGpioIpIer, 4, 0xFF);
  EXPECT_EQ(gpio->read(kGpioGier, 4), 0x80000000u);
  EXPECT_EQ(gpio->read(kGpioIpIer, 4), 0x3u);
  gpio->write(kGpioIpIsr, 4, 0x3);
  EXPECT_EQ(gpio->read(kGpioIpIsr, 4), 0x3u);
  gpio->write(kGpioIpIsr, 4, 0x1);
  EXPECT_EQ(gpio->read(kGpioIpIsr, 4), 0x2u);
}

TEST(SimModelsTests, AxiGpio_UnknownOffset_ReadsZeroIgnoresWrites) {
  auto gpio = model_from("axi_gpio { channel1 { width: 8 } }");
  gpio->write(0x10, 4, 0x1234);
  EXPECT_EQ(gpio->read(0x10, 4), 0u);
  EXPECT_EQ(gpio->read(0xFFFC, 4), 0u);
}

TEST(SimModelsTests, AxiGpio_ByteLaneWrite_ChangesOnlyThatLane) {
  auto gpio = model_from(
      "axi_gpio { channel1 { width: 32 all_outputs: true "
      "dout_default: 0x11223344 } }");
  gpio->write(kGpioData + 1, 1, 0xAB);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x1122AB44u);
  gpio->write(kGpioData + 2, 2, 0xCDEF);
  EXPECT_EQ(gpio->read(kGpioData, 4), 0xCDEFAB44u);
  EXPECT_EQ(gpio->read(kGpioData + 3, 1), 0xCDu);
  EXPECT_EQ(gpio->read(kGpioData, 2), 0xAB44u);
}

TEST(SimModelsTests, AxiGpio_64BitAccess_TwoRegistersLowFirst) {
  auto gpio = model_from(
      "axi_gpio { channel1 { width: 32 tri_default: 0 } "
      "channel2 { width: 32 tri_default: 0 } }");
  gpio->write(kGpioData, 8, 0x0000000F12345678);  // DATA then TRI
  // The low four pins are now inputs and read the (low) pins.
  EXPECT_EQ(gpio->read(kGpioData, 4), 0x12345670u);
  EXPECT_EQ(gpio->read(kGpioTri, 4), 0xFu);
  gpio->write(kGpio2Data, 4, 0xCAFE);
  EXPECT_EQ(gpio->read(kGpio2Data, 8), 0xCAFEu);  // TRI2 = 0 in high half
}

// --- registers and RAM ----------------------------------------------------

TEST(SimModelsTests, Registers_Reset_ListedValuesOthersZero) {
  auto regs = model_from(
      "registers { reset_values { offset: 0x0 value: 0x4 } "
      "reset_values { offset: 0x10 value: 0xFFFF0000 } }");
  EXPECT_EQ(regs->read(0x0, 4), 0x4u);
  EXPECT_EQ(regs->read(0x10, 4), 0xFFFF0000u);
  EXPECT_EQ(regs->read(0x14, 4), 0u);
  EXPECT_EQ(regs->read(0x12, 2), 0xFFFFu);
}

TEST(SimModelsTests, Registers_WriteThenRead_AllWidths) {
  auto regs = model_from("registers {}");
  regs->write(0x100, 4, 0xA5A5A5A5);
  EXPECT_EQ(regs->read(0x100, 4), 0xA5A5A5A5u);
  regs->write(0x101, 1, 0x00);
  EXPECT_EQ(regs->read(0x100, 4), 0xA5A500A5u);
  regs->write(0x200, 8, 0x0123456789ABCDEF);
  EXPECT_EQ(regs->read(0x200, 4), 0x89ABCDEFu);
  EXPECT_EQ(regs->read(0x204, 4), 0x01234567u);
  EXPECT_EQ(regs->read(0x200, 8), 0x0123456789ABCDEFu);
  EXPECT_EQ(regs->read(0x206, 2), 0x0123u);
}

TEST(SimModelsTests, Ram_Reset_FilledWithFillByte) {
  auto ram = model_from("ram { fill_byte: 0xA5 }");
  EXPECT_EQ(ram->read(0, 1), 0xA5u);
  EXPECT_EQ(ram->read(0xFFF8, 8), 0xA5A5A5A5A5A5A5A5u);
}

TEST(SimModelsTests, Ram_MixedWidths_LittleEndianBytes) {
  auto ram = model_from("ram {}");
  ram->write(0x10, 4, 0x11223344);
  EXPECT_EQ(ram->read(0x10, 1), 0x44u);
  EXPECT_EQ(ram->read(0x13, 1), 0x11u);
  EXPECT_EQ(ram->read(0x12, 2), 0x1122u);
  ram->write(0x11, 1, 0xFF);
  EXPECT_EQ(ram->read(0x10, 8), 0x1122FF44u);
  ram->write(0xFFF8, 8, UINT64_MAX);
  EXPECT_EQ(ram->read(0xFFFE, 2), 0xFFFFu);
}

}  // namespace
}  // namespace pynq_remote
