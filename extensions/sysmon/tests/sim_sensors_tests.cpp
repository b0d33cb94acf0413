#include <gtest/gtest.h>

#include "sensors.h"

namespace pynq_remote_ext {
namespace sysmon {
namespace {

TEST(SimSensorsTests, Zynqmp_AmsIdsWithPlausibleValues) {
  auto source = make_sim_sensors("zynqmp", [] { return 12.5; });

  const auto& sensors = source->sensors();
  ASSERT_FALSE(sensors.empty());
  EXPECT_EQ(sensors[0].id, "ams.temp0_ps_temp");
  EXPECT_EQ(sensors[0].label, "ps_temp");
  for (size_t i = 0; i < sensors.size(); ++i) {
    const double value = source->read(i);
    if (sensors[i].kind == SensorKind::kTemperature) {
      EXPECT_GT(value, 30.0) << sensors[i].id;
      EXPECT_LT(value, 60.0) << sensors[i].id;
    } else {
      EXPECT_GT(value, 0.8) << sensors[i].id;
      EXPECT_LT(value, 1.9) << sensors[i].id;
    }
  }
}

TEST(SimSensorsTests, Zynq_XadcIds) {
  auto source = make_sim_sensors("zynq", [] { return 0.0; });
  EXPECT_EQ(source->sensors()[0].id, "xadc.temp0");
  EXPECT_EQ(source->sensors()[0].label, "temp0");
}

TEST(SimSensorsTests, SameTime_SameValue_OtherTime_Varies) {
  double now = 3.0;
  auto source = make_sim_sensors("zynqmp", [&now] { return now; });
  const double first = source->read(0);
  EXPECT_DOUBLE_EQ(source->read(0), first);
  now = 18.0;
  EXPECT_NE(source->read(0), first);
}

}  // namespace
}  // namespace sysmon
}  // namespace pynq_remote_ext
