#include "backends/sim_design.h"

#include <cerrno>
#include <cstdlib>
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

// Parameter `name` of `window` read as a number ("32", "0x0000FFFF"), or
// `fallback` when the window lacks it. Throws ConfigError for another value.
uint32_t parameter(const DesignWindow& window, const std::string& name,
                   uint32_t fallback) {
  const auto found = window.parameters.find(name);
  if (found == window.parameters.end()) return fallback;
  const std::string& text = found->second;
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 0);
  if (text.empty() || text[0] == '-' || *end != '\0' || errno != 0 ||
      value > UINT32_MAX) {
    throw ConfigError("window '" + window.name + "': parameter " + name +
                      " = '" + text + "' is not a 32-bit number");
  }
  return static_cast<uint32_t>(value);
}

// One channel of an AXI GPIO from its C_* parameters; `suffix` is "" for
// channel 1 and "_2" for channel 2 (whose width is C_GPIO2_WIDTH). The
// defaults are the IP's: 32 pins, neither all inputs nor all outputs,
// data 0, every pin an input.
void gpio_channel(const DesignWindow& window, const std::string& suffix,
                  config::AxiGpioChannel* channel) {
  channel->set_width(parameter(
      window, suffix.empty() ? "C_GPIO_WIDTH" : "C_GPIO2_WIDTH", 32));
  channel->set_all_inputs(parameter(window, "C_ALL_INPUTS" + suffix, 0) != 0);
  channel->set_all_outputs(parameter(window, "C_ALL_OUTPUTS" + suffix, 0) !=
                           0);
  channel->set_dout_default(parameter(window, "C_DOUT_DEFAULT" + suffix, 0));
  channel->set_tri_default(
      parameter(window, "C_TRI_DEFAULT" + suffix, 0xFFFFFFFF));
}

// The sim's model for one window of a design, picked by its IP type and
// configured by its parameters.
config::Window model_config(const DesignWindow& window) {
  config::Window out;
  out.set_name(window.name);
  out.set_base_address(window.base);
  out.set_size(window.size);
  const std::string ip = ip_name(window.ip_type);
  if (ip == "axi_gpio") {
    config::AxiGpio* gpio = out.mutable_axi_gpio();
    gpio_channel(window, "", gpio->mutable_channel1());
    if (parameter(window, "C_IS_DUAL", 0) != 0) {
      gpio_channel(window, "_2", gpio->mutable_channel2());
    }
  } else if (ip == "axi_dma") {
    out.mutable_axi_dma()->set_length_width(
        parameter(window, "c_sg_length_width", 26));
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
