#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "compat/file_sandbox.h"
#include "unit/expect_status.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using Kind = CompatPath::Kind;

TEST(CompatPathTest, ParseCompatPath_PathsPynqUses_MapToTheirKinds) {
  EXPECT_EQ(parse_compat_path("/proc/version")->kind, Kind::kProcVersion);
  EXPECT_EQ(parse_compat_path("/proc/device-tree/chosen/pynq_board")->kind,
            Kind::kBoardName);
  EXPECT_EQ(parse_compat_path("/sys/class/fpga_manager/fpga0/firmware")->kind,
            Kind::kFpgaFirmware);
  EXPECT_EQ(parse_compat_path("/sys/class/fpga_manager/fpga0/flags")->kind,
            Kind::kFpgaFlags);
  EXPECT_EQ(parse_compat_path("/sys/class/fpga_manager/fpga0/state")->kind,
            Kind::kFpgaState);
  const auto firmware = parse_compat_path("/lib/firmware/base.bin");
  ASSERT_TRUE(firmware);
  EXPECT_EQ(firmware->kind, Kind::kFirmware);
  EXPECT_EQ(firmware->name, "base.bin");
  const auto scratch = parse_compat_path("/tmp/pynq_remote_hosttest.bin");
  ASSERT_TRUE(scratch);
  EXPECT_EQ(scratch->kind, Kind::kScratch);
  EXPECT_EQ(scratch->name, "pynq_remote_hosttest.bin");
}

TEST(CompatPathTest, ParseCompatPath_EverythingElse_IsOutside) {
  for (const char* path : {"/etc/shadow",
                           "/tmp/../etc/shadow",
                           "/tmp/..",
                           "/tmp/.",
                           "/tmp/",
                           "/tmp//x",
                           "/tmp/a/b",
                           "/tmp/.hidden",
                           "/lib/firmware/../../etc/passwd",
                           "/lib/firmware/",
                           "tmp/x",
                           "",
                           "/proc/self/environ",
                           "/proc/version/",
                           "/proc/./version",
                           "/sys/class/fpga_manager/fpga0/../fpga1/firmware",
                           "/sys/class/fpga_manager/fpga0/name",
                           "/tmp/x\n",
                           "/tmp/a b",
                           "//tmp/x",
                           "/tmp/x/"}) {
    EXPECT_FALSE(parse_compat_path(path)) << path;
  }
  EXPECT_FALSE(parse_compat_path(std::string("/tmp/a\0b", 8)));
  EXPECT_FALSE(parse_compat_path("/tmp/" + std::string(200, 'a')));
}

TEST(CompatPathTest, PrintablePath_ControlCharacters_AreReplaced) {
  EXPECT_EQ(printable_path("/tmp/a\nb\x1b"), "/tmp/a?b?");
  EXPECT_EQ(printable_path(std::string(300, 'x')).size(), 203u);
}

class ScratchAreaTest : public ::testing::Test {
 protected:
  ScratchArea area_{1000, 3};
};

TEST_F(ScratchAreaTest, Constructor_MakesAPrivateFolder_RemovedOnDestruction) {
  std::string directory;
  {
    ScratchArea area(100, 1);
    directory = area.directory();
    struct stat info{};
    ASSERT_EQ(::stat(directory.c_str(), &info), 0);
    EXPECT_TRUE(S_ISDIR(info.st_mode));
    EXPECT_EQ(info.st_mode & 0777, 0700u);
  }
  EXPECT_FALSE(std::filesystem::exists(directory));
}

TEST_F(ScratchAreaTest, WriteThenRead_RoundTrips) {
  auto writer = area_.start_write("data.bin");
  writer->append("hello ");
  writer->append("world");
  EXPECT_FALSE(area_.exists("data.bin"));
  writer->commit();
  writer.reset();
  EXPECT_TRUE(area_.exists("data.bin"));
  const UniqueFd file = area_.open_for_read("data.bin");
  char buffer[64] = {};
  EXPECT_EQ(::read(file.get(), buffer, sizeof(buffer)), 11);
  EXPECT_EQ(std::string(buffer), "hello world");
}

TEST_F(ScratchAreaTest, UncommittedWrite_LeavesNothing) {
  area_.start_write("gone.bin")->append("x");
  EXPECT_FALSE(area_.exists("gone.bin"));
  EXPECT_TRUE(std::filesystem::is_empty(area_.directory()));
}

TEST_F(ScratchAreaTest, Append_BeyondTheLimit_IsResourceExhausted) {
  auto writer = area_.start_write("big.bin");
  writer->append(std::string(600, 'a'));
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                [&] { writer->append(std::string(600, 'b')); });
}

TEST_F(ScratchAreaTest, StartWrite_BeyondMaxFiles_IsResourceExhausted) {
  for (const char* name : {"a", "b", "c"}) {
    auto writer = area_.start_write(name);
    writer->append("1");
    writer->commit();
  }
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                [&] { area_.start_write("d"); });
  area_.start_write("a")->append("rewriting an existing file is fine");
}

TEST_F(ScratchAreaTest, PlantedSymlink_IsNeitherFollowedNorReported) {
  TempDir outside;
  const std::string target = (outside.path() / "secret").string();
  std::ofstream(target) << "secret";
  ASSERT_EQ(::symlink(target.c_str(), (area_.directory() + "/link").c_str()),
            0);
  EXPECT_FALSE(area_.exists("link"));
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { area_.open_for_read("link"); });
  // A write replaces the link itself; the target stays as it was.
  auto writer = area_.start_write("link");
  writer->append("mine");
  writer->commit();
  std::ifstream check(target);
  std::string content;
  check >> content;
  EXPECT_EQ(content, "secret");
  EXPECT_TRUE(area_.exists("link"));
}

TEST_F(ScratchAreaTest, Names_OutsideTheRule_AreRefused) {
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { area_.open_for_read(".."); });
  expect_status(grpc::StatusCode::PERMISSION_DENIED,
                [&] { area_.start_write("../escape"); });
  EXPECT_FALSE(area_.exists("../"));
}

}  // namespace
}  // namespace pynq_remote
