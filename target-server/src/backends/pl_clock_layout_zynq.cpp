// Zynq-7000 (UG585): the PL clocks are FPGA0_CLK_CTRL..FPGA3_CLK_CTRL in the
// SLCR at 0xF8000000, whose writes are refused while it is locked
// (SLCR_LOCK, SLCR_UNLOCK, SLCR_LOCKSTA).
#include "backends/pl_clock_layout.h"

namespace pynq_remote {
namespace {

std::map<uint64_t, uint32_t> zynq_boot_values() {
  return {{0xF8000100, 26u << 12},                 // ARM PLL 1300 MHz
          {0xF8000104, 21u << 12},                 // DDR PLL 1050 MHz
          {0xF8000108, 20u << 12},                 // IO PLL 1000 MHz
          {0xF8000120, 2u << 8},                   // CPU: ARM PLL / 2
          {0xF8000170, (1u << 20) | (10u << 8)},   // 100 MHz
          {0xF8000180, (1u << 20) | (7u << 8)},    // 142.857 MHz
          {0xF8000190, (1u << 20) | (5u << 8)},    // 200 MHz
          {0xF80001A0, (1u << 20) | (10u << 8)}};  // 100 MHz
}

}  // namespace

const PlClockLayout& zynq_clock_layout() {
  static const PlClockLayout layout{
      "zynq",
      50.0,  // PS_CLK on the Pynq-Z2, PYNQ's default
      {{0xF8000000, 0x1000}},
      {0xF8000008, 0xDF0D, 0xF8000004, 0x767B, 0xF800000C},
      {0xF8000170, 0xF8000180, 0xF8000190, 0xF80001A0},
      4,
      0x3,
      20,
      -1,
      {{"IO PLL", 0xF8000108},
       {"IO PLL", 0xF8000108},
       {"ARM PLL", 0xF8000100},
       {"DDR PLL", 0xF8000104}},
      0,
      0xF8000120,
      {{"ARM PLL", 0xF8000100},
       {"ARM PLL", 0xF8000100},
       {"DDR PLL", 0xF8000104},
       {"IO PLL", 0xF8000108}},
      12,
      -1,
      zynq_boot_values()};
  return layout;
}

}  // namespace pynq_remote
