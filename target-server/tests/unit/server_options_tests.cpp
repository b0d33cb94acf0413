#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/limits.h"
#include "server_options.h"
#include "unit/option_error.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;

TEST(ServerOptionsTests, NoArguments_LinuxDefaults) {
  const ServerOptions options = parse_server_options({"--insecure"});
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

TEST(ServerOptionsTests, Platform_QemuVirt_Accepted) {
  EXPECT_EQ(
      parse_server_options({"--insecure", "--platform", "qemu-virt"}).platform,
      "qemu-virt");
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

TEST(ServerOptionsTests, SessionMemoryLimit_DecimalOrHex) {
  EXPECT_FALSE(parse_server_options({"--insecure"}).session_memory_limit.has_value());
  EXPECT_EQ(parse_server_options({"--insecure", "--session-memory-limit", "1048576"})
                .session_memory_limit,
            1048576u);
  EXPECT_EQ(parse_server_options({"--insecure", "--session-memory-limit=0x10000000"})
                .session_memory_limit,
            0x10000000u);
  EXPECT_EQ(
      parse_server_options({"--insecure", "--session-memory-limit=0"}).session_memory_limit,
      0u);
  EXPECT_EQ(option_error({"--session-memory-limit", "1G"}),
            "--session-memory-limit: expected a number of bytes (decimal or "
            "0x hex), got '1G'");
  EXPECT_THAT(option_error({"--session-memory-limit=18446744073709551616"}),
              HasSubstr("--session-memory-limit:"));
  EXPECT_THAT(option_error({"--session-memory-limit=0x"}),
              HasSubstr("--session-memory-limit:"));
}

TEST(ServerOptionsTests, Carveout_BaseAndSize_Parsed) {
  const ServerOptions options =
      parse_server_options({"--insecure", "--carveout", "0x60000000:0x20000000"});
  ASSERT_TRUE(options.carveout.has_value());
  EXPECT_EQ(options.carveout->base, 0x60000000u);
  EXPECT_EQ(options.carveout->size, 0x20000000u);
  EXPECT_EQ(parse_server_options({"--insecure", "--carveout=4096:8192"}).carveout->size,
            8192u);
}

TEST(ServerOptionsTests, Carveout_Bad_ErrorNamesOption) {
  EXPECT_EQ(option_error({"--carveout", "0x60000000"}),
            "--carveout: expected BASE:SIZE (decimal or 0x hex), got "
            "'0x60000000'");
  EXPECT_THAT(option_error({"--carveout", "x:1"}), HasSubstr("--carveout:"));
  EXPECT_EQ(option_error({"--carveout", "0x60000000:0"}),
            "--carveout: size must be greater than 0");
  EXPECT_THAT(option_error({"--carveout", "0x60000010:0x1000"}),
              HasSubstr("must be multiples of 4 KiB"));
  EXPECT_THAT(option_error({"--carveout", "0xFFFFFFFFFFFFF000:0x2000"}),
              HasSubstr("extends past the end of the address space"));
  EXPECT_EQ(option_error({"--backend", "sim", "--carveout", "4096:4096"}),
            "--carveout: only the linux backend maps a carve-out; the sim "
            "takes buffer_pool from its config");
}

TEST(ServerOptionsTests, Help_DocumentsBufferOptions) {
  EXPECT_THAT(server_usage(), HasSubstr("--carveout BASE:SIZE"));
  EXPECT_THAT(server_usage(), HasSubstr("--session-memory-limit BYTES"));
}

}  // namespace
}  // namespace pynq_remote

namespace pynq_remote {
namespace {

TEST(ServerOptionsTests, CacheOptions_DefaultsPerBackend) {
  const ServerOptions on_linux = parse_server_options({"--insecure"});
  EXPECT_EQ(on_linux.cache_dir, kDefaultLinuxCacheDir);
  EXPECT_EQ(on_linux.cache_bytes, kDefaultBitstreamCacheBytes);
  EXPECT_EQ(parse_server_options({"--backend=sim"}).cache_dir, "");
  const ServerOptions given = parse_server_options(
      {"--insecure", "--cache-dir", "/tmp/cache", "--cache-bytes=0x100000"});
  EXPECT_EQ(given.cache_dir, "/tmp/cache");
  EXPECT_EQ(given.cache_bytes, 0x100000u);
}

TEST(ServerOptionsTests, CacheOptions_Bad_OptionError) {
  auto error = [](std::vector<std::string> args) {
    try {
      parse_server_options(args);
    } catch (const OptionError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error({"--cache-dir="}), "--cache-dir: the path is empty");
  EXPECT_EQ(error({"--cache-bytes=1M"}),
            "--cache-bytes: expected a number of bytes (decimal or 0x hex), "
            "got '1M'");
  EXPECT_EQ(error({"--cache-bytes=100"}),
            "--cache-bytes: expected at least 4096 bytes, got '100'");
}

TEST(ServerOptionsTests, NetworkWithoutCredentials_Refused) {
  EXPECT_EQ(option_error({}),
            "refusing to serve 0.0.0.0:7967 without credentials: give "
            "--tls-cert and --tls-key with --client-ca and/or --tokens (see "
            "'pynq-remote pki'), or --insecure to let anyone on the network "
            "control this board");
  // TLS alone authenticates nobody; tokens alone would travel in clear.
  EXPECT_THAT(option_error({"--tls-cert=s.pem", "--tls-key=s.key"}),
              HasSubstr("refusing to serve"));
  EXPECT_THAT(option_error({"--tokens=t"}), HasSubstr("refusing to serve"));
}

TEST(ServerOptionsTests, NetworkWithCredentials_Accepted) {
  const ServerOptions options = parse_server_options(
      {"--tls-cert=s.pem", "--tls-key=s.key", "--client-ca=ca.pem",
       "--tokens=t", "--max-call-rate=50"});
  EXPECT_EQ(options.tls_cert, "s.pem");
  EXPECT_EQ(options.client_ca, "ca.pem");
  EXPECT_EQ(options.tokens, "t");
  EXPECT_EQ(options.max_call_rate, 50);
  EXPECT_FALSE(options.insecure);
}

TEST(ServerOptionsTests, Loopback_NeedsNoCredentials) {
  EXPECT_NO_THROW(parse_server_options({"--listen=127.0.0.1:0"}));
  EXPECT_NO_THROW(parse_server_options({"--listen=localhost:7967"}));
  EXPECT_NO_THROW(parse_server_options({"--listen=[::1]:7967", "--tokens=t"}));
}

TEST(ServerOptionsTests, SecurityOptions_Inconsistent_OptionError) {
  EXPECT_EQ(option_error({"--listen=127.0.0.1:0", "--tls-cert=s.pem"}),
            "--tls-cert and --tls-key go together");
  EXPECT_EQ(option_error({"--listen=127.0.0.1:0", "--client-ca=ca.pem"}),
            "--client-ca: client certificates need TLS (--tls-cert, "
            "--tls-key)");
  EXPECT_EQ(option_error({"--insecure", "--tokens=t"}),
            "--insecure cannot be combined with credentials");
  EXPECT_EQ(option_error({"--insecure", "--max-call-rate=fast"}),
            "--max-call-rate: expected calls per second, got 'fast'");
}

}  // namespace
}  // namespace pynq_remote
