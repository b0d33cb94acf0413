#include "backends/sim_design.h"

#include <sstream>
#include <string>

#include "core/board_config.h"
#include "core/limits.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

// The name part of a VLNV "vendor:library:name:version"; the whole string
// when it has no colons.
std::string ip_name(const std::string& vlnv) {
  std::vector<std::string> parts;
  std::istringstream stream(vlnv);
  std::string part;
  while (std::getline(stream, part, ':')) parts.push_back(part);
  return parts.size() >= 3 ? parts[2] : vlnv;
}

// The sim's model for one window of a design, picked by its IP type.
config::Window model_config(const DesignWindow& window) {
  config::Window out;
  out.set_name(window.name);
  out.set_base_address(window.base);
  out.set_size(window.size);
  const std::string ip = ip_name(window.ip_type);
  if (ip == "axi_gpio") {
    config::AxiGpioChannel* channel =
        out.mutable_axi_gpio()->mutable_channel1();
    channel->set_width(32);
    channel->set_tri_default(0xFFFFFFFF);
  } else if (ip == "axi_dma") {
    out.mutable_axi_dma()->set_length_width(26);
  } else if (ip == "axi_intc") {
    // Vivado's default C_KIND_OF_INTR: every input rising-edge sensitive.
    out.mutable_axi_intc()->set_inputs(32);
    out.mutable_axi_intc()->set_kind_of_intr(0xFFFFFFFF);
  } else {
    out.mutable_registers();
  }
  return out;
}

}  // namespace

std::unique_ptr<WindowModel> design_model(const DesignWindow& window,
                                          BufferMemory* memory) {
  try {
    return make_window_model(model_config(window), memory);
  } catch (const ConfigError& error) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      std::string("design ") + error.what());
  }
}

void check_clear_of_pool(const MmioWindows& windows,
                         const BufferMemory* memory) {
  if (memory == nullptr) return;
  try {
    check_buffer_range("buffer_pool", memory->base(), memory->size(), windows);
  } catch (const ConfigError& error) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, error.what());
  }
}

StatusError bad_wire(const DesignInterrupt& wire, const std::string& why) {
  return StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                     "interrupt of '" + wire.source + "' " + why);
}

// The wires of `design` between its models, checked.
std::vector<SimWire> build_wires(const std::vector<DesignInterrupt>& wires,
                                 const SimDesign& design) {
  if (wires.size() > kMaxDesignWindows) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      std::to_string(wires.size()) +
                          " interrupt wires exceed the limit of " +
                          std::to_string(kMaxDesignWindows));
  }
  auto model_named = [&](const std::string& name) -> WindowModel* {
    const std::vector<MmioWindow>& list = design.windows.list();
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i].name == name) return design.models[i].get();
    }
    return nullptr;
  };
  std::vector<SimWire> out;
  for (const DesignInterrupt& wire : wires) {
    SimWire sim_wire;
    sim_wire.source = model_named(wire.source);
    if (sim_wire.source == nullptr) {
      throw bad_wire(wire, "comes from no window of the design");
    }
    sim_wire.index = wire.index;
    if (!wire.controller.empty()) {
      sim_wire.controller =
          dynamic_cast<AxiIntcModel*>(model_named(wire.controller));
      if (sim_wire.controller == nullptr) {
        throw bad_wire(wire, "goes into '" + wire.controller +
                                 "', which is not an axi_intc window");
      }
      if (wire.index >= 32) {
        throw bad_wire(wire, "goes into input " + std::to_string(wire.index) +
                                 " of '" + wire.controller +
                                 "', which has 32 at most");
      }
    }
    out.push_back(sim_wire);
  }
  return out;
}

std::vector<DesignInterrupt> config_wires(const config::BoardConfig& config) {
  std::vector<DesignInterrupt> wires;
  for (const config::InterruptWire& wire : config.interrupts()) {
    wires.push_back(DesignInterrupt{wire.source(), wire.controller(),
                                    wire.index()});
  }
  return wires;
}

}  // namespace pynq_remote
