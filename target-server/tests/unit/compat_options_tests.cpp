// --pynq-remote-compat: defaults per backend and the non-loopback rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server_options.h"
#include "unit/option_error.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;

TEST(CompatOptionsTest, Default_OnForSimOnLoopback_OffForLinux) {
  EXPECT_EQ(parse_server_options({"--backend", "sim"}).compat, CompatMode::kOn);
  EXPECT_EQ(parse_server_options({"--listen", "127.0.0.1:1"}).compat,
            CompatMode::kOff);
  EXPECT_EQ(parse_server_options({"--insecure"}).compat, CompatMode::kOff);
}

TEST(CompatOptionsTest, Default_SimOnTheNetwork_OnOnlyWithInsecure) {
  EXPECT_EQ(parse_server_options(
                {"--backend", "sim", "--listen", "0.0.0.0:1", "--insecure"})
                .compat,
            CompatMode::kOn);
  EXPECT_EQ(parse_server_options({"--backend", "sim", "--listen", "0.0.0.0:1",
                                  "--tls-cert", "c", "--tls-key", "k",
                                  "--tokens", "t"})
                .compat,
            CompatMode::kOff);
}

TEST(CompatOptionsTest, Values_AreParsed) {
  EXPECT_EQ(parse_server_options(
                {"--pynq-remote-compat", "only", "--listen", "127.0.0.1:1"})
                .compat,
            CompatMode::kOnly);
  EXPECT_EQ(parse_server_options({"--backend=sim", "--pynq-remote-compat=off"})
                .compat,
            CompatMode::kOff);
  EXPECT_THAT(option_error({"--pynq-remote-compat", "yes"}),
              HasSubstr("expected on, off or only, got 'yes'"));
}

TEST(CompatOptionsTest, NonLoopback_WithCredentials_IsRefused) {
  EXPECT_THAT(
      option_error({"--listen", "0.0.0.0:7967", "--tls-cert", "c", "--tls-key",
                    "k", "--tokens", "t", "--pynq-remote-compat", "on"}),
      HasSubstr("cannot authenticate its callers, so serving it on "
                "0.0.0.0:7967 needs --insecure"));
  EXPECT_EQ(parse_server_options({"--listen", "0.0.0.0:7967", "--insecure",
                                  "--pynq-remote-compat", "on"})
                .compat,
            CompatMode::kOn);
}

}  // namespace
}  // namespace pynq_remote
