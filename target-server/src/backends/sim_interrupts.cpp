// The sim's GIC: interrupt levels carried from the models through the
// design's wires and AXI INTCs to the lines a client opened.
#include <algorithm>
#include <map>
#include <utility>

#include "backends/sim_backend.h"
#include "core/status_error.h"

namespace pynq_remote {

SimBackend::Firing SimBackend::propagate_locked(const SimDesign& design) {
  // A wire may feed a controller listed before it: one pass per wire
  // settles every chain.
  for (size_t pass = 0; pass < design.wires.size(); ++pass) {
    for (const SimWire& wire : design.wires) {
      if (wire.controller != nullptr) {
        wire.controller->set_input(wire.index, wire.source->irq_output());
      }
    }
  }
  std::map<uint32_t, bool> gic_levels;
  for (const SimWire& wire : design.wires) {
    if (wire.controller == nullptr && wire.source->irq_output()) {
      gic_levels[wire.index] = true;
    }
  }
  Firing firing;
  for (auto& entry : gic_) {
    GicLine& line = entry.second;
    auto found = gic_levels.find(entry.first);
    line.level = found != gic_levels.end() && found->second;
    if (line.handler && line.armed && line.level) {
      line.armed = false;
      firing.emplace_back(entry.first, line.handler);
    }
  }
  return firing;
}

void SimBackend::deliver(Firing firing,
                         std::unique_lock<std::mutex> model_lock) {
  if (firing.empty()) return;
  std::lock_guard<std::mutex> dispatch(dispatch_mutex_);
  model_lock.unlock();
  for (const auto& fired : firing) fired.second(fired.first);
}

std::vector<uint32_t> SimBackend::Interrupts::available() {
  std::lock_guard<std::mutex> lock(backend_.model_mutex_);
  std::vector<uint32_t> lines;
  for (const auto& entry : backend_.gic_) lines.push_back(entry.first);
  return lines;
}

void SimBackend::Interrupts::open(uint32_t line, Handler handler) {
  const std::shared_ptr<const SimDesign> current = backend_.design();
  std::unique_lock<std::mutex> lock(backend_.model_mutex_);
  auto found = backend_.gic_.find(line);
  if (found == backend_.gic_.end()) {
    throw StatusError(grpc::StatusCode::NOT_FOUND,
                      "no interrupt line " + std::to_string(line) +
                          " on this board");
  }
  if (found->second.handler) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "interrupt line " + std::to_string(line) +
                          " is open already");
  }
  found->second.handler = std::move(handler);
  found->second.armed = true;
  backend_.deliver(backend_.propagate_locked(*current), std::move(lock));
}

void SimBackend::Interrupts::rearm(uint32_t line) {
  const std::shared_ptr<const SimDesign> current = backend_.design();
  std::unique_lock<std::mutex> lock(backend_.model_mutex_);
  auto found = backend_.gic_.find(line);
  if (found == backend_.gic_.end() || !found->second.handler) return;
  found->second.armed = true;
  backend_.deliver(backend_.propagate_locked(*current), std::move(lock));
}

void SimBackend::Interrupts::close(uint32_t line) {
  {
    std::lock_guard<std::mutex> lock(backend_.model_mutex_);
    auto found = backend_.gic_.find(line);
    if (found == backend_.gic_.end()) return;
    found->second.handler = nullptr;
    found->second.armed = false;
  }
  // A delivery that took the handler before it was removed ends first.
  std::lock_guard<std::mutex> dispatch(backend_.dispatch_mutex_);
}

size_t SimBackend::Interrupts::open_lines() {
  std::lock_guard<std::mutex> lock(backend_.model_mutex_);
  return static_cast<size_t>(std::count_if(
      backend_.gic_.begin(), backend_.gic_.end(),
      [](const auto& entry) { return static_cast<bool>(entry.second.handler); }));
}

}  // namespace pynq_remote
