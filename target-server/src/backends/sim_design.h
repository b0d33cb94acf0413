// Assembling the simulated FPGA's contents: a model per window of a design
// (picked by IP type) and the interrupt wires between them.
#ifndef PYNQ_REMOTE_BACKENDS_SIM_DESIGN_H_
#define PYNQ_REMOTE_BACKENDS_SIM_DESIGN_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "backends/backend.h"
#include "backends/sim_axi_intc.h"
#include "backends/sim_models.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

// One interrupt wire between models of a design.
struct SimWire {
  const WindowModel* source = nullptr;
  AxiIntcModel* controller = nullptr;  // nullptr: into GIC line `index`
  uint32_t index = 0;
};

// What the simulated FPGA holds: the allow-list, a model per window and the
// state reported. Immutable once built, apart from the models' registers.
struct SimDesign {
  MmioWindows windows;
  // models[i] answers windows.list()[i].
  std::vector<std::unique_ptr<WindowModel>> models;
  // In the order they were given; sources may feed controllers in any order.
  std::vector<SimWire> wires;
  FpgaStatus status;
};

// The model of one window of a programmed design, by its IP type and its
// parameters: axi_gpio -> AXI GPIO as its C_GPIO_WIDTH, C_ALL_INPUTS,
// C_ALL_OUTPUTS, C_DOUT_DEFAULT, C_TRI_DEFAULT, C_IS_DUAL and their channel 2
// counterparts (C_GPIO2_WIDTH, C_ALL_INPUTS_2, ...) say, with the IP's
// defaults for those absent (one 32-bit channel, all inputs after reset);
// axi_dma -> AXI DMA over `memory` with c_sg_length_width (26 when absent);
// axi_intc -> AXI INTC with 32 rising-edge inputs (Vivado's default);
// others -> a register file. INVALID_ARGUMENT when a parameter is not a
// number or the model cannot be built.
std::unique_ptr<WindowModel> design_model(const DesignWindow& window,
                                          BufferMemory* memory);

// INVALID_ARGUMENT when a window of `windows` overlaps the buffer memory.
void check_clear_of_pool(const MmioWindows& windows,
                         const BufferMemory* memory);

// The wires of `design` between its models, checked: INVALID_ARGUMENT for
// too many wires, an unknown source, or a controller that is not an
// axi_intc window or lacks the input.
std::vector<SimWire> build_wires(const std::vector<DesignInterrupt>& wires,
                                 const SimDesign& design);

// The interrupt wires a board config lists.
std::vector<DesignInterrupt> config_wires(const config::BoardConfig& config);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_DESIGN_H_
