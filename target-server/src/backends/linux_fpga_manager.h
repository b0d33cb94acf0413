// Programming through the Linux FPGA manager (sysfs) and device-tree
// overlays (configfs). Every path comes from LinuxPaths and the bitstream
// cache; the only name taken from a request is `<sha256>.bin`, built from a
// validated sha256.
#ifndef PYNQ_REMOTE_BACKENDS_LINUX_FPGA_MANAGER_H_
#define PYNQ_REMOTE_BACKENDS_LINUX_FPGA_MANAGER_H_

#include <string>

#include "backends/backend.h"
#include "backends/linux_platform.h"
#include "core/access.h"

namespace pynq_remote {

// INVALID_ARGUMENT unless `window` lies inside one of `apertures`.
void check_inside_apertures(const DesignWindow& window,
                            const MmioWindows& apertures);

// FAILED_PRECONDITION unless the FPGA manager offers linux-xlnx's firmware
// and flags attributes: boards without programmable logic (-M virt) and
// mainline kernels (their manager has no load interface) cannot load
// bitstreams, and the message says which.
void require_fpga_manager(const LinuxPaths& paths);

// Points the firmware search path at `firmware_dir`, writes the flags and
// the file name, then requires the manager to report "operating".
// FAILED_PRECONDITION otherwise, with the errno text and the manager state.
void load_bitstream(const LinuxPaths& paths, const std::string& firmware_dir,
                    const ProgramRequest& request);

// Removes the server's overlay entry when present; FAILED_PRECONDITION when
// the kernel refuses.
void remove_overlay(const LinuxPaths& paths);

// Creates the server's overlay entry and writes `dtbo` into it;
// FAILED_PRECONDITION when the kernel refuses (the entry is removed again).
void apply_overlay(const LinuxPaths& paths, const std::string& dtbo);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_LINUX_FPGA_MANAGER_H_
