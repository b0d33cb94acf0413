// LinuxBackend::program over a fake sysfs and configfs in a temporary folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "backends/linux_backend.h"
#include "unit/expect_status.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;

std::string file_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

class LinuxProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.mem_device = dir_.write("mem", "");
    options_.platform = "zynqmp";  // PL apertures 0x80000000-0xBFFFFFFF
    options_.paths.device_tree = (dir_.path() / "device-tree").string();
    options_.paths.fpga_manager_state = dir_.write("fpga0/state", "operating\n");
    options_.paths.fpga_manager_flags = dir_.write("fpga0/flags", "");
    options_.paths.fpga_manager_firmware = dir_.write("fpga0/firmware", "");
    options_.paths.firmware_search_path = dir_.write("firmware-path", "\n");
    options_.paths.overlays = (dir_.path() / "overlays").string();
    std::filesystem::create_directories(options_.paths.overlays);
    options_.firmware_dir = "/var/cache/pynq-remote/bitstreams";
  }

  ProgramRequest request() const {
    ProgramRequest request;
    request.sha256 = std::string(64, 'c');
    request.bitstream_file_name = request.sha256 + ".bin";
    request.design_name = "base";
    request.windows = {{"axi_gpio_0", 0xA0000000, 0x10000, ""}};
    return request;
  }

  TempDir dir_;
  LinuxBackendOptions options_;
};

TEST_F(LinuxProgramTest, Program_Full_WritesSysfsAndSwitchesWindows) {
  LinuxBackend backend(options_);
  const FpgaStatus status = backend.program(request());
  EXPECT_EQ(file_text(options_.paths.fpga_manager_flags), "0");
  EXPECT_EQ(file_text(options_.paths.fpga_manager_firmware),
            std::string(64, 'c') + ".bin");
  EXPECT_EQ(file_text(options_.paths.firmware_search_path),
            "/var/cache/pynq-remote/bitstreams");
  EXPECT_EQ(status.state, FpgaState::kOperating);
  EXPECT_EQ(status.design_name, "base");
  EXPECT_EQ(status.sha256, std::string(64, 'c'));
  ASSERT_EQ(backend.windows()->list().size(), 1u);
  EXPECT_EQ(backend.windows()->list()[0].name, "axi_gpio_0");
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { backend.read(0x80000000, 4); });
}

TEST_F(LinuxProgramTest, Program_PartialWithOverlay_FlagsOneAndDtboWritten) {
  std::filesystem::create_directories(options_.paths.overlays +
                                      "/pynq-remote");  // a previous one
  LinuxBackend backend(options_);
  ProgramRequest partial = request();
  partial.partial = true;
  partial.device_tree_overlay = std::string("\xd0\x0d\xfe\xed", 4);
  EXPECT_TRUE(backend.program(partial).partial);
  EXPECT_EQ(file_text(options_.paths.fpga_manager_flags), "1");
  EXPECT_EQ(file_text(options_.paths.overlays + "/pynq-remote/dtbo"),
            partial.device_tree_overlay);
}

TEST_F(LinuxProgramTest, Program_ManagerReportsError_FailedPrecondition) {
  dir_.write("fpga0/state", "write init error\n");
  LinuxBackend backend(options_);
  const std::string message = expect_status(
      grpc::StatusCode::FAILED_PRECONDITION,
      [&] { backend.program(request()); });
  EXPECT_THAT(message, HasSubstr("the FPGA manager reports 'write init error'"));
  EXPECT_EQ(backend.windows()->list().size(), 3u);  // the old allow-list
}

TEST_F(LinuxProgramTest, Program_FirmwareAttributeRefuses_FailedPreconditionWithErrno) {
  // A directory where the attribute should be: open() for writing fails.
  std::filesystem::remove(options_.paths.fpga_manager_firmware);
  std::filesystem::create_directory(options_.paths.fpga_manager_firmware);
  LinuxBackend backend(options_);
  const std::string message = expect_status(
      grpc::StatusCode::FAILED_PRECONDITION,
      [&] { backend.program(request()); });
  EXPECT_THAT(message, HasSubstr("the FPGA manager refused " +
                                 std::string(64, 'c') + ".bin: Is a directory"));
  EXPECT_THAT(message, HasSubstr("(manager state 'operating')"));
}

TEST_F(LinuxProgramTest, Program_MainlineManagerWithoutFirmwareAttribute_SaysSo) {
  std::filesystem::remove(options_.paths.fpga_manager_firmware);
  std::filesystem::remove(options_.paths.fpga_manager_flags);
  dir_.write("fpga0/name", "Xilinx Zynq FPGA Manager\n");
  EXPECT_EQ(detect_fpga_load_interface(options_.paths), FpgaLoadInterface::kNone);
  LinuxBackend backend(options_);
  const std::string message = expect_status(
      grpc::StatusCode::FAILED_PRECONDITION,
      [&] { backend.program(request()); });
  EXPECT_EQ(message,
            "this kernel's FPGA manager 'Xilinx Zynq FPGA Manager' without a "
            "load interface: " + options_.paths.fpga_manager_firmware +
                " is missing (linux-xlnx kernels have it, mainline kernels do "
                "not), so it cannot load bitstreams");
  EXPECT_EQ(file_text(options_.paths.firmware_search_path), "\n");
}

TEST_F(LinuxProgramTest, Program_FailsAfterSuccess_PreviousDesignStillRecorded) {
  EXPECT_EQ(detect_fpga_load_interface(options_.paths),
            FpgaLoadInterface::kFirmwareAttribute);
  LinuxBackend backend(options_);
  backend.program(request());
  dir_.write("fpga0/state", "write init error\n");
  ProgramRequest next = request();
  next.sha256 = std::string(64, 'd');
  next.bitstream_file_name = next.sha256 + ".bin";
  next.design_name = "next";
  expect_status(grpc::StatusCode::FAILED_PRECONDITION,
                [&] { backend.program(next); });
  const FpgaStatus status = backend.fpga_state();
  EXPECT_EQ(status.design_name, "base");
  EXPECT_EQ(status.sha256, std::string(64, 'c'));
  EXPECT_EQ(status.manager_state, "write init error");
}

TEST_F(LinuxProgramTest, Program_BoardWithoutFpgaManager_SaysSoFirst) {
  std::filesystem::remove_all(dir_.path() / "fpga0");
  LinuxBackend backend(options_);
  ProgramRequest ddr = request();
  ddr.windows = {{"ddr", 0x00000000, 0x10000, ""}};  // also outside
  const std::string message = expect_status(
      grpc::StatusCode::FAILED_PRECONDITION, [&] { backend.program(ddr); });
  EXPECT_EQ(message, "this board has no FPGA manager (" +
                         (dir_.path() / "fpga0").string() +
                         " is missing), so it cannot load bitstreams");
  EXPECT_EQ(file_text(options_.paths.firmware_search_path), "\n");
}

TEST_F(LinuxProgramTest, Program_WindowOutsideApertures_InvalidArgument) {
  LinuxBackend backend(options_);
  ProgramRequest ddr = request();
  ddr.windows = {{"ddr", 0x00000000, 0x10000, ""}};
  const std::string message = expect_status(
      grpc::StatusCode::INVALID_ARGUMENT, [&] { backend.program(ddr); });
  EXPECT_EQ(message,
            "design window 'ddr' (0x0, 65536 bytes) lies outside the PL "
            "apertures of this board");
  EXPECT_EQ(file_text(options_.paths.fpga_manager_firmware), "");
}

}  // namespace
}  // namespace pynq_remote
