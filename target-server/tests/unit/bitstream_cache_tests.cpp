#include "core/bitstream_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/limits.h"
#include "unit/bitstream_test_data.h"
#include "unit/expect_status.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

size_t files_in(const fs::path& folder) {
  size_t count = 0;
  for (const auto& file : fs::directory_iterator(folder)) {
    (void)file;
    ++count;
  }
  return count;
}

void upload(BitstreamCache& cache, const std::string& bytes) {
  auto upload = cache.start_upload(sha256_of(bytes), bytes.size());
  upload->write(bytes);
  upload->finish();
}

TEST(Sha256Test, KnownInput_KnownDigest) {
  EXPECT_EQ(sha256_of("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, UppercaseOrShort_InvalidArgument) {
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'A')));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a')));
  EXPECT_TRUE(is_sha256_hex(std::string(64, 'a')));
  const std::string message = expect_status(
      grpc::StatusCode::INVALID_ARGUMENT, [] { check_sha256_hex("../x"); });
  EXPECT_THAT(message, HasSubstr("sha256 must be 64 lowercase hex digits"));
}

TEST(BitstreamCacheTest, Upload_CompleteAndMatching_Present) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1 << 20);
  const std::string bytes = test_bitstream(5000);
  auto upload = cache.start_upload(sha256_of(bytes), bytes.size());
  upload->write(bytes.substr(0, 1000));
  upload->write(bytes.substr(1000));
  upload->finish();
  EXPECT_EQ(cache.size_of(sha256_of(bytes)), 5000u);
  EXPECT_TRUE(fs::exists(dir.path() / (sha256_of(bytes) + ".bin")));
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(BitstreamCacheTest, Upload_Truncated_InvalidArgumentNothingKept) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1 << 20);
  const std::string bytes = test_bitstream(5000);
  {
    auto upload = cache.start_upload(sha256_of(bytes), bytes.size());
    upload->write(bytes.substr(0, 4000));
    const std::string message = expect_status(
        grpc::StatusCode::INVALID_ARGUMENT, [&] { upload->finish(); });
    EXPECT_EQ(message,
              "upload of " + sha256_of(bytes) + " ended after 4000 of 5000 bytes");
  }
  EXPECT_FALSE(cache.size_of(sha256_of(bytes)));
  EXPECT_EQ(files_in(dir.path()), 0u);
}

TEST(BitstreamCacheTest, Upload_Corrupted_ShaMismatchNothingKept) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1 << 20);
  const std::string bytes = test_bitstream(5000);
  std::string corrupted = bytes;
  corrupted[17] ^= 1;
  {
    auto upload = cache.start_upload(sha256_of(bytes), bytes.size());
    upload->write(corrupted);
    const std::string message = expect_status(
        grpc::StatusCode::INVALID_ARGUMENT, [&] { upload->finish(); });
    EXPECT_THAT(message, HasSubstr("sha256 mismatch: got " + sha256_of(corrupted)));
  }
  EXPECT_FALSE(cache.size_of(sha256_of(bytes)));
  EXPECT_EQ(files_in(dir.path()), 0u);
}

TEST(BitstreamCacheTest, Upload_MoreThanDeclared_InvalidArgument) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1 << 20);
  auto upload = cache.start_upload(std::string(64, 'a'), 10);
  const std::string message = expect_status(
      grpc::StatusCode::INVALID_ARGUMENT, [&] { upload->write(std::string(11, 'x')); });
  EXPECT_THAT(message, HasSubstr("sent more than the 10 bytes"));
}

TEST(BitstreamCacheTest, Upload_Abandoned_NothingKept) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1 << 20);
  {
    auto upload = cache.start_upload(std::string(64, 'a'), 10);
    upload->write("12345");
    EXPECT_EQ(files_in(dir.path()), 1u);
  }
  EXPECT_EQ(files_in(dir.path()), 0u);
}

TEST(BitstreamCacheTest, Upload_OverLimit_OutOfRange) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), kDefaultBitstreamCacheBytes);
  expect_status(grpc::StatusCode::OUT_OF_RANGE, [&] {
    cache.start_upload(std::string(64, 'a'), kMaxBitstreamBytes + 1);
  });
  expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                [&] { cache.start_upload(std::string(64, 'a'), 0); });
  EXPECT_EQ(files_in(dir.path()), 0u);
}

TEST(BitstreamCacheTest, Upload_OverBudget_ResourceExhausted) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1000);
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                [&] { cache.start_upload(std::string(64, 'a'), 1001); });
}

TEST(BitstreamCacheTest, Upload_SameContentTwice_OneEntry) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1 << 20);
  const std::string bytes = test_bitstream(100);
  upload(cache, bytes);
  upload(cache, bytes);
  EXPECT_EQ(cache.bytes_used(), 100u);
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(BitstreamCacheTest, Budget_Exceeded_EvictsLeastRecentlyUsed) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 3000);
  const std::string a = test_bitstream(1000, 'a');
  const std::string b = test_bitstream(1000, 'b');
  const std::string c = test_bitstream(1000, 'c');
  const std::string d = test_bitstream(1000, 'd');
  upload(cache, a);
  upload(cache, b);
  upload(cache, c);
  cache.pin(sha256_of(a));  // a is now used more recently than b
  upload(cache, d);
  EXPECT_TRUE(cache.size_of(sha256_of(a)));
  EXPECT_FALSE(cache.size_of(sha256_of(b)));
  EXPECT_FALSE(fs::exists(dir.path() / (sha256_of(b) + ".bin")));
  EXPECT_TRUE(cache.size_of(sha256_of(c)));
  EXPECT_TRUE(cache.size_of(sha256_of(d)));
  EXPECT_EQ(cache.bytes_used(), 3000u);
}

TEST(BitstreamCacheTest, Budget_Exceeded_NeverEvictsLoaded) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 2000);
  const std::string a = test_bitstream(1000, 'a');
  const std::string b = test_bitstream(1000, 'b');
  upload(cache, a);
  upload(cache, b);
  cache.set_loaded(sha256_of(a));
  upload(cache, test_bitstream(1000, 'c'));
  EXPECT_TRUE(cache.size_of(sha256_of(a)));
  EXPECT_FALSE(cache.size_of(sha256_of(b)));
}

TEST(BitstreamCacheTest, Budget_OnlyPinnedLeft_ResourceExhaustedNothingKept) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1000);
  const std::string a = test_bitstream(1000, 'a');
  upload(cache, a);
  auto pin = cache.pin(sha256_of(a));
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                [&] { upload(cache, test_bitstream(1000, 'b')); });
  EXPECT_EQ(files_in(dir.path()), 1u);
}

TEST(BitstreamCacheTest, Pin_Absent_NotFound) {
  TempDir dir;
  BitstreamCache cache(dir.path().string(), 1000);
  const std::string message = expect_status(
      grpc::StatusCode::NOT_FOUND, [&] { cache.pin(std::string(64, 'a')); });
  EXPECT_THAT(message, HasSubstr("upload it with UploadBitstream"));
}

TEST(BitstreamCacheTest, Start_LeftoversAndExisting_TempRemovedBinIndexed) {
  TempDir dir;
  const std::string bytes = test_bitstream(300);
  dir.write(sha256_of(bytes) + ".bin", bytes);
  dir.write(".upload-abc123", "partial");
  dir.write("notes.txt", "not a bitstream");
  BitstreamCache cache(dir.path().string(), 1000);
  EXPECT_EQ(cache.size_of(sha256_of(bytes)), 300u);
  EXPECT_FALSE(fs::exists(dir.path() / ".upload-abc123"));
  EXPECT_EQ(cache.bytes_used(), 300u);
  const auto pin = cache.pin(sha256_of(bytes));
  EXPECT_EQ(pin->path(), (dir.path() / (sha256_of(bytes) + ".bin")).string());
}

}  // namespace
}  // namespace pynq_remote
