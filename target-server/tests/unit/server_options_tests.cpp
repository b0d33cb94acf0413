#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server_options.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;

std::string option_error(const std::vector<std::string>& args) {
  try {
    parse_server_options(args);
  } catch (const OptionError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no OptionError";
  return "";
}

TEST(ServerOptionsTests, NoArguments_LinuxDefaults) {
  const ServerOptions options = parse_server_options({});
  EXPECT_EQ(options.backend, BackendKind::kLinux);
  EXPECT_EQ(options.listen, "0.0.0.0:7967");
  EXPECT_EQ(options.config, "");
  EXPECT_EQ(options.mem_device, "/dev/mem");
  EXPECT_EQ(options.platform, "auto");
  EXPECT_EQ(options.log_level, LogLevel::kInfo);
}

TEST(ServerOptionsTests, SimBackend_LoopbackAndBundledConfigDefaults) {
  const ServerOptions options = parse_server_options({"--backend", "sim"});
  EXPECT_EQ(options.backend, BackendKind::kSim);
  EXPECT_EQ(options.listen, "127.0.0.1:7967");
  EXPECT_EQ(options.config, PYNQ_REMOTE_DEFAULT_SIM_CONFIG);
}

TEST(ServerOptionsTests, EveryOption_BothSpellings_Parsed) {
  const ServerOptions options = parse_server_options(
      {"--listen=[::1]:0", "--backend", "linux", "--config=board.textproto",
       "--log-level", "debug", "--mem-device", "/tmp/mem", "--platform=zynq"});
  EXPECT_EQ(options.listen, "[::1]:0");
  EXPECT_EQ(options.config, "board.textproto");
  EXPECT_EQ(options.log_level, LogLevel::kDebug);
  EXPECT_EQ(options.mem_device, "/tmp/mem");
  EXPECT_EQ(options.platform, "zynq");
}

TEST(ServerOptionsTests, Help_SetsHelp) {
  EXPECT_TRUE(parse_server_options({"--listen", "x:1", "--help"}).help);
  EXPECT_THAT(server_usage(), HasSubstr("--listen HOST:PORT"));
}

TEST(ServerOptionsTests, BadArguments_ErrorNamesOption) {
  EXPECT_EQ(option_error({"--bogus"}), "unknown option '--bogus'");
  EXPECT_EQ(option_error({"stray"}), "unexpected argument 'stray'");
  EXPECT_EQ(option_error({"--listen"}), "--listen: missing value");
  EXPECT_THAT(option_error({"--listen", "7967"}), HasSubstr("--listen:"));
  EXPECT_THAT(option_error({"--listen", "host:70000"}), HasSubstr("--listen:"));
  EXPECT_THAT(option_error({"--listen", ":1"}), HasSubstr("--listen:"));
  EXPECT_EQ(option_error({"--backend", "fpga"}),
            "--backend: expected linux or sim, got 'fpga'");
  EXPECT_THAT(option_error({"--log-level=loud"}), HasSubstr("--log-level:"));
  EXPECT_THAT(option_error({"--platform", "versal"}), HasSubstr("--platform:"));
  EXPECT_THAT(option_error({"--config="}), HasSubstr("--config:"));
}

}  // namespace
}  // namespace pynq_remote
