#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/status_error.h"
#include "sensors.h"
#include "tests/fake_sysfs.h"

namespace pynq_remote_ext {
namespace sysmon {
namespace {

constexpr const char* kAms = "sys/bus/iio/devices/iio:device0/";
constexpr const char* kHwmon = "sys/class/hwmon/hwmon0/";

// The AMS as the xilinx-ams driver shows it: per-channel scale and offset.
void write_ams(const FakeSysfs& sysfs) {
  const std::string ams = kAms;
  sysfs.write(ams + "name", "ams");
  sysfs.write(ams + "in_temp0_ps_temp_raw", "40000");
  sysfs.write(ams + "in_temp0_ps_temp_scale", "7.771514892");
  sysfs.write(ams + "in_temp0_ps_temp_offset", "-36058");
  sysfs.write(ams + "in_voltage0_vccint_raw", "13926");
  sysfs.write(ams + "in_voltage0_vccint_scale", "0.045776367");
  sysfs.write(ams + "sampling_frequency", "1000");
}

const SensorInfo* find(const SensorSource& source, const std::string& id,
                       size_t* index) {
  const auto& sensors = source.sensors();
  for (size_t i = 0; i < sensors.size(); ++i) {
    if (sensors[i].id == id) {
      *index = i;
      return &sensors[i];
    }
  }
  return nullptr;
}

TEST(LinuxSensorsTests, Iio_AmsChannels_ListedWithScaledValues) {
  FakeSysfs sysfs;
  write_ams(sysfs);
  auto source = make_linux_sensors(sysfs.root());

  ASSERT_EQ(source->sensors().size(), 2u);
  size_t index = 0;
  const SensorInfo* temp = find(*source, "ams.temp0_ps_temp", &index);
  ASSERT_NE(temp, nullptr);
  EXPECT_EQ(temp->label, "ps_temp");
  EXPECT_EQ(temp->kind, SensorKind::kTemperature);
  EXPECT_EQ(temp->source, "iio:ams");
  EXPECT_NEAR(source->read(index), (40000 - 36058) * 7.771514892 / 1000, 1e-9);
  const SensorInfo* vccint = find(*source, "ams.voltage0_vccint", &index);
  ASSERT_NE(vccint, nullptr);
  EXPECT_EQ(vccint->kind, SensorKind::kVoltage);
  EXPECT_NEAR(source->read(index), 13926 * 0.045776367 / 1000, 1e-9);
}

TEST(LinuxSensorsTests, Iio_XadcSharedScale_UsedForEveryChannel) {
  FakeSysfs sysfs;
  const std::string xadc = "sys/bus/iio/devices/iio:device1/";
  sysfs.write(xadc + "name", "xadc");
  sysfs.write(xadc + "in_temp0_raw", "2600");
  sysfs.write(xadc + "in_temp0_offset", "-2219");
  sysfs.write(xadc + "in_temp0_scale", "123.040771484");
  sysfs.write(xadc + "in_voltage0_vccint_raw", "1365");
  sysfs.write(xadc + "in_voltage_scale", "0.732421875");
  auto source = make_linux_sensors(sysfs.root());

  size_t index = 0;
  const SensorInfo* temp = find(*source, "xadc.temp0", &index);
  ASSERT_NE(temp, nullptr);
  EXPECT_EQ(temp->label, "temp0");
  EXPECT_NEAR(source->read(index), (2600 - 2219) * 123.040771484 / 1000, 1e-9);
  ASSERT_NE(find(*source, "xadc.voltage0_vccint", &index), nullptr);
  EXPECT_NEAR(source->read(index), 1365 * 0.732421875 / 1000, 1e-9);
}

TEST(LinuxSensorsTests, Hwmon_TempAndIn_InDegreesAndVolts) {
  FakeSysfs sysfs;
  const std::string hwmon = kHwmon;
  sysfs.write(hwmon + "name", "ina226");
  sysfs.write(hwmon + "in1_input", "12040");
  sysfs.write(hwmon + "in1_label", "vbus");
  sysfs.write(hwmon + "temp1_input", "51250");
  sysfs.write(hwmon + "curr1_input", "730");
  auto source = make_linux_sensors(sysfs.root());

  ASSERT_EQ(source->sensors().size(), 2u);
  size_t index = 0;
  const SensorInfo* vbus = find(*source, "ina226.in1", &index);
  ASSERT_NE(vbus, nullptr);
  EXPECT_EQ(vbus->label, "vbus");
  EXPECT_EQ(vbus->source, "hwmon:ina226");
  EXPECT_DOUBLE_EQ(source->read(index), 12.04);
  ASSERT_NE(find(*source, "ina226.temp1", &index), nullptr);
  EXPECT_DOUBLE_EQ(source->read(index), 51.25);
}

TEST(LinuxSensorsTests, SameNameTwice_SecondUsesItsFolder) {
  FakeSysfs sysfs;
  sysfs.write("sys/class/hwmon/hwmon0/name", "ina226");
  sysfs.write("sys/class/hwmon/hwmon0/in1_input", "1000");
  sysfs.write("sys/class/hwmon/hwmon1/name", "ina226");
  sysfs.write("sys/class/hwmon/hwmon1/in1_input", "2000");
  auto source = make_linux_sensors(sysfs.root());

  size_t index = 0;
  ASSERT_NE(find(*source, "ina226.in1", &index), nullptr);
  EXPECT_DOUBLE_EQ(source->read(index), 1.0);
  ASSERT_NE(find(*source, "hwmon1.in1", &index), nullptr);
  EXPECT_DOUBLE_EQ(source->read(index), 2.0);
}

TEST(LinuxSensorsTests, NoSysfs_NoSensors) {
  FakeSysfs sysfs;
  EXPECT_TRUE(make_linux_sensors(sysfs.root())->sensors().empty());
}

TEST(LinuxSensorsTests, ValueFileGone_FailedPreconditionNamingSensor) {
  FakeSysfs sysfs;
  write_ams(sysfs);
  auto source = make_linux_sensors(sysfs.root());
  std::filesystem::remove(std::filesystem::path(sysfs.root()) / kAms /
                          "in_voltage0_vccint_raw");
  size_t index = 0;
  ASSERT_NE(find(*source, "ams.voltage0_vccint", &index), nullptr);

  try {
    source->read(index);
    FAIL() << "read of a missing file succeeded";
  } catch (const pynq_remote::StatusError& error) {
    EXPECT_EQ(error.code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(std::string(error.what()).find("ams.voltage0_vccint"),
              std::string::npos);
  }
}

TEST(LinuxSensorsTests, ManyChannels_ListStopsAtLimit) {
  FakeSysfs sysfs;
  sysfs.write("sys/class/hwmon/hwmon0/name", "big");
  for (size_t i = 0; i < kMaxSensors + 10; ++i) {
    sysfs.write("sys/class/hwmon/hwmon0/temp" + std::to_string(i) + "_input",
                "1000");
  }
  EXPECT_EQ(make_linux_sensors(sysfs.root())->sensors().size(), kMaxSensors);
}

}  // namespace
}  // namespace sysmon
}  // namespace pynq_remote_ext
