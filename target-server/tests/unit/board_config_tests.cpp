#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/board_config.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Loads `text` from a file and returns the ConfigError message, or "" when
// the file loads.
std::string load_error(const TempDir& dir, const std::string& text) {
  const std::string path = dir.write("board.textproto", text);
  try {
    load_board_config(path);
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), StartsWith(path + ":"));
    return error.what();
  }
  return "";
}

TEST(BoardConfigTests, LoadBoardConfig_ShippedSimBoard_Loads) {
  const config::BoardConfig config = load_board_config(
      std::string(PYNQ_REMOTE_SOURCE_CONFIG_DIR) + "/sim-board.textproto");
  EXPECT_EQ(config.board(), "sim");
  EXPECT_EQ(config.windows_size(), 6);
  EXPECT_EQ(config.buffer_pool().base_address(), 0x60000000u);
  EXPECT_EQ(config.buffer_pool().size(), 0x20000000u);
}

TEST(BoardConfigTests, LoadBoardConfig_ValidWindows_AllowListMatches) {
  TempDir dir;
  const std::string path = dir.write(
      "ok.textproto",
      "board: 'b' windows { name: 'a' base_address: 0x1000 size: 0x1000 } "
      "windows { name: 'b' base_address: 0x2000 size: 0x10 }");
  const MmioWindows windows = windows_from_config(load_board_config(path));
  ASSERT_EQ(windows.list().size(), 2u);
  EXPECT_EQ(windows.list()[1].name, "b");
  EXPECT_EQ(windows.list()[1].base, 0x2000u);
  EXPECT_EQ(windows.list()[1].size, 0x10u);
}

TEST(BoardConfigTests, LoadBoardConfig_MissingFile_NamesFile) {
  TempDir dir;
  const std::string path = (dir.path() / "absent.textproto").string();
  try {
    load_board_config(path);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()), path + ": cannot open the file");
  }
}

TEST(BoardConfigTests, LoadBoardConfig_SyntaxError_NamesFileAndLine) {
  TempDir dir;
  EXPECT_THAT(load_error(dir, "board: 'x'\nbogus_field: 1\n"),
              HasSubstr("board.textproto:2:"));
}

TEST(BoardConfigTests, LoadBoardConfig_BadWindows_Rejected) {
  TempDir dir;
  EXPECT_THAT(load_error(dir, "windows { name: 'a' base_address: 0x1000 }"),
              HasSubstr("window 'a': size must be greater than 0"));
  EXPECT_THAT(
      load_error(dir, "windows { name: 'a' base_address: 0x1004 size: 4 }"),
      HasSubstr("window 'a': base_address 0x1004 is not aligned to 4 KiB"));
  EXPECT_THAT(load_error(dir, "windows { base_address: 0x1000 size: 4 }"),
              HasSubstr("a window has no name"));
  EXPECT_THAT(load_error(dir,
                         "windows { name: 'a' base_address: 0x1000 size: 4 } "
                         "windows { name: 'a' base_address: 0x2000 size: 4 }"),
              HasSubstr("window name 'a' is used twice"));
  EXPECT_THAT(load_error(dir,
                         "windows { name: 'a' base_address: 0xFFFFFFFFFFFFF000 "
                         "size: 0x2000 }"),
              HasSubstr("extends past the end of the address space"));
}

TEST(BoardConfigTests, LoadBoardConfig_OverlappingWindows_Rejected) {
  TempDir dir;
  EXPECT_THAT(
      load_error(dir,
                 "windows { name: 'b' base_address: 0x2000 size: 0x1000 } "
                 "windows { name: 'a' base_address: 0x1000 size: 0x1001 }"),
      HasSubstr("windows 'a' and 'b' overlap"));
  EXPECT_EQ(
      load_error(dir,
                 "windows { name: 'a' base_address: 0x1000 size: 0x1000 } "
                 "windows { name: 'b' base_address: 0x2000 size: 0x1000 }"),
      "");
}

TEST(BoardConfigTests, LoadBoardConfig_WindowEndingAtTopOfAddressSpace_Loads) {
  TempDir dir;
  EXPECT_EQ(load_error(dir,
                       "windows { name: 'a' base_address: 0xFFFFFFFFFFFFF000 "
                       "size: 0x1000 }"),
            "");
}

TEST(BoardConfigTests, LoadBoardConfig_BadBufferPool_Rejected) {
  TempDir dir;
  EXPECT_THAT(load_error(dir, "buffer_pool { base_address: 0x60000000 }"),
              HasSubstr("buffer_pool: size must be greater than 0"));
  EXPECT_THAT(
      load_error(dir, "buffer_pool { base_address: 0x60000800 size: 0x1000 }"),
      HasSubstr("buffer_pool: base_address 0x60000800 and size 0x1000 must be "
                "multiples of 4 KiB"));
  EXPECT_THAT(
      load_error(dir, "buffer_pool { base_address: 0x60000000 size: 0x1001 }"),
      HasSubstr("must be multiples of 4 KiB"));
  EXPECT_THAT(load_error(dir,
                         "buffer_pool { base_address: 0xFFFFFFFFFFFFF000 "
                         "size: 0x2000 }"),
              HasSubstr("buffer_pool: extends past the end of the address "
                        "space"));
}

TEST(BoardConfigTests, LoadBoardConfig_BufferPoolOverlapsWindow_Rejected) {
  TempDir dir;
  const std::string window =
      "windows { name: 'pl' base_address: 0xA0000000 size: 0x10000 } ";
  EXPECT_THAT(
      load_error(dir, window + "buffer_pool { base_address: 0xA000F000 size: "
                               "0x2000 }"),
      HasSubstr("buffer_pool: overlaps window 'pl'"));
  EXPECT_THAT(
      load_error(dir, window + "buffer_pool { base_address: 0x9FFFF000 size: "
                               "0x2000 }"),
      HasSubstr("overlaps window 'pl'"));
  EXPECT_EQ(load_error(dir, window + "buffer_pool { base_address: 0xA0010000 "
                                     "size: 0x1000 } "),
            "");
  EXPECT_EQ(load_error(dir, window + "buffer_pool { base_address: 0x9FFFF000 "
                                     "size: 0x1000 } "),
            "");
}

}  // namespace
}  // namespace pynq_remote
