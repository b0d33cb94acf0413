#include "backends/pl_clock_layout.h"

namespace pynq_remote {

const PlClockLayout* find_clock_layout(const std::string& platform) {
  for (const PlClockLayout* layout :
       {&zynqmp_clock_layout(), &zynq_clock_layout()}) {
    if (platform == layout->platform) return layout;
  }
  return nullptr;
}

}  // namespace pynq_remote
