// The sim's interrupt path: AXI GPIO (PG144) -> AXI INTC (PG099) -> GIC line.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "backends/sim_axi_gpio.h"
#include "backends/sim_axi_intc.h"
#include "backends/sim_backend.h"
#include "unit/expect_status.h"

namespace pynq_remote {
namespace {

constexpr uint64_t kGpio = 0xA0000000;
constexpr uint64_t kIntc = 0xA0040000;
constexpr uint32_t kLine = 121;

AxiIntcModel intc(const std::string& text) {
  config::AxiIntc config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config));
  return AxiIntcModel(config);
}

TEST(SimInterruptTests, AxiIntc_LevelInput_LatchesAgainWhenAcknowledgedWhileHigh) {
  AxiIntcModel model = intc("inputs: 2 kind_of_intr: 0");
  model.set_input(0, true);
  EXPECT_EQ(model.read(kIntcIsr, 4), 0x1u);
  EXPECT_FALSE(model.irq_output());  // IER and MER are 0
  model.write(kIntcMer, 4, 0x3);
  model.write(kIntcSie, 4, 0x1);
  EXPECT_TRUE(model.irq_output());
  EXPECT_EQ(model.read(kIntcIpr, 4), 0x1u);
  EXPECT_EQ(model.read(kIntcIvr, 4), 0u);
  model.write(kIntcIar, 4, 0x1);
  EXPECT_EQ(model.read(kIntcIsr, 4), 0x1u);  // still high
  model.set_input(0, false);
  model.write(kIntcIar, 4, 0x1);
  EXPECT_EQ(model.read(kIntcIsr, 4), 0u);
  EXPECT_FALSE(model.irq_output());
  EXPECT_EQ(model.read(kIntcIvr, 4), 0xFFFFFFFFu);
}

TEST(SimInterruptTests, AxiIntc_EdgeInput_LatchesOncePerRisingEdge) {
  AxiIntcModel model = intc("inputs: 1 kind_of_intr: 1");
  model.set_input(0, true);
  model.write(kIntcIar, 4, 0x1);
  EXPECT_EQ(model.read(kIntcIsr, 4), 0u);  // no new edge
  model.set_input(0, false);
  model.set_input(0, true);
  EXPECT_EQ(model.read(kIntcIsr, 4), 0x1u);
}

TEST(SimInterruptTests, AxiIntc_Registers_SieCieMerAndSoftwareIsr) {
  AxiIntcModel model = intc("inputs: 4");
  model.write(kIntcSie, 4, 0xFF);
  EXPECT_EQ(model.read(kIntcIer, 4), 0xFu);
  model.write(kIntcCie, 4, 0x3);
  EXPECT_EQ(model.read(kIntcIer, 4), 0xCu);
  model.write(kIntcIsr, 4, 0x4);  // HIE 0: software interrupt
  EXPECT_EQ(model.read(kIntcIpr, 4), 0x4u);
  model.write(kIntcMer, 4, 0x3);
  EXPECT_TRUE(model.irq_output());
  model.write(kIntcMer, 4, 0x0);  // HIE stays once set
  EXPECT_EQ(model.read(kIntcMer, 4), 0x2u);
  model.write(kIntcIsr, 4, 0x8);  // ignored with HIE
  EXPECT_EQ(model.read(kIntcIsr, 4), 0x4u);
}

TEST(SimInterruptTests, AxiGpio_InputChange_SetsIsrAndRaisesIrqWhenEnabled) {
  config::AxiGpio config;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      "channel1 { width: 4 all_outputs: true } "
      "channel2 { width: 4 all_inputs: true }",
      &config));
  AxiGpioModel gpio(config);
  gpio.set_input(2, 0x1);
  EXPECT_EQ(gpio.read(kGpioIpIsr, 4), 0x2u);
  EXPECT_FALSE(gpio.irq_output());
  gpio.write(kGpioIpIer, 4, 0x2);
  gpio.write(kGpioGier, 4, 0x80000000);
  EXPECT_TRUE(gpio.irq_output());
  gpio.write(kGpioIpIsr, 4, 0x2);  // toggle: cleared
  EXPECT_FALSE(gpio.irq_output());
  gpio.set_input(2, 0x1);  // no change, no interrupt
  EXPECT_EQ(gpio.read(kGpioIpIsr, 4), 0u);
  gpio.set_input(1, 0x1);  // outputs only: no input pin changed
  EXPECT_EQ(gpio.read(kGpioIpIsr, 4), 0u);
  expect_status(grpc::StatusCode::NOT_FOUND, [&] { gpio.set_input(3, 1); });
}

class SimLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::BoardConfig config;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
        R"pb(
          windows {
            name: "gpio"
            base_address: 0xA0000000
            size: 0x10000
            axi_gpio { channel1 { width: 8 all_inputs: true } }
          }
          windows {
            name: "intc"
            base_address: 0xA0040000
            size: 0x10000
            axi_intc { inputs: 1 }
          }
          interrupts { source: "gpio" controller: "intc" index: 0 }
          interrupts { source: "intc" index: 121 }
        )pb",
        &config));
    sim_ = std::make_shared<SimBackend>(config);
    sim_->write(kGpio + kGpioGier, 4, 0x80000000);
    sim_->write(kGpio + kGpioIpIer, 4, 0x1);
    sim_->write(kIntc + kIntcMer, 4, 0x3);
    sim_->write(kIntc + kIntcSie, 4, 0x1);
    sim_->interrupts()->open(kLine, [this](uint32_t line) {
      EXPECT_EQ(line, kLine);
      ++fired_;
    });
  }
  void TearDown() override { sim_->interrupts()->close(kLine); }

  // What the host does after an event: clear the source, then the intc.
  void clear() {
    sim_->write(kGpio + kGpioIpIsr, 4, sim_->read(kGpio + kGpioIpIsr, 4));
    sim_->write(kIntc + kIntcIar, 4, 0x1);
  }

  std::shared_ptr<SimBackend> sim_;
  std::atomic<int> fired_{0};
};

TEST_F(SimLineTest, InputChange_FiresLineOnceUntilRearmed) {
  EXPECT_EQ(sim_->interrupts()->open_lines(), 1u);
  sim_->set_simulated_axi_gpio_input("gpio", 1, 0x1);
  EXPECT_EQ(fired_, 1);
  sim_->set_simulated_axi_gpio_input("gpio", 1, 0x3);  // masked until rearm
  EXPECT_EQ(fired_, 1);
  clear();
  sim_->interrupts()->rearm(kLine);
  EXPECT_EQ(fired_, 1);  // cleared before the rearm: nothing pending
  sim_->set_simulated_axi_gpio_input("gpio", 1, 0x0);
  EXPECT_EQ(fired_, 2);
}

TEST_F(SimLineTest, RearmWhileStillAsserted_FiresAgain) {
  sim_->set_simulated_axi_gpio_input("gpio", 1, 0x1);
  sim_->interrupts()->rearm(kLine);
  EXPECT_EQ(fired_, 2);
}

TEST_F(SimLineTest, ClosedLine_NeverFires) {
  sim_->interrupts()->close(kLine);
  EXPECT_EQ(sim_->interrupts()->open_lines(), 0u);
  sim_->set_simulated_axi_gpio_input("gpio", 1, 0x1);
  EXPECT_EQ(fired_, 0);
}

TEST_F(SimLineTest, UnknownLineOrWindow_NotFound) {
  expect_status(grpc::StatusCode::NOT_FOUND, [&] {
    sim_->interrupts()->open(7, [](uint32_t) {});
  });
  expect_status(grpc::StatusCode::FAILED_PRECONDITION, [&] {
    sim_->interrupts()->open(kLine, [](uint32_t) {});
  });
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { sim_->set_simulated_axi_gpio_input("nothing", 1, 1); });
  expect_status(grpc::StatusCode::FAILED_PRECONDITION,
                [&] { sim_->set_simulated_axi_gpio_input("intc", 1, 1); });
  const std::vector<uint32_t> lines = sim_->interrupts()->available();
  EXPECT_EQ(lines.front(), 121u);
  EXPECT_EQ(lines.size(), 16u);
}

TEST(SimInterruptTests, ProgrammedDesign_WiresItsInterrupts) {
  auto sim = std::make_shared<SimBackend>(config::BoardConfig());
  ProgramRequest request;
  request.windows = {{"leds", 0xA0000000, 0x10000, "xilinx.com:ip:axi_gpio:2.0"},
                     {"intc", 0xA0040000, 0x10000, "xilinx.com:ip:axi_intc:4.1"}};
  request.interrupts = {{"leds", "intc", 3}, {"intc", "", 121}};
  sim->program(request);
  int fired = 0;
  sim->interrupts()->open(kLine, [&](uint32_t) { ++fired; });
  sim->write(kGpio + kGpioGier, 4, 0x80000000);
  sim->write(kGpio + kGpioIpIer, 4, 0x1);
  sim->write(kIntc + kIntcMer, 4, 0x3);
  sim->write(kIntc + kIntcSie, 4, 0x8);
  sim->set_simulated_axi_gpio_input("leds", 1, 0x1);
  EXPECT_EQ(fired, 1);
  sim->interrupts()->close(kLine);

  request.interrupts = {{"leds", "nowhere", 0}};
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [&] { sim->program(request); }),
            "interrupt of 'leds' goes into 'nowhere', which is not an "
            "axi_intc window");
  request.interrupts = {{"leds", "", 5}};
  expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                [&] { sim->program(request); });
  request.interrupts = {{"intc", "", 61}};  // a Zynq-7000 line
  sim->program(request);
  EXPECT_EQ(sim->interrupts()->available().front(), 61u);
}

}  // namespace
}  // namespace pynq_remote
