#include "backends/pl_clocks.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "unit/expect_status.h"

namespace pynq_remote {
namespace {

// Registers a test can look at after PlClocks wrote them.
class SharedRegisters final : public ClockRegisters {
 public:
  explicit SharedRegisters(std::map<uint64_t, uint32_t>* values)
      : values_(values) {}
  uint32_t read32(uint64_t address) override { return (*values_)[address]; }
  void write32(uint64_t address, uint32_t value) override {
    writes.push_back(address);
    (*values_)[address] = value;
  }
  std::vector<uint64_t> writes;

 private:
  std::map<uint64_t, uint32_t>* values_;
};

TEST(ClosestDivisorsTest, ExactProduct_Found) {
  EXPECT_EQ(closest_divisors(1500, 100), std::make_pair(1u, 15u));
  EXPECT_EQ(closest_divisors(1500, 1500), std::make_pair(1u, 1u));
}

TEST(ClosestDivisorsTest, BelowSmallestReachable_TakesLargestProduct) {
  EXPECT_EQ(closest_divisors(1500, 0.1), std::make_pair(63u, 63u));
}

TEST(PlClocksTest, ZynqMpBoot_Pl0At100MhzFromIopll) {
  PlClocks clocks("zynqmp", std::make_unique<MapClockRegisters>(
                                PlClocks::boot_values("zynqmp")));
  const std::vector<PlClock> list = clocks.list();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_TRUE(list[0].enabled);
  EXPECT_FALSE(list[1].enabled);
  EXPECT_EQ(list[0].source, "IOPLL");
  EXPECT_DOUBLE_EQ(list[0].source_mhz, 1499.985);
  EXPECT_DOUBLE_EQ(list[0].frequency_mhz, 99.999);
  EXPECT_DOUBLE_EQ(clocks.cpu_mhz(), 1199.988);
}

TEST(PlClocksTest, ZynqMpSet_WritesPl1RefCtrlFields) {
  std::map<uint64_t, uint32_t> values = PlClocks::boot_values("zynqmp");
  values[0xFF5E00C4] = 0x2;  // PL1 from RPLL, stopped
  PlClocks clocks("zynqmp", std::make_unique<SharedRegisters>(&values));
  const PlClock clock = clocks.set_frequency(1, 200);
  // IOPLL 1499.985 MHz / 200 = 7.5: products 7 (214.284 MHz) and 8
  // (187.498 MHz) are the candidates; 8 is nearer, as 1 x 8.
  EXPECT_EQ(clock.divisor0, 1u);
  EXPECT_EQ(clock.divisor1, 8u);
  EXPECT_DOUBLE_EQ(clock.frequency_mhz, 187.498125);
  EXPECT_EQ(clock.source, "IOPLL");
  // CLKACT (24), DIVISOR1 (21:16), DIVISOR0 (13:8), SRCSEL (2:0) = IOPLL.
  EXPECT_EQ(values[0xFF5E00C4], (1u << 24) | (8u << 16) | (1u << 8));
}

TEST(PlClocksTest, ZynqSetWhileUnlocked_UnlocksFirstAndLeavesItUnlocked) {
  std::map<uint64_t, uint32_t> values = PlClocks::boot_values("zynq");
  auto registers = std::make_unique<SharedRegisters>(&values);
  SharedRegisters* seen = registers.get();
  PlClocks clocks("zynq", std::move(registers));
  const PlClock clock = clocks.set_divisors(2, 4, 2);
  EXPECT_DOUBLE_EQ(clock.frequency_mhz, 125);
  EXPECT_EQ(seen->writes, (std::vector<uint64_t>{0xF8000008, 0xF8000190}));
  EXPECT_EQ(values[0xF8000008], 0xDF0Du);
  // DIVISOR1 (25:20), DIVISOR0 (13:8), SRCSEL (5:4) = IO PLL.
  EXPECT_EQ(values[0xF8000190], (2u << 20) | (4u << 8));
}

TEST(PlClocksTest, ZynqSetWhileLocked_UnlocksWritesAndLocksAgain) {
  std::map<uint64_t, uint32_t> values = PlClocks::boot_values("zynq");
  values[0xF800000C] = 1;  // SLCR_LOCKSTA: locked
  auto registers = std::make_unique<SharedRegisters>(&values);
  SharedRegisters* seen = registers.get();
  PlClocks clocks("zynq", std::move(registers));
  clocks.set_divisors(0, 5, 2);
  EXPECT_EQ(seen->writes,
            (std::vector<uint64_t>{0xF8000008, 0xF8000170, 0xF8000004}));
  EXPECT_EQ(values[0xF8000004], 0x767Bu);
}

TEST(PlClocksTest, ZynqBoot_MatchesPynqZ2BaseClocks) {
  PlClocks clocks("zynq", std::make_unique<MapClockRegisters>(
                              PlClocks::boot_values("zynq")));
  const std::vector<PlClock> list = clocks.list();
  EXPECT_DOUBLE_EQ(list[0].frequency_mhz, 100);
  EXPECT_DOUBLE_EQ(list[1].frequency_mhz, 142.857143);
  EXPECT_DOUBLE_EQ(list[2].frequency_mhz, 200);
  EXPECT_DOUBLE_EQ(clocks.cpu_mhz(), 650);
}

TEST(PlClocksTest, BadArguments_ClearErrors) {
  PlClocks clocks("zynqmp", std::make_unique<MapClockRegisters>(
                                PlClocks::boot_values("zynqmp")));
  EXPECT_EQ(expect_status(grpc::StatusCode::OUT_OF_RANGE,
                          [&] { clocks.set_frequency(4, 100); }),
            "PL clock 4 does not exist: the PS has PL clocks 0 to 3");
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [&] { clocks.set_divisors(0, 0, 5); }),
            "divisor0 0 is out of range: divisors are 1 to 63");
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [&] { clocks.set_divisors(0, 1, 64); }),
            "divisor1 64 is out of range: divisors are 1 to 63");
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [&] { clocks.set_frequency(0, 2000); }),
            "PL clock frequency 2000.000000 MHz is out of range: above 0 "
            "and at most the IOPLL's 1499.985000 MHz");
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [&] { clocks.set_frequency(0, -1); }),
            "PL clock frequency -1.000000 MHz is out of range: above 0 "
            "and at most the IOPLL's 1499.985000 MHz");
}

TEST(PlClocksTest, StoppedSourcePll_SetSaysSo) {
  std::map<uint64_t, uint32_t> values;  // every register reads 0
  PlClocks clocks("zynqmp", std::make_unique<SharedRegisters>(&values));
  EXPECT_EQ(expect_status(grpc::StatusCode::FAILED_PRECONDITION,
                          [&] { clocks.set_frequency(0, 100); }),
            "PL clock 0 cannot be set: its source, the IOPLL, runs at 0 MHz "
            "(its control register 0xff5e0020 reads 0x0)");
}

TEST(PlClocksTest, UnknownPlatform_NotSupported) {
  EXPECT_FALSE(PlClocks::supports("qemu-virt"));
  EXPECT_TRUE(PlClocks::register_pages("sim").empty());
}

}  // namespace
}  // namespace pynq_remote
