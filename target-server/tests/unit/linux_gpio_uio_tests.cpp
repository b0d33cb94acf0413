// The linux backend's GPIO and UIO parts over a temporary folder standing for
// /dev and /sys/class/uio (the ioctls themselves run on the emulated target).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "backends/linux_gpio.h"
#include "backends/linux_uio.h"
#include "core/unique_fd.h"
#include "unit/expect_status.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

// A device-tree `interrupts` property: GIC SPI `number`, level high.
std::string spi(uint32_t number) {
  const uint32_t cells[3] = {0, number, 4};
  std::string out;
  for (uint32_t cell : cells) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out += static_cast<char>((cell >> shift) & 0xFF);
    }
  }
  return out;
}

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 200 && !condition(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

TEST(LinuxUioTests, InterruptsProperty_SpiAndPpiNumbers) {
  uint32_t line = 0;
  ASSERT_TRUE(gic_line_from_interrupts(spi(89), &line));
  EXPECT_EQ(line, 121u);
  std::string ppi = spi(9);
  ppi[3] = 1;
  ASSERT_TRUE(gic_line_from_interrupts(ppi, &line));
  EXPECT_EQ(line, 25u);
  EXPECT_FALSE(gic_line_from_interrupts("", &line));
  EXPECT_FALSE(gic_line_from_interrupts(spi(89).substr(0, 10), &line));
  EXPECT_TRUE(is_uio_name("uio12"));
  EXPECT_FALSE(is_uio_name("uio"));
  EXPECT_FALSE(is_uio_name("uio1/../x"));
}

class LinuxUioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("sys/uio0/device/of_node/interrupts", spi(89));
    dir_.write("sys/uio1/device/of_node/interrupts", spi(90));
    dir_.write("sys/notuio/device/of_node/interrupts", spi(91));
    std::filesystem::create_directories(dir_.path() / "dev");
    // A FIFO stands for /dev/uio0: what the test writes, the reader reads.
    fifo_ = (dir_.path() / "dev" / "uio0").string();
    ASSERT_EQ(::mkfifo(fifo_.c_str(), 0600), 0);
  }

  TempDir dir_;
  std::string fifo_;
};

TEST_F(LinuxUioTest, Available_LinesOfUioDevicesOnly) {
  LinuxUio uio((dir_.path() / "sys").string(), (dir_.path() / "dev").string());
  EXPECT_EQ(uio.available(), (std::vector<uint32_t>{121, 122}));
  EXPECT_EQ(uio.devices().at(121), "uio0");
}

TEST_F(LinuxUioTest, OpenLine_ReaderThreadDeliversCountsAndStopsOnClose) {
  LinuxUio uio((dir_.path() / "sys").string(), (dir_.path() / "dev").string());
  std::atomic<int> events{0};
  uio.open(121, [&](uint32_t line) {
    EXPECT_EQ(line, 121u);
    ++events;
  });
  EXPECT_EQ(uio.open_lines(), 1u);
  EXPECT_EQ(uio.reader_threads(), 1u);
  // open() unmasked the line: the enable word is in the FIFO, and the
  // reader takes it for an event as it would take the kernel's count.
  EXPECT_TRUE(eventually([&] { return events == 1; }));
  UniqueFd writer(::open(fifo_.c_str(), O_WRONLY | O_NONBLOCK));
  ASSERT_TRUE(writer.valid());
  const uint32_t count = 7;
  ASSERT_EQ(::write(writer.get(), &count, sizeof(count)), 4);
  EXPECT_TRUE(eventually([&] { return events == 2; }));
  expect_status(grpc::StatusCode::FAILED_PRECONDITION,
                [&] { uio.open(121, [](uint32_t) {}); });
  uio.close(121);  // the reader is blocked in poll(): the eventfd wakes it
  EXPECT_EQ(uio.reader_threads(), 0u);
  EXPECT_EQ(uio.open_lines(), 0u);
}

TEST_F(LinuxUioTest, LineWithoutDeviceNode_FailedPrecondition_UnknownNotFound) {
  LinuxUio uio((dir_.path() / "sys").string(), (dir_.path() / "dev").string());
  expect_status(grpc::StatusCode::FAILED_PRECONDITION,
                [&] { uio.open(122, [](uint32_t) {}); });
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { uio.open(123, [](uint32_t) {}); });
  EXPECT_EQ(uio.reader_threads(), 0u);
}

TEST(LinuxGpioTests, ChipNames_OnlyCharacterDevicesNamedGpiochipN) {
  EXPECT_TRUE(is_gpiochip_name("gpiochip0"));
  EXPECT_TRUE(is_gpiochip_name("gpiochip12"));
  EXPECT_FALSE(is_gpiochip_name("gpiochip"));
  EXPECT_FALSE(is_gpiochip_name("gpiochip0/../mem"));
  EXPECT_FALSE(is_gpiochip_name("gpiochipx"));
  TempDir dir;
  dir.write("gpiochip0", "");  // a regular file, not a chip
  LinuxGpio gpio(dir.path().string());
  EXPECT_TRUE(gpio.chip_names().empty());
  EXPECT_TRUE(gpio.list().empty());
  EXPECT_EQ(expect_status(grpc::StatusCode::NOT_FOUND,
                          [&] { gpio.read("gpiochip0", 0); }),
            "no GPIO chip 'gpiochip0' on this board");
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { gpio.set_direction("../mem", 0, true, 1); });
}

}  // namespace
}  // namespace pynq_remote
