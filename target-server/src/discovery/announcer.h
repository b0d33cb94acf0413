// Announces the server over mDNS/DNS-SD with avahi-core, the embeddable
// responder of Avahi: no daemon, no D-Bus. It runs in a thread of its own.
#ifndef PYNQ_REMOTE_DISCOVERY_ANNOUNCER_H_
#define PYNQ_REMOTE_DISCOVERY_ANNOUNCER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pynq_remote {

struct AnnouncerOptions {
  std::string instance_name;
  uint16_t port = 0;
  // The TXT strings; called in the announcer's thread at the start and about
  // once a second after, so the record follows the loaded design.
  std::function<std::vector<std::string>()> txt_record;
};

// Publishes the service from construction until destruction, which sends
// the goodbye packets. Name conflicts on the network are resolved by
// Avahi's alternative names ("NAME #2"). Throws std::runtime_error when the
// responder cannot start (no usable socket, say).
class Announcer {
 public:
  explicit Announcer(AnnouncerOptions options);
  ~Announcer();
  Announcer(const Announcer&) = delete;
  Announcer& operator=(const Announcer&) = delete;

 private:
  struct Responder;  // the avahi objects, in announcer.cpp
  std::unique_ptr<Responder> responder_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_DISCOVERY_ANNOUNCER_H_
