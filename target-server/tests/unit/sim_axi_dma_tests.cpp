#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "backends/sim_axi_dma.h"
#include "backends/sim_memory.h"

namespace pynq_remote {
namespace {

using ::testing::Each;

// PG021 register offsets, spelled out so a wrong constant in the model
// shows up here.
constexpr uint64_t MM2S_DMACR = 0x00;
constexpr uint64_t MM2S_DMASR = 0x04;
constexpr uint64_t MM2S_SA = 0x18;
constexpr uint64_t MM2S_SA_MSB = 0x1C;
constexpr uint64_t MM2S_LENGTH = 0x28;
constexpr uint64_t S2MM_DMACR = 0x30;
constexpr uint64_t S2MM_DMASR = 0x34;
constexpr uint64_t S2MM_DA = 0x48;
constexpr uint64_t S2MM_DA_MSB = 0x4C;
constexpr uint64_t S2MM_LENGTH = 0x58;

constexpr uint32_t RS = 0x1;
constexpr uint32_t RESET = 0x4;
constexpr uint32_t HALTED = 0x1;
constexpr uint32_t IDLE = 0x2;
constexpr uint32_t DMA_INT_ERR = 0x10;
constexpr uint32_t DMA_DEC_ERR = 0x40;
constexpr uint32_t IOC_IRQ = 0x1000;
constexpr uint32_t ERR_IRQ = 0x4000;

// Above 4 GiB, so the MSB registers matter.
constexpr uint64_t kPool = 0x800000000;
constexpr uint64_t kPoolSize = 0x100000;
constexpr uint64_t kSource = kPool;
constexpr uint64_t kDestination = kPool + 0x80000;

class AxiDmaModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::AxiDma config;
    config.set_length_width(14);
    dma_ = std::make_unique<AxiDmaModel>(config, memory_);
  }

  uint32_t reg(uint64_t offset) {
    return static_cast<uint32_t>(dma_->read(offset, 4));
  }
  void set(uint64_t offset, uint64_t value) { dma_->write(offset, 4, value); }

  void start_both() {
    set(MM2S_DMACR, RS);
    set(S2MM_DMACR, RS);
  }
  void send(uint64_t address, uint32_t length) {
    set(MM2S_SA, address & 0xFFFFFFFF);
    set(MM2S_SA_MSB, address >> 32);
    set(MM2S_LENGTH, length);
  }
  void receive(uint64_t address, uint32_t length) {
    set(S2MM_DA, address & 0xFFFFFFFF);
    set(S2MM_DA_MSB, address >> 32);
    set(S2MM_LENGTH, length);
  }

  std::vector<uint8_t> fill_source(size_t size) {
    std::vector<uint8_t> bytes(size);
    for (size_t i = 0; i < size; ++i)
      bytes[i] = static_cast<uint8_t>(i * 7 + 1);
    memory_.write(kSource, bytes.data(), size);
    return bytes;
  }
  std::vector<uint8_t> memory_at(uint64_t address, size_t size) {
    std::vector<uint8_t> bytes(size);
    memory_.read(address, bytes.data(), size);
    return bytes;
  }

  SimMemory memory_{kPool, kPoolSize};
  std::unique_ptr<AxiDmaModel> dma_;
};

TEST_F(AxiDmaModelTest, Reset_RegistersHoldResetValues) {
  EXPECT_EQ(reg(MM2S_DMACR), 0x00010000u);
  EXPECT_EQ(reg(MM2S_DMASR), 0x1u);
  EXPECT_EQ(reg(S2MM_DMACR), 0x00010000u);
  EXPECT_EQ(reg(S2MM_DMASR), 0x1u);
  EXPECT_EQ(reg(MM2S_LENGTH), 0u);
  EXPECT_EQ(reg(S2MM_DA), 0u);
}

TEST_F(AxiDmaModelTest, RunStop_ClearsHalted_IdleOnlyAfterFirstTransfer) {
  set(MM2S_DMACR, 0x00011001);  // RS, IOC_IrqEn, IRQThreshold 1
  EXPECT_EQ(reg(MM2S_DMACR), 0x00011001u);
  EXPECT_EQ(reg(MM2S_DMASR), 0u);  // running, not yet idle (PG021)
  EXPECT_EQ(reg(S2MM_DMASR), HALTED);
  fill_source(16);
  send(kSource, 16);
  EXPECT_EQ(reg(MM2S_DMASR), IDLE | IOC_IRQ);
  set(MM2S_DMACR, 0);
  EXPECT_EQ(reg(MM2S_DMASR), HALTED | IOC_IRQ);
}

TEST_F(AxiDmaModelTest,
       Loopback_ReceiveArmedFirst_BytesArriveLengthWrittenBack) {
  start_both();
  const std::vector<uint8_t> data = fill_source(1000);
  receive(kDestination, 4096);
  EXPECT_EQ(reg(S2MM_DMASR), 0u);  // armed: not idle
  send(kSource, 1000);
  EXPECT_EQ(memory_at(kDestination, 1000), data);
  EXPECT_THAT(memory_at(kDestination + 1000, 100), Each(0));
  EXPECT_EQ(reg(S2MM_LENGTH), 1000u);
  EXPECT_EQ(reg(S2MM_DMASR), IDLE | IOC_IRQ);
  EXPECT_EQ(reg(MM2S_DMASR), IDLE | IOC_IRQ);
}

TEST_F(AxiDmaModelTest, Loopback_SendFirst_PacketWaitsInStream) {
  start_both();
  const std::vector<uint8_t> data = fill_source(256);
  send(kSource, 256);
  EXPECT_EQ(reg(MM2S_DMASR), IDLE | IOC_IRQ);
  EXPECT_THAT(memory_at(kDestination, 256), Each(0));
  receive(kDestination, 256);
  EXPECT_EQ(memory_at(kDestination, 256), data);
  EXPECT_EQ(reg(S2MM_LENGTH), 256u);
  EXPECT_EQ(reg(S2MM_DMASR), IDLE | IOC_IRQ);
}

TEST_F(AxiDmaModelTest, Loopback_TwoPackets_EachReceiveTakesOne) {
  start_both();
  const std::vector<uint8_t> data = fill_source(300);
  send(kSource, 100);
  send(kSource + 100, 200);
  receive(kDestination, 4096);
  EXPECT_EQ(reg(S2MM_LENGTH), 100u);
  receive(kDestination + 4096, 4096);
  EXPECT_EQ(reg(S2MM_LENGTH), 200u);
  EXPECT_EQ(memory_at(kDestination + 4096, 200),
            std::vector<uint8_t>(data.begin() + 100, data.end()));
}

TEST_F(AxiDmaModelTest, InterruptBits_WriteOneToClear) {
  start_both();
  fill_source(8);
  send(kSource, 8);
  set(MM2S_DMASR, IOC_IRQ);
  EXPECT_EQ(reg(MM2S_DMASR), IDLE);
}

TEST_F(AxiDmaModelTest, SourceOutsidePool_DecodeErrorHaltsChannel) {
  start_both();
  send(kPool + kPoolSize - 8, 16);  // straddles the end of the pool
  EXPECT_EQ(reg(MM2S_DMASR), HALTED | DMA_DEC_ERR | ERR_IRQ);
  EXPECT_EQ(reg(MM2S_DMACR) & RS, 0u);
  send(0x1000, 16);  // below the pool; halted, so nothing happens
  EXPECT_EQ(reg(MM2S_DMASR), HALTED | DMA_DEC_ERR | ERR_IRQ);
  EXPECT_EQ(reg(S2MM_DMASR), 0u);
}

TEST_F(AxiDmaModelTest, DestinationOutsidePool_DecodeErrorOnS2mm) {
  start_both();
  fill_source(64);
  send(kSource, 64);
  receive(kPool - 32, 64);
  EXPECT_EQ(reg(S2MM_DMASR), HALTED | DMA_DEC_ERR | ERR_IRQ);
  EXPECT_EQ(reg(MM2S_DMASR), IDLE | IOC_IRQ);
}

TEST_F(AxiDmaModelTest, PacketLongerThanReceive_InternalErrorPrefixWritten) {
  start_both();
  const std::vector<uint8_t> data = fill_source(100);
  receive(kDestination, 60);
  send(kSource, 100);
  EXPECT_EQ(memory_at(kDestination, 60),
            std::vector<uint8_t>(data.begin(), data.begin() + 60));
  EXPECT_THAT(memory_at(kDestination + 60, 40), Each(0));
  EXPECT_EQ(reg(S2MM_DMASR), HALTED | DMA_INT_ERR | ERR_IRQ);
  EXPECT_EQ(reg(S2MM_LENGTH), 60u);
}

TEST_F(AxiDmaModelTest, BadLength_ZeroOrAboveLengthWidth_InternalError) {
  start_both();
  send(kSource, 0);
  EXPECT_EQ(reg(MM2S_DMASR), HALTED | DMA_INT_ERR | ERR_IRQ);
  receive(kDestination, 1u << 14);  // width 14: at most 16383
  EXPECT_EQ(reg(S2MM_DMASR), HALTED | DMA_INT_ERR | ERR_IRQ);
}

TEST_F(AxiDmaModelTest, LengthAtLimit_Accepted) {
  start_both();
  const std::vector<uint8_t> data = fill_source(16383);
  receive(kDestination, 16383);
  send(kSource, 16383);
  EXPECT_EQ(reg(S2MM_DMASR), IDLE | IOC_IRQ);
  EXPECT_EQ(memory_at(kDestination, 16383), data);
}

TEST_F(AxiDmaModelTest, LengthWhileStopped_NothingHappens) {
  fill_source(16);
  send(kSource, 16);
  receive(kDestination, 16);
  EXPECT_EQ(reg(MM2S_DMASR), HALTED);
  EXPECT_EQ(reg(S2MM_DMASR), HALTED);
  start_both();
  receive(kDestination, 16);
  EXPECT_EQ(reg(S2MM_DMASR), 0u);  // no packet was sent while stopped
  EXPECT_THAT(memory_at(kDestination, 16), Each(0));
}

TEST_F(AxiDmaModelTest, LengthWhileBusy_Ignored) {
  start_both();
  receive(kDestination, 16);
  set(S2MM_LENGTH, 8);  // the armed receive of 16 stays
  fill_source(16);
  send(kSource, 16);
  EXPECT_EQ(reg(S2MM_DMASR), IDLE | IOC_IRQ);
  EXPECT_EQ(reg(S2MM_LENGTH), 16u);
}

TEST_F(AxiDmaModelTest, ErrorThenRunStop_StaysHaltedUntilReset) {
  start_both();
  send(kSource, 0);
  set(MM2S_DMACR, RS);
  EXPECT_EQ(reg(MM2S_DMASR) & HALTED, HALTED);

  set(MM2S_DMACR, RESET);  // self-clearing; resets both channels
  EXPECT_EQ(reg(MM2S_DMACR), 0x00010000u);
  EXPECT_EQ(reg(MM2S_DMASR), 0x1u);
  EXPECT_EQ(reg(S2MM_DMASR), 0x1u);
  start_both();
  fill_source(8);
  receive(kDestination, 8);
  send(kSource, 8);
  EXPECT_EQ(reg(S2MM_DMASR), IDLE | IOC_IRQ);
}

TEST_F(AxiDmaModelTest, Reset_ThroughS2mm_DropsQueuedPacketAndRegisters) {
  start_both();
  fill_source(8);
  send(kSource, 8);
  set(S2MM_DA, 0x1234);
  set(S2MM_DMACR, RESET);
  EXPECT_EQ(reg(S2MM_DA), 0u);
  EXPECT_EQ(reg(MM2S_SA), 0u);
  start_both();
  receive(kDestination, 8);
  EXPECT_EQ(reg(S2MM_DMASR), 0u);  // the packet sent before reset is gone
}

TEST_F(AxiDmaModelTest, StopWhileArmed_DropsReceive) {
  start_both();
  receive(kDestination, 8);
  set(S2MM_DMACR, 0);
  set(S2MM_DMACR, RS);
  fill_source(8);
  send(kSource, 8);
  EXPECT_EQ(reg(S2MM_DMASR), 0u);
  EXPECT_THAT(memory_at(kDestination, 8), Each(0));
}

TEST(AxiDmaValidationTests, LengthWidth_Outside8To26_Rejected) {
  config::AxiDma config;
  for (const uint32_t width : {0u, 7u, 27u}) {
    config.set_length_width(width);
    EXPECT_THROW(validate_axi_dma(config), std::exception) << width;
  }
  for (const uint32_t width : {8u, 26u}) {
    config.set_length_width(width);
    EXPECT_NO_THROW(validate_axi_dma(config)) << width;
  }
}

}  // namespace
}  // namespace pynq_remote
