#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

#include "core/status_error.h"
#include "sensors.h"

namespace pynq_remote_ext {
namespace sysmon {
namespace {

namespace fs = std::filesystem;

// Both IIO (milli-units after scaling) and hwmon (milli-units) report
// thousandths of a degree Celsius or of a volt.
constexpr double kMilli = 1000.0;

std::optional<std::string> read_line(const fs::path& path) {
  std::ifstream file(path);
  std::string line;
  if (!file || !std::getline(file, line)) return std::nullopt;
  while (!line.empty() &&
         std::isspace(static_cast<unsigned char>(line.back()))) {
    line.pop_back();
  }
  return line;
}

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> read_number(const fs::path& path) {
  std::optional<std::string> line = read_line(path);
  return line ? parse_number(*line) : std::nullopt;
}

// Letters, digits, '_', '-' and '.' stay; anything else becomes '_'.
std::string id_part(const std::string& text) {
  std::string out = text.substr(0, 64);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' &&
        c != '.') {
      c = '_';
    }
  }
  return out;
}

// Entries of `folder` whose names start with `prefix`, sorted; none when the
// folder does not exist.
std::vector<fs::path> entries(const fs::path& folder,
                              const std::string& prefix) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().filename().string().rfind(prefix, 0) == 0) {
      found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<std::string> file_names(const fs::path& folder) {
  std::vector<std::string> names;
  for (const fs::path& path : entries(folder, "")) {
    names.push_back(path.filename().string());
  }
  return names;
}

// An IIO channel's attribute `suffix` ("scale", "offset"): the channel's
// own (in_temp0_ps_temp_scale), else the one its type shares
// (in_temp_scale), else `fallback`.
double channel_attribute(const fs::path& device, const std::string& stem,
                         const std::string& type, const std::string& suffix,
                         double fallback) {
  return read_number(device / (stem + "_" + suffix))
      .value_or(read_number(device / ("in_" + type + "_" + suffix))
                    .value_or(fallback));
}

struct LinuxSensor {
  SensorInfo info;
  fs::path value_file;  // found by enumeration, never from a request
  double offset = 0;    // added to the raw value (IIO)
  double scale = 1;     // then multiplied, giving milli-units
};

class LinuxSensors final : public SensorSource {
 public:
  explicit LinuxSensors(const fs::path& root) {
    add_iio(root / "sys/bus/iio/devices");
    add_hwmon(root / "sys/class/hwmon");
    for (const LinuxSensor& sensor : sensors_) infos_.push_back(sensor.info);
  }

  const std::vector<SensorInfo>& sensors() const override { return infos_; }

  double read(size_t index) const override {
    const LinuxSensor& sensor = sensors_.at(index);
    std::optional<double> raw = read_number(sensor.value_file);
    if (!raw) {
      throw pynq_remote::StatusError(
          grpc::StatusCode::FAILED_PRECONDITION,
          "cannot read sensor '" + sensor.info.id + "' from " +
              sensor.value_file.string());
    }
    return (*raw + sensor.offset) * sensor.scale / kMilli;
  }

 private:
  // in_temp0_ps_temp_raw, in_voltage3_vccint_raw, in_temp0_raw, ...
  void add_iio(const fs::path& devices) {
    static const std::regex channel(
        "^in_(temp|voltage)([0-9]+)(_[a-z0-9_]+)?_raw$");
    for (const fs::path& device : entries(devices, "iio:device")) {
      const std::string name =
          read_line(device / "name").value_or(device.filename().string());
      const std::string prefix =
          unique_prefix(name, device.filename().string());
      for (const std::string& file : file_names(device)) {
        std::smatch match;
        if (!std::regex_match(file, match, channel)) continue;
        const std::string type = match[1];
        const std::string stem = file.substr(0, file.size() - 4);  // no _raw
        LinuxSensor sensor;
        sensor.info.id = prefix + "." + stem.substr(3);  // no in_
        sensor.info.label = read_line(device / (stem + "_label"))
                                .value_or(match[3].length() > 0
                                              ? match[3].str().substr(1)
                                              : type + match[2].str());
        sensor.info.kind = type == "temp" ? SensorKind::kTemperature
                                          : SensorKind::kVoltage;
        sensor.info.source = "iio:" + id_part(name);
        sensor.value_file = device / file;
        sensor.scale = channel_attribute(device, stem, type, "scale", 1.0);
        sensor.offset = channel_attribute(device, stem, type, "offset", 0.0);
        if (!add(std::move(sensor))) return;
      }
    }
  }

  // temp1_input (millidegrees), in0_input (millivolts)
  void add_hwmon(const fs::path& hwmons) {
    static const std::regex channel("^(temp|in)([0-9]+)_input$");
    for (const fs::path& hwmon : entries(hwmons, "hwmon")) {
      const std::string name =
          read_line(hwmon / "name").value_or(hwmon.filename().string());
      const std::string prefix =
          unique_prefix(name, hwmon.filename().string());
      for (const std::string& file : file_names(hwmon)) {
        std::smatch match;
        if (!std::regex_match(file, match, channel)) continue;
        const std::string stem = match[1].str() + match[2].str();
        LinuxSensor sensor;
        sensor.info.id = prefix + "." + stem;
        sensor.info.label = read_line(hwmon / (stem + "_label")).value_or(stem);
        sensor.info.kind = match[1] == "temp" ? SensorKind::kTemperature
                                              : SensorKind::kVoltage;
        sensor.info.source = "hwmon:" + id_part(name);
        sensor.value_file = hwmon / file;
        if (!add(std::move(sensor))) return;
      }
    }
  }

  // The device's name, or its folder's when another device took the name.
  std::string unique_prefix(const std::string& name,
                            const std::string& folder) {
    std::string prefix = id_part(name);
    if (prefix.empty() || !prefixes_.insert(prefix).second) {
      prefix = id_part(folder);
      prefixes_.insert(prefix);
    }
    return prefix;
  }

  // False once kMaxSensors are listed.
  bool add(LinuxSensor sensor) {
    if (sensors_.size() >= kMaxSensors) return false;
    sensors_.push_back(std::move(sensor));
    return true;
  }

  std::vector<LinuxSensor> sensors_;
  std::vector<SensorInfo> infos_;
  std::set<std::string> prefixes_;
};

}  // namespace

std::unique_ptr<SensorSource> make_linux_sensors(const std::string& root) {
  return std::make_unique<LinuxSensors>(root);
}

}  // namespace sysmon
}  // namespace pynq_remote_ext
