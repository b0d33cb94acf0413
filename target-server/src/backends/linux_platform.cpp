#include "backends/linux_platform.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace pynq_remote {
namespace {

// The whole file, or nothing when it cannot be read.
std::optional<std::string> read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Device-tree strings end in NUL, sysfs values in a newline.
std::string trim_end(std::string text) {
  while (!text.empty() &&
         (text.back() == '\0' || text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> parts;
  std::istringstream stream(text);
  std::string part;
  while (std::getline(stream, part, '\0')) parts.push_back(part);
  return parts;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A device-tree cell: 4 bytes, big-endian.
std::optional<uint32_t> read_cell(const std::string& path) {
  const auto bytes = read_text(path);
  if (!bytes || bytes->size() != 4) return std::nullopt;
  uint32_t value = 0;
  for (const char byte : *bytes) value = value << 8 | static_cast<uint8_t>(byte);
  return value;
}

// The first node under `root` (depth first) that `matches` accepts.
template <typename Match>
std::optional<std::filesystem::path> find_node(const std::string& root,
                                               Match matches) {
  std::error_code error;
  const auto options =
      std::filesystem::directory_options::skip_permission_denied;
  for (std::filesystem::recursive_directory_iterator it(root, options, error),
       end;
       !error && it != end; it.increment(error)) {
    if (it->is_directory(error) && matches(it->path())) return it->path();
  }
  return std::nullopt;
}

bool has_compatible(const std::filesystem::path& node, const std::string& name) {
  const auto compatible = read_text((node / "compatible").string());
  if (!compatible) return false;
  for (const std::string& entry : split_nul(*compatible)) {
    if (entry == name) return true;
  }
  return false;
}

std::string fpga_manager_dir(const LinuxPaths& paths) {
  return paths.fpga_manager_state.substr(0, paths.fpga_manager_state.rfind('/'));
}

}  // namespace

std::string detect_platform(const LinuxPaths& paths) {
  const auto compatible = read_text(paths.device_tree + "/compatible");
  if (!compatible) return "";
  for (const std::string& entry : split_nul(*compatible)) {
    if (entry == "xlnx,zynqmp") return "zynqmp";
    if (entry == "xlnx,zynq-7000") return "zynq";
    if (entry == "linux,dummy-virt") return "qemu-virt";
  }
  return "";
}

std::string detect_board(const LinuxPaths& paths) {
  const auto chosen = read_text(paths.device_tree + "/chosen/pynq_board");
  if (chosen && !trim_end(*chosen).empty()) return trim_end(*chosen);
  // QEMU's virt machine repeats its compatible string as its model.
  if (detect_platform(paths) == "qemu-virt") return "QEMU virt";
  const auto model = read_text(paths.device_tree + "/model");
  if (model && !trim_end(*model).empty()) return trim_end(*model);
  return "unknown";
}

std::vector<MmioWindow> platform_windows(const std::string& platform) {
  if (platform == "zynqmp") {
    return {{"m_axi_hpm0_lpd", 0x80000000, 0x20000000},
            {"m_axi_hpm0_fpd", 0xA0000000, 0x10000000},
            {"m_axi_hpm1_fpd", 0xB0000000, 0x10000000}};
  }
  if (platform == "zynq") {
    return {{"m_axi_gp0", 0x40000000, 0x40000000},
            {"m_axi_gp1", 0x80000000, 0x40000000}};
  }
  if (platform == "qemu-virt") {
    // The 32 virtio-mmio transports of QEMU's virt machine (0x200 bytes
    // each). The emulated target's NIC sits on PCI, so no driver claims
    // them and /dev/mem may map them; each answers its magic 0x74726976.
    return {{"virtio_mmio", 0x0a000000, 0x4000}};
  }
  return {};
}

double detect_ps_reference_mhz(const LinuxPaths& paths,
                               const std::string& platform) {
  std::optional<std::filesystem::path> node;
  std::string property;
  if (platform == "zynq") {
    node = find_node(paths.device_tree, [](const std::filesystem::path& path) {
      return has_compatible(path, "xlnx,ps7-clkc");
    });
    property = "ps-clk-frequency";
  } else if (platform == "zynqmp") {
    node = find_node(paths.device_tree, [](const std::filesystem::path& path) {
      return path.filename() == "pss_ref_clk";
    });
    property = "clock-frequency";
  }
  if (!node) return 0;
  const auto hertz = read_cell((*node / property).string());
  return hertz ? *hertz / 1e6 : 0;
}

FpgaLoadInterface detect_fpga_load_interface(const LinuxPaths& paths) {
  if (::access(paths.fpga_manager_state.c_str(), F_OK) != 0) {
    return FpgaLoadInterface::kNoManager;
  }
  if (::access(paths.fpga_manager_firmware.c_str(), F_OK) == 0 &&
      ::access(paths.fpga_manager_flags.c_str(), F_OK) == 0) {
    return FpgaLoadInterface::kFirmwareAttribute;
  }
  return FpgaLoadInterface::kNone;
}

std::string describe_fpga_manager(const LinuxPaths& paths) {
  const std::string dir = fpga_manager_dir(paths);
  switch (detect_fpga_load_interface(paths)) {
    case FpgaLoadInterface::kNoManager:
      return "no FPGA manager (" + dir + " is missing)";
    case FpgaLoadInterface::kNone: {
      const auto name = read_text(dir + "/name");
      return "FPGA manager '" + (name ? trim_end(*name) : std::string("?")) +
             "' without a load interface: " + paths.fpga_manager_firmware +
             " is missing (linux-xlnx kernels have it, mainline kernels do "
             "not)";
    }
    case FpgaLoadInterface::kFirmwareAttribute: {
      const auto name = read_text(dir + "/name");
      return "FPGA manager '" + (name ? trim_end(*name) : std::string("?")) +
             "', loading through its firmware attribute";
    }
  }
  return "";
}

FpgaState fpga_state_from_manager(const std::string& manager_state) {
  if (manager_state == "operating") return FpgaState::kOperating;
  if (manager_state.empty() || manager_state == "unknown") {
    return FpgaState::kUnknown;
  }
  if (ends_with(manager_state, " error") || manager_state == "power off" ||
      manager_state == "power up" || manager_state == "reset") {
    return FpgaState::kUnprogrammed;
  }
  if (manager_state == "firmware request" || manager_state == "parse header" ||
      manager_state == "write init" || manager_state == "write" ||
      manager_state == "write complete") {
    return FpgaState::kProgramming;
  }
  return FpgaState::kUnknown;
}

FpgaStatus read_fpga_status(const LinuxPaths& paths) {
  FpgaStatus status;
  if (const auto text = read_text(paths.fpga_manager_state)) {
    status.manager_state = trim_end(*text);
  }
  status.state = fpga_state_from_manager(status.manager_state);
  return status;
}

}  // namespace pynq_remote
