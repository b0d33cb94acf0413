// A small simulated board for service tests.
#ifndef PYNQ_REMOTE_TESTS_UNIT_SIM_FIXTURE_H_
#define PYNQ_REMOTE_TESTS_UNIT_SIM_FIXTURE_H_

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <memory>

#include "backends/sim_backend.h"

namespace pynq_remote {

constexpr uint64_t kRegsBase = 0xA0000000;
constexpr uint64_t kRamBase = 0xA0100000;
constexpr uint64_t kRamSize = 0x10000;

inline std::shared_ptr<SimBackend> make_test_sim() {
  config::BoardConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        board: "test-board"
        platform: "sim"
        design_name: "test_design"
        windows {
          name: "regs"
          base_address: 0xA0000000
          size: 0x1000
          registers { reset_values { offset: 0x0 value: 0x4 } }
        }
        windows {
          name: "ram"
          base_address: 0xA0100000
          size: 0x10000
          ram {}
        }
      )pb",
      &config));
  return std::make_shared<SimBackend>(config);
}

constexpr uint64_t kPoolBase = 0x60000000;
constexpr uint64_t kPoolSize = 0x400000;  // 4 MiB
constexpr uint64_t kDmaBase = 0xA0030000;

// A board with a buffer pool of kPoolSize at kPoolBase and an AXI DMA at
// kDmaBase with 14-bit LENGTH registers.
inline std::shared_ptr<SimBackend> make_test_sim_with_pool() {
  config::BoardConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        board: "test-board"
        windows {
          name: "dma"
          base_address: 0xA0030000
          size: 0x10000
          axi_dma { length_width: 14 }
        }
        buffer_pool { base_address: 0x60000000 size: 0x400000 }
      )pb",
      &config));
  return std::make_shared<SimBackend>(config);
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_TESTS_UNIT_SIM_FIXTURE_H_
