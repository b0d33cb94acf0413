#include <chrono>
#include <cmath>
#include <utility>

#include "sensors.h"

namespace pynq_remote_ext {
namespace sysmon {
namespace {

// One modelled sensor: nominal + amplitude * sin(2 pi t / period + phase).
struct Model {
  const char* id;
  SensorKind kind;
  double nominal;
  double amplitude;
  double period_s;
  double phase;
};

constexpr SensorKind kTemp = SensorKind::kTemperature;
constexpr SensorKind kVolt = SensorKind::kVoltage;

// Ids as the linux source names the Zynq UltraScale+ AMS channels, so host
// code runs unchanged against the sim and a board.
constexpr Model kAms[] = {
    {"ams.temp0_ps_temp", kTemp, 45.0, 2.0, 60.0, 0.0},
    {"ams.temp1_remote_temp", kTemp, 43.0, 1.5, 75.0, 1.0},
    {"ams.temp2_pl_temp", kTemp, 48.0, 3.0, 90.0, 2.0},
    {"ams.voltage0_vccint", kVolt, 0.850, 0.004, 20.0, 0.0},
    {"ams.voltage1_vccaux", kVolt, 1.800, 0.006, 25.0, 0.5},
    {"ams.voltage2_vccbram", kVolt, 0.850, 0.004, 30.0, 1.0},
    {"ams.voltage3_vcc_psintlp", kVolt, 0.850, 0.003, 35.0, 1.5},
    {"ams.voltage4_vcc_psintfp", kVolt, 0.850, 0.003, 40.0, 2.0},
    {"ams.voltage5_vcc_psaux", kVolt, 1.800, 0.005, 45.0, 2.5},
};

// The Zynq-7000 XADC.
constexpr Model kXadc[] = {
    {"xadc.temp0", kTemp, 50.0, 2.5, 60.0, 0.0},
    {"xadc.voltage0_vccint", kVolt, 1.000, 0.005, 20.0, 0.0},
    {"xadc.voltage1_vccaux", kVolt, 1.800, 0.006, 25.0, 0.5},
    {"xadc.voltage2_vccbram", kVolt, 1.000, 0.005, 30.0, 1.0},
    {"xadc.voltage3_vccpint", kVolt, 1.000, 0.004, 35.0, 1.5},
    {"xadc.voltage4_vccpaux", kVolt, 1.800, 0.005, 40.0, 2.0},
    {"xadc.voltage5_vccoddr", kVolt, 1.350, 0.005, 45.0, 2.5},
};

constexpr double kTwoPi = 6.283185307179586;

std::function<double()> seconds_since_now() {
  const auto start = std::chrono::steady_clock::now();
  return [start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
}

class SimSensors final : public SensorSource {
 public:
  SimSensors(const Model* begin, const Model* end,
             std::function<double()> seconds)
      : models_(begin, end), seconds_(std::move(seconds)) {
    for (const Model& model : models_) {
      const std::string id = model.id;
      const std::string channel = id.substr(id.find('.') + 1);
      const size_t underscore = channel.find('_');
      const std::string label = underscore == std::string::npos
                                    ? channel
                                    : channel.substr(underscore + 1);
      infos_.push_back(SensorInfo{id, label, model.kind, "sim"});
    }
  }

  const std::vector<SensorInfo>& sensors() const override { return infos_; }

  double read(size_t index) const override {
    const Model& model = models_.at(index);
    return model.nominal +
           model.amplitude *
               std::sin(kTwoPi * seconds_() / model.period_s + model.phase);
  }

 private:
  std::vector<Model> models_;
  std::function<double()> seconds_;
  std::vector<SensorInfo> infos_;
};

}  // namespace

std::unique_ptr<SensorSource> make_sim_sensors(
    const std::string& platform, std::function<double()> seconds) {
  if (!seconds) seconds = seconds_since_now();
  if (platform == "zynq") {
    return std::make_unique<SimSensors>(std::begin(kXadc), std::end(kXadc),
                                        std::move(seconds));
  }
  return std::make_unique<SimSensors>(std::begin(kAms), std::end(kAms),
                                      std::move(seconds));
}

}  // namespace sysmon
}  // namespace pynq_remote_ext
