// ZynqMP (UG1087): the PL clocks are PL0_REF_CTRL..PL3_REF_CTRL in CRL_APB at
// 0xFF5E0000; the PLLs are in CRL_APB (IOPLL, RPLL) and CRF_APB at
// 0xFD1A0000 (APLL, DPLL, VPLL). Nothing is locked.
#include "backends/pl_clock_layout.h"

namespace pynq_remote {
namespace {

std::map<uint64_t, uint32_t> zynqmp_boot_values() {
  const uint32_t pll_div2 = 1u << 16;
  const uint32_t pl_100mhz = (1u << 16) | (15u << 8);  // IOPLL / 15 / 1
  return {{0xFF5E0020, (90u << 8) | pll_div2},  // IOPLL 1500 MHz
          {0xFF5E0030, (72u << 8) | pll_div2},  // RPLL 1200 MHz
          {0xFD1A0020, (72u << 8) | pll_div2},  // APLL 1200 MHz
          {0xFD1A002C, (64u << 8) | pll_div2},  // DPLL 1067 MHz
          {0xFD1A0038, (90u << 8) | pll_div2},  // VPLL 1500 MHz
          {0xFD1A0060, 1u << 8},                // ACPU: APLL / 1
          {0xFF5E00C0, (1u << 24) | pl_100mhz},
          {0xFF5E00C4, pl_100mhz},
          {0xFF5E00C8, pl_100mhz},
          {0xFF5E00CC, pl_100mhz}};
}

}  // namespace

const PlClockLayout& zynqmp_clock_layout() {
  static const PlClockLayout layout{
      "zynqmp",
      33.333,  // PS_REF_CLK, PYNQ's default
      {{0xFF5E0000, 0x1000}, {0xFD1A0000, 0x1000}},
      {0, 0, 0, 0, 0},
      {0xFF5E00C0, 0xFF5E00C4, 0xFF5E00C8, 0xFF5E00CC},
      0,
      0x7,
      16,
      24,
      {{"IOPLL", 0xFF5E0020},
       {nullptr, 0},
       {"RPLL", 0xFF5E0030},
       {"DPLL", 0xFD1A002C}},
      0,
      0xFD1A0060,
      {{"APLL", 0xFD1A0020},
       {nullptr, 0},
       {"DPLL", 0xFD1A002C},
       {"VPLL", 0xFD1A0038}},
      8,
      16,
      zynqmp_boot_values()};
  return layout;
}

}  // namespace pynq_remote
