// What the server announces over mDNS/DNS-SD: the service type, the
// instance name and the TXT record (see docs/discovery.md).
#ifndef PYNQ_REMOTE_DISCOVERY_ANNOUNCEMENT_H_
#define PYNQ_REMOTE_DISCOVERY_ANNOUNCEMENT_H_

#include <cstddef>
#include <string>
#include <vector>

namespace pynq_remote {

constexpr char kServiceType[] = "_pynq-remote._tcp";
// DNS-SD instance names are one DNS label: at most 63 bytes.
constexpr size_t kMaxInstanceNameBytes = 63;
// One TXT string is at most 255 bytes (RFC 6763, section 6.1).
constexpr size_t kMaxTxtEntryBytes = 255;

// The facts a host sees before connecting.
struct Announcement {
  std::string board;    // e.g. "zcu104" or "sim"
  std::string backend;  // "linux" or "sim"
  std::string design;   // the loaded design's name; empty: none or unknown
  bool tls = false;     // whether the server serves TLS
};

// The TXT strings: board=, backend=, server= (this server's version),
// api=v1, design=, tls=required|none. A value too long for one TXT string
// is cut at a UTF-8 character boundary.
std::vector<std::string> txt_record(const Announcement& announcement);

// "BOARD@HOST", cut to kMaxInstanceNameBytes. The '@' keeps it apart from a
// host name, so `pynq-remote -d` knows to look it up.
std::string default_instance_name(const std::string& board,
                                  const std::string& host_name);

// Throws std::invalid_argument naming what is wrong with an instance name
// chosen by the user (empty, too long, control characters).
void check_instance_name(const std::string& name);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_DISCOVERY_ANNOUNCEMENT_H_
