#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>

#include "core/access.h"
#include "core/status_error.h"
#include "unit/expect_status.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;

MmioWindows two_windows() {
  return MmioWindows(
      {{"gpio", 0xA0000000, 0x10000}, {"top", 0xFFFFFFFFFFFFF000, 0x1000}});
}

TEST(AccessTests, WidthBytes_AllWidths_MapToBytes) {
  EXPECT_EQ(width_bytes(v1::WIDTH_8), 1u);
  EXPECT_EQ(width_bytes(v1::WIDTH_16), 2u);
  EXPECT_EQ(width_bytes(v1::WIDTH_32), 4u);
  EXPECT_EQ(width_bytes(v1::WIDTH_64), 8u);
}

TEST(AccessTests, WidthBytes_UnspecifiedOrUnknown_InvalidArgument) {
  for (int width : {0, 5, -1}) {
    const std::string message =
        expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                      [&] { width_bytes(static_cast<v1::Width>(width)); });
    EXPECT_EQ(message, "width must be 8, 16, 32 or 64 bits");
  }
}

TEST(AccessTests, CheckValueFits_EdgesOfEachWidth_AcceptsMaxRejectsMaxPlusOne) {
  check_value_fits(0xFF, 1);
  check_value_fits(0xFFFF, 2);
  check_value_fits(0xFFFFFFFF, 4);
  check_value_fits(UINT64_MAX, 8);
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [] { check_value_fits(0x100, 1); }),
            "value 0x100 does not fit in 8 bits");
  expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                [] { check_value_fits(0x10000, 2); });
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [] { check_value_fits(0x100000000, 4, "mask"); }),
            "mask 0x100000000 does not fit in 32 bits");
}

TEST(AccessTests,
     MmioWindowsCheck_UnalignedAddress_InvalidArgumentNamingWidth) {
  const MmioWindows windows = two_windows();
  EXPECT_EQ(expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                          [&] { windows.check(0xA0000002, 4); }),
            "address 0xa0000002 is not aligned to the 4-byte access width");
  expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                [&] { windows.check(0xA0000001, 2); });
  expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                [&] { windows.check(0xA0000004, 8); });
  windows.check(0xA0000001, 1);
  windows.check(0xA0000002, 2);
  windows.check(0xA0000008, 8);
}

TEST(AccessTests, MmioWindowsCheck_WindowEdges_InsideAllowedOutsideDenied) {
  const MmioWindows windows = two_windows();
  windows.check(0xA0000000, 4);
  windows.check(0xA000FFFC, 4);
  windows.check(0xA000FFF8, 8);
  windows.check(0xA000FFFF, 1);
  EXPECT_EQ(expect_status(grpc::StatusCode::PERMISSION_DENIED,
                          [&] { windows.check(0xA0010000, 4); }),
            "address 0xa0010000 (4 bytes) is outside the MMIO windows");
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { windows.check(0x9FFFFFFC, 4); });
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { windows.check(0, 1); });
}

TEST(AccessTests, MmioWindowsCheck_NearTopOfAddressSpace_NoOverflow) {
  const MmioWindows windows = two_windows();
  windows.check(0xFFFFFFFFFFFFFFF8, 8);
  windows.check(0xFFFFFFFFFFFFFFFF, 1);
  windows.check_range(0xFFFFFFFFFFFFF000, 8, 0x200);
  // address + length wraps to a small number: must still be refused.
  const std::string message =
      expect_status(grpc::StatusCode::PERMISSION_DENIED,
                    [&] { windows.check_range(0xFFFFFFFFFFFFFFF8, 8, 2); });
  EXPECT_THAT(message, HasSubstr("0xfffffffffffffff8 (16 bytes)"));
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { windows.check_range(0xFFFFFFFFFFFFF000, 8, 0x201); });
}

TEST(AccessTests,
     MmioWindowsCheckRange_BlockCrossingWindowEnd_PermissionDenied) {
  const MmioWindows windows = two_windows();
  windows.check_range(0xA0000000, 4, 0x4000);
  const std::string message =
      expect_status(grpc::StatusCode::PERMISSION_DENIED,
                    [&] { windows.check_range(0xA0000000, 4, 0x4001); });
  EXPECT_EQ(message,
            "address 0xa0000000 (65540 bytes) is outside the MMIO windows");
}

TEST(AccessTests, MmioWindowsCheckRange_AdjacentWindows_RangeMustFitInOne) {
  const MmioWindows windows({{"a", 0x1000, 0x1000}, {"b", 0x2000, 0x1000}});
  windows.check_range(0x1FF0, 4, 4);
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { windows.check_range(0x1FF0, 4, 5); });
}

TEST(AccessTests, MmioWindowsCheck_NoWindows_EverythingDenied) {
  const MmioWindows windows;
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { windows.check(0xA0000000, 4); });
}

TEST(AccessTests, MmioWindowsFind_AddressInSecondWindow_ReturnsIt) {
  const MmioWindows windows = two_windows();
  ASSERT_NE(windows.find(0xFFFFFFFFFFFFF800, 4), nullptr);
  EXPECT_EQ(windows.find(0xFFFFFFFFFFFFF800, 4)->name, "top");
  EXPECT_EQ(windows.find(0xB0000000, 4), nullptr);
}

}  // namespace
}  // namespace pynq_remote
