#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "discovery/announcement.h"
#include "server_options.h"
#include "unit/option_error.h"

namespace pynq_remote {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Announcement zcu104() {
  Announcement announcement;
  announcement.board = "zcu104";
  announcement.backend = "linux";
  announcement.design = "base";
  announcement.tls = true;
  return announcement;
}

TEST(AnnouncementTests, TxtRecord_EveryKeyInOrder) {
  EXPECT_THAT(txt_record(zcu104()),
              ElementsAre("board=zcu104", "backend=linux",
                          std::string("server=") + PYNQ_REMOTE_VERSION,
                          "api=v1", "design=base", "tls=required"));
}

TEST(AnnouncementTests, TxtRecord_NoDesignNoTls_EmptyDesignAndTlsNone) {
  Announcement announcement = zcu104();
  announcement.design = "";
  announcement.tls = false;
  const std::vector<std::string> txt = txt_record(announcement);
  EXPECT_EQ(txt[4], "design=");
  EXPECT_EQ(txt[5], "tls=none");
}

TEST(AnnouncementTests, TxtRecord_LongDesign_CutTo255Bytes) {
  Announcement announcement = zcu104();
  announcement.design = std::string(300, 'd');
  const std::string design = txt_record(announcement)[4];
  EXPECT_EQ(design.size(), kMaxTxtEntryBytes);
  EXPECT_EQ(design, "design=" + std::string(248, 'd'));
}

TEST(AnnouncementTests, TxtRecord_LongUtf8Design_CutAtCharacterBoundary) {
  Announcement announcement = zcu104();
  std::string design;
  for (int i = 0; i < 100; ++i) design += "\xC3\xA9";  // é, two bytes
  announcement.design = design;
  // 248 bytes of value fit: 124 whole characters.
  EXPECT_EQ(txt_record(announcement)[4], "design=" + design.substr(0, 248));
  announcement.design = "x" + design;
  // 1 + 2 * 123 = 247 bytes: the 124th é would be split, so it goes.
  EXPECT_EQ(txt_record(announcement)[4],
            "design=x" + design.substr(0, 246));
}

TEST(AnnouncementTests, DefaultInstanceName_BoardAtHost) {
  EXPECT_EQ(default_instance_name("zcu104", "lab-3"), "zcu104@lab-3");
}

TEST(AnnouncementTests, DefaultInstanceName_LongHost_CutTo63Bytes) {
  const std::string name = default_instance_name("kv260", std::string(80, 'h'));
  EXPECT_EQ(name.size(), kMaxInstanceNameBytes);
  EXPECT_EQ(name.substr(0, 6), "kv260@");
}

TEST(AnnouncementTests, CheckInstanceName_BadNames_Refused) {
  EXPECT_NO_THROW(check_instance_name("lab bench 3 (zcu104)"));
  EXPECT_THROW(check_instance_name(""), std::invalid_argument);
  EXPECT_THROW(check_instance_name(std::string(64, 'n')),
               std::invalid_argument);
  EXPECT_THROW(check_instance_name("tab\there"), std::invalid_argument);
}

TEST(AnnounceOptionsTests, Defaults_LinuxOnNetworkOnly) {
  EXPECT_TRUE(*parse_server_options({"--insecure"}).announce);
  EXPECT_FALSE(
      *parse_server_options({"--listen", "127.0.0.1:7967"}).announce);
  EXPECT_FALSE(*parse_server_options({"--backend", "sim"}).announce);
  EXPECT_FALSE(*parse_server_options({"--backend", "sim", "--insecure",
                                      "--listen", "0.0.0.0:0"})
                    .announce);
}

TEST(AnnounceOptionsTests, SimAskedTo_Announces) {
  const ServerOptions options =
      parse_server_options({"--backend", "sim", "--insecure", "--listen",
                            "0.0.0.0:0", "--announce", "on"});
  EXPECT_TRUE(*options.announce);
  EXPECT_EQ(options.mdns_name, "");
}

TEST(AnnounceOptionsTests, MdnsName_ImpliesAnnounce) {
  const ServerOptions options = parse_server_options(
      {"--backend=sim", "--insecure", "--listen=0.0.0.0:0",
       "--mdns-name=bench 3"});
  EXPECT_TRUE(*options.announce);
  EXPECT_EQ(options.mdns_name, "bench 3");
  EXPECT_FALSE(*parse_server_options({"--insecure", "--announce", "off"})
                    .announce);
}

TEST(AnnounceOptionsTests, BadCombinations_ErrorNamesOption) {
  EXPECT_EQ(option_error({"--insecure", "--announce", "yes"}),
            "--announce: expected on or off, got 'yes'");
  EXPECT_THAT(option_error({"--backend", "sim", "--announce", "on"}),
              HasSubstr("--announce: 127.0.0.1:7967 is a loopback address"));
  EXPECT_THAT(option_error({"--backend", "sim", "--mdns-name", "x"}),
              HasSubstr("--mdns-name: 127.0.0.1:7967 is a loopback"));
  EXPECT_EQ(option_error({"--insecure", "--announce=off", "--mdns-name=x"}),
            "--mdns-name: the server does not announce itself "
            "(--announce off)");
  EXPECT_EQ(option_error({"--insecure", "--mdns-name="}),
            "--mdns-name: the name is empty");
  EXPECT_EQ(option_error({"--insecure", "--mdns-name", std::string(70, 'n')}),
            "--mdns-name: the name is 70 bytes long; at most 63 fit in mDNS");
}

}  // namespace
}  // namespace pynq_remote
