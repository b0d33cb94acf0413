// What the linux backend learns from procfs and sysfs: the SoC family, the
// board name, the FPGA manager state, and the built-in MMIO windows.
#ifndef PYNQ_REMOTE_BACKENDS_LINUX_PLATFORM_H_
#define PYNQ_REMOTE_BACKENDS_LINUX_PLATFORM_H_

#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/access.h"

namespace pynq_remote {

// Where the files are; tests point these at a temporary folder. Never set
// from anything a client sends.
struct LinuxPaths {
  std::string device_tree = "/proc/device-tree";
  std::string fpga_manager_state = "/sys/class/fpga_manager/fpga0/state";
  std::string fpga_manager_flags = "/sys/class/fpga_manager/fpga0/flags";
  std::string fpga_manager_firmware = "/sys/class/fpga_manager/fpga0/firmware";
  // The kernel's extra firmware search folder; set to the bitstream cache.
  std::string firmware_search_path =
      "/sys/module/firmware_class/parameters/path";
  // configfs device-tree overlays; the server uses one fixed entry in it.
  std::string overlays = "/sys/kernel/config/device-tree/overlays";
  // Device nodes: gpiochipN (GPIO character devices) and uioN.
  std::string dev = "/dev";
  // UIO devices, each with device/of_node/interrupts.
  std::string uio_class = "/sys/class/uio";
  // Who claims which physical range; named in /dev/mem refusals.
  std::string iomem = "/proc/iomem";
};

// The name of the server's overlay entry under LinuxPaths::overlays.
constexpr char kOverlayEntry[] = "pynq-remote";

// "zynqmp", "zynq" or "qemu-virt" (QEMU's `-M virt`, the emulated target)
// from the device tree's root compatible strings; empty when they name none
// or cannot be read.
std::string detect_platform(const LinuxPaths& paths);

// chosen/pynq_board, else model, else "QEMU virt" on qemu-virt, else
// "unknown".
std::string detect_board(const LinuxPaths& paths);

// The PL apertures of `platform` ("zynqmp" or "zynq"), the virtio-mmio
// transports on "qemu-virt"; empty otherwise.
std::vector<MmioWindow> platform_windows(const std::string& platform);

// The PS reference clock the device tree gives, in MHz: the
// ps-clk-frequency of the "xlnx,ps7-clkc" node on "zynq", the
// clock-frequency of the pss_ref_clk node on "zynqmp"; 0 when absent.
double detect_ps_reference_mhz(const LinuxPaths& paths,
                               const std::string& platform);

// How the kernel's FPGA manager takes a bitstream from user space:
// kFirmwareAttribute (linux-xlnx's `firmware` and `flags` attributes),
// kNone (a manager without them: mainline kernels), kNoManager.
enum class FpgaLoadInterface { kNoManager, kNone, kFirmwareAttribute };
FpgaLoadInterface detect_fpga_load_interface(const LinuxPaths& paths);
// One line for logs and errors, e.g. "Xilinx Zynq FPGA Manager: no load
// interface (...)".
std::string describe_fpga_manager(const LinuxPaths& paths);

// Maps a Linux FPGA manager state string ("operating", "write init", ...).
FpgaState fpga_state_from_manager(const std::string& manager_state);

// The FPGA manager's state, UNKNOWN with an empty string when unreadable.
FpgaStatus read_fpga_status(const LinuxPaths& paths);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_LINUX_PLATFORM_H_
