// Where readings come from: the board's sysfs (linux_sensors.cpp) or a model
// of it (sim_sensors.cpp).
#ifndef PYNQ_REMOTE_EXT_SYSMON_SENSORS_H_
#define PYNQ_REMOTE_EXT_SYSMON_SENSORS_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pynq_remote_ext {
namespace sysmon {

enum class SensorKind { kTemperature, kVoltage };

struct SensorInfo {
  std::string id;      // e.g. "ams.temp0_ps_temp"
  std::string label;   // e.g. "ps_temp"
  SensorKind kind = SensorKind::kTemperature;
  std::string source;  // e.g. "iio:ams", "hwmon:cpu_thermal", "sim"
};

// Most sensors one source lists; enumeration stops there.
constexpr size_t kMaxSensors = 256;

// A fixed set of sensors, found once. Thread safe.
class SensorSource {
 public:
  virtual ~SensorSource() = default;
  virtual const std::vector<SensorInfo>& sensors() const = 0;
  // The value of sensors()[index] now, in degrees Celsius or volts; throws
  // a pynq_remote::StatusError when the sensor cannot be read.
  virtual double read(size_t index) const = 0;
};

// The IIO devices (/sys/bus/iio/devices/iio:deviceN: the AMS of Zynq
// UltraScale+, the XADC of Zynq-7000) and hwmon devices
// (/sys/class/hwmon/hwmonN) under `root`, "/" on a board. Files are read
// only at the paths found here.
std::unique_ptr<SensorSource> make_linux_sensors(const std::string& root);

// A model of the AMS (or, for `platform` "zynq", the XADC) with the same
// sensor ids, values varying slowly around their nominal ones. `seconds`
// gives the model's time; by default, seconds since it was made.
std::unique_ptr<SensorSource> make_sim_sensors(
    const std::string& platform, std::function<double()> seconds = nullptr);

}  // namespace sysmon
}  // namespace pynq_remote_ext

#endif  // PYNQ_REMOTE_EXT_SYSMON_SENSORS_H_
