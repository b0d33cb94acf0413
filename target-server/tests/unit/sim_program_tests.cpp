// Programming the sim: the design's address map replaces the windows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "backends/sim_axi_dma.h"
#include "backends/sim_axi_gpio.h"
#include "backends/sim_backend.h"
#include "core/limits.h"
#include "unit/expect_status.h"
#include "unit/sim_fixture.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;

constexpr uint64_t kGpioBase = 0xA0010000;
constexpr uint64_t kRegsBase2 = 0xA0020000;

ProgramRequest gpio_design() {
  ProgramRequest request;
  request.sha256 = std::string(64, 'a');
  request.design_name = "gpio_design";
  request.windows = {
      {"axi_gpio_0", kGpioBase, 0x10000, "xilinx.com:ip:axi_gpio:2.0"},
      {"my_ip_0", kRegsBase2, 0x1000, "user.org:user:my_ip:1.0"}};
  return request;
}

TEST(SimProgramTest, Program_NewMap_OldAddressRefusedNewOneAnswers) {
  auto sim = make_test_sim();
  EXPECT_EQ(sim->read(kRegsBase, 4), 0x4u);
  sim->program(gpio_design());
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { sim->read(kRegsBase, 4); });
  sim->write(kRegsBase2 + 8, 4, 0x1234);
  EXPECT_EQ(sim->read(kRegsBase2 + 8, 4), 0x1234u);
  ASSERT_EQ(sim->windows()->list().size(), 2u);
  EXPECT_EQ(sim->windows()->list()[0].name, "axi_gpio_0");
}

TEST(SimProgramTest, Program_AxiGpioInMap_BehavesLikeAxiGpio) {
  auto sim = make_test_sim();
  sim->program(gpio_design());
  // All inputs after reset: TRI reads all ones, DATA reads the (zero) pins.
  EXPECT_EQ(sim->read(kGpioBase + kGpioTri, 4), 0xFFFFFFFFu);
  sim->write(kGpioBase + kGpioTri, 4, 0);
  sim->write(kGpioBase + kGpioData, 4, 0xA5);
  EXPECT_EQ(sim->read(kGpioBase + kGpioData, 4), 0xA5u);
  // Channel 2 is absent on this single-channel IP.
  EXPECT_EQ(sim->read(kGpioBase + kGpio2Tri, 4), 0u);
}

DesignWindow gpio_window(std::map<std::string, std::string> parameters) {
  return DesignWindow{"leds", kGpioBase, 0x10000, "xilinx.com:ip:axi_gpio:2.0",
                      std::move(parameters)};
}

TEST(SimProgramTest, Program_AllOutputsGpio_KeepsWritesAndTriReadsZero) {
  auto sim = make_test_sim();
  ProgramRequest request;
  request.windows = {gpio_window({{"C_GPIO_WIDTH", "4"},
                                  {"C_ALL_OUTPUTS", "1"},
                                  {"C_DOUT_DEFAULT", "0x00000005"}})};
  sim->program(request);
  EXPECT_EQ(sim->read(kGpioBase + kGpioData, 4), 0x5u);
  sim->write(kGpioBase + kGpioData, 4, 0xFA);
  sim->write(kGpioBase + kGpioTri, 4, 0xF);
  EXPECT_EQ(sim->read(kGpioBase + kGpioData, 4), 0xAu);
  EXPECT_EQ(sim->read(kGpioBase + kGpioTri, 4), 0x0u);
}

TEST(SimProgramTest, Program_DualGpio_Channel2FromItsParameters) {
  auto sim = make_test_sim();
  ProgramRequest request;
  request.windows = {gpio_window({{"C_IS_DUAL", "1"},
                                  {"C_GPIO_WIDTH", "2"},
                                  {"C_ALL_INPUTS", "1"},
                                  {"C_GPIO2_WIDTH", "8"},
                                  {"C_TRI_DEFAULT_2", "0x0000000F"}})};
  sim->program(request);
  sim->set_simulated_axi_gpio_input("leds", 1, 0xFF);
  sim->set_simulated_axi_gpio_input("leds", 2, 0xFF);
  sim->write(kGpioBase + kGpio2Data, 4, 0x00);
  EXPECT_EQ(sim->read(kGpioBase + kGpioData, 4), 0x3u);
  EXPECT_EQ(sim->read(kGpioBase + kGpio2Tri, 4), 0xFu);
  // Pins 0-3 of channel 2 are inputs (driven high), 4-7 outputs (0).
  EXPECT_EQ(sim->read(kGpioBase + kGpio2Data, 4), 0xFu);
}

TEST(SimProgramTest, Program_BadGpioParameter_InvalidArgumentNamingIt) {
  auto sim = make_test_sim();
  ProgramRequest request;
  request.windows = {gpio_window({{"C_GPIO_WIDTH", "-1"}})};
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [&] { sim->program(request); }),
            "design window 'leds': parameter C_GPIO_WIDTH = '-1' is not a "
            "32-bit number");
  request.windows = {gpio_window({{"C_GPIO_WIDTH", "0"}})};
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [&] { sim->program(request); }),
            "design window 'leds': axi_gpio channel1 width 0 must be 1 to 32 "
            "pins");
  std::map<std::string, std::string> many;
  for (int i = 0; i <= 64; ++i) many["C_" + std::to_string(i)] = "0";
  request.windows = {gpio_window(many)};
  EXPECT_THAT(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                            [&] { sim->program(request); }),
              HasSubstr("has 65 parameters, more than the limit of 64"));
  EXPECT_EQ(sim->read(kRegsBase, 4), 0x4u);  // the old design stays
}

TEST(SimProgramTest, Program_DmaLengthWidth_FromItsParameter) {
  auto sim = make_test_sim_with_pool();
  ProgramRequest request;
  request.windows = {{"axi_dma_0", 0xA0040000, 0x10000,
                      "xilinx.com:ip:axi_dma:7.1",
                      {{"c_sg_length_width", "8"}}}};
  sim->program(request);
  sim->write(0xA0040000 + kDmaControl, 4, kDmaRunStop);
  sim->write(0xA0040000 + kDmaLength, 4, 256);  // above 2^8 - 1
  EXPECT_EQ(sim->read(0xA0040000 + kDmaStatus, 4) & kDmaIntErr, kDmaIntErr);
}

TEST(SimProgramTest, Program_AxiDmaInMap_ResetsLikeAxiDma) {
  auto sim = make_test_sim_with_pool();
  ProgramRequest request;
  request.windows = {
      {"axi_dma_0", 0xA0040000, 0x10000, "xilinx.com:ip:axi_dma:7.1"}};
  sim->program(request);
  // MM2S_DMASR: Halted after reset.
  EXPECT_EQ(sim->read(0xA0040000 + 0x4, 4) & 1u, 1u);
}

TEST(SimProgramTest, Program_AxiDmaWithoutPool_InvalidArgument) {
  auto sim = make_test_sim();
  ProgramRequest request;
  request.windows = {
      {"axi_dma_0", 0xA0040000, 0x10000, "xilinx.com:ip:axi_dma:7.1"}};
  const std::string message = expect_status(
      grpc::StatusCode::INVALID_ARGUMENT, [&] { sim->program(request); });
  EXPECT_THAT(message, HasSubstr("axi_dma_0"));
  EXPECT_EQ(sim->read(kRegsBase, 4), 0x4u);  // the old design stays
}

TEST(SimProgramTest, Program_State_ReportsDesignAndSha) {
  auto sim = make_test_sim();
  EXPECT_EQ(sim->fpga_state().design_name, "test_design");
  ProgramRequest request = gpio_design();
  request.partial = true;
  const FpgaStatus status = sim->program(request);
  EXPECT_EQ(status.state, FpgaState::kOperating);
  EXPECT_EQ(status.design_name, "gpio_design");
  EXPECT_EQ(status.sha256, std::string(64, 'a'));
  EXPECT_TRUE(status.partial);
  EXPECT_GT(status.programmed_at_unix_ms, 0u);
  EXPECT_EQ(sim->fpga_state().design_name, "gpio_design");
}

std::string program_error(std::vector<DesignWindow> windows) {
  auto sim = make_test_sim();
  ProgramRequest request;
  request.windows = std::move(windows);
  return expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                       [&] { sim->program(request); });
}

TEST(SimProgramTest, Program_BadWindows_InvalidArgumentNamingWindow) {
  EXPECT_THAT(program_error({{"odd", 0xA0000100, 0x1000, ""}}),
              HasSubstr("design window 'odd' (0xa0000100, 4096 bytes) is not "
                        "aligned to 4 KiB pages"));
  EXPECT_THAT(program_error({{"empty", 0xA0000000, 0, ""}}),
              HasSubstr("'empty'"));
  EXPECT_THAT(program_error({{"top", 0xFFFFFFFFFFFFF000, 0x2000, ""}}),
              HasSubstr("wraps"));
  EXPECT_THAT(program_error({{"a", 0xA0000000, 0x2000, ""},
                             {"b", 0xA0001000, 0x1000, ""}}),
              HasSubstr("design window 'b' (0xa0001000, 4096 bytes) overlaps "
                        "'a'"));
  std::vector<DesignWindow> many;
  for (uint64_t i = 0; i <= kMaxDesignWindows; ++i) {
    many.push_back({"w", 0xA0000000 + i * 0x1000, 0x1000, ""});
  }
  EXPECT_THAT(program_error(many), HasSubstr("exceeds the limit of 1024"));
}

TEST(SimProgramTest, Program_WindowOverPool_InvalidArgument) {
  auto sim = make_test_sim_with_pool();
  ProgramRequest request;
  request.windows = {{"ddr", kPoolBase, 0x1000, ""}};
  expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                [&] { sim->program(request); });
}

TEST(SimProgramTest, Program_DuringMmio_NoCrash) {
  auto sim = make_test_sim();
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> answered{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        for (uint64_t address : {kRegsBase, kRegsBase2, kGpioBase}) {
          try {
            sim->write(address + 8, 4, 7);
            sim->read(address + 8, 4);
            ++answered;
          } catch (const StatusError& error) {
            EXPECT_EQ(error.code(), grpc::StatusCode::PERMISSION_DENIED);
          }
        }
      }
    });
  }
  ProgramRequest back;
  back.windows = {{"regs", kRegsBase, 0x1000, ""}};
  // At least 200 programs, and on until the readers have overlapped them
  // (threads may start late on a loaded machine), within a bound.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (int i = 0; i < 200 || (answered < 1000 &&
                              std::chrono::steady_clock::now() < deadline);
       ++i) {
    sim->program(i % 2 ? back : gpio_design());
  }
  stop = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_GT(answered.load(), 0u);
}

}  // namespace
}  // namespace pynq_remote
