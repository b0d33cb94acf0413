#include "discovery/announcement.h"

#include <stdexcept>

namespace pynq_remote {
namespace {

bool is_utf8_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// `text` cut to at most `bytes` bytes without splitting a UTF-8 character.
std::string cut_utf8(const std::string& text, size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && is_utf8_continuation(text[bytes])) --bytes;
  return text.substr(0, bytes);
}

std::string entry(const std::string& key, const std::string& value) {
  return key + "=" + cut_utf8(value, kMaxTxtEntryBytes - key.size() - 1);
}

}  // namespace

std::vector<std::string> txt_record(const Announcement& announcement) {
  return {entry("board", announcement.board),
          entry("backend", announcement.backend),
          entry("server", PYNQ_REMOTE_VERSION),
          entry("api", "v1"),
          entry("design", announcement.design),
          entry("tls", announcement.tls ? "required" : "none")};
}

std::string default_instance_name(const std::string& board,
                                  const std::string& host_name) {
  return cut_utf8(board + "@" + host_name, kMaxInstanceNameBytes);
}

void check_instance_name(const std::string& name) {
  if (name.empty()) throw std::invalid_argument("the name is empty");
  if (name.size() > kMaxInstanceNameBytes) {
    throw std::invalid_argument("the name is " + std::to_string(name.size()) +
                                " bytes long; at most 63 fit in mDNS");
  }
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      throw std::invalid_argument("the name holds a control character");
    }
  }
}

}  // namespace pynq_remote
