#include "discovery/announcer.h"

#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>
#include <avahi-common/timeval.h>
#include <avahi-core/core.h>
#include <avahi-core/log.h>
#include <avahi-core/publish.h>

#include <stdexcept>
#include <utility>

#include "core/log.h"
#include "discovery/announcement.h"

namespace pynq_remote {
namespace {

constexpr unsigned kRefreshMs = 1000;

// Avahi's own messages ("Joining mDNS multicast group...") at debug level,
// its warnings and errors as ours.
void log_from_avahi(AvahiLogLevel level, const char* text) {
  const std::string message = std::string("mDNS: ") + text;
  if (level <= AVAHI_LOG_ERROR) {
    log_error(message);
  } else if (level == AVAHI_LOG_WARN) {
    log_warning(message);
  } else {
    log_debug(message);
  }
}

// An AvahiStringList of `strings`, freed with the object.
class TxtList {
 public:
  explicit TxtList(const std::vector<std::string>& strings) {
    for (auto it = strings.rbegin(); it != strings.rend(); ++it) {
      list_ = avahi_string_list_add(list_, it->c_str());  // prepends
    }
  }
  ~TxtList() { avahi_string_list_free(list_); }
  TxtList(const TxtList&) = delete;
  TxtList& operator=(const TxtList&) = delete;

  AvahiStringList* get() const { return list_; }

 private:
  AvahiStringList* list_ = nullptr;
};

// Replaces `name` by Avahi's next alternative ("NAME #2", "NAME #3"...).
void take_alternative(std::string* name, char* (*alternative)(const char*)) {
  char* next = alternative(name->c_str());
  *name = next;
  avahi_free(next);
}

}  // namespace

// The avahi objects. Once the thread runs, every member is used only in it
// (avahi calls back in its thread), so nothing here needs a lock.
struct Announcer::Responder {
  AnnouncerOptions options;
  std::string name;
  std::vector<std::string> txt;
  AvahiThreadedPoll* poll = nullptr;
  AvahiServer* server = nullptr;
  AvahiSEntryGroup* group = nullptr;

  static void on_server_state(AvahiServer* server, AvahiServerState state,
                              void* self) {
    static_cast<Responder*>(self)->server_state(server, state);
  }
  static void on_group_state(AvahiServer*, AvahiSEntryGroup*,
                             AvahiEntryGroupState state, void* self) {
    static_cast<Responder*>(self)->group_state(state);
  }
  static void on_tick(AvahiTimeout* timeout, void* self) {
    static_cast<Responder*>(self)->refresh_txt();
    struct timeval next;
    avahi_threaded_poll_get(static_cast<Responder*>(self)->poll)
        ->timeout_update(timeout, avahi_elapse_time(&next, kRefreshMs, 0));
  }

  // Called from inside avahi_server_new() already, before `server` is set.
  void server_state(AvahiServer* avahi_server, AvahiServerState state) {
    if (state == AVAHI_SERVER_RUNNING) {
      publish(avahi_server);
    } else if (state == AVAHI_SERVER_COLLISION) {
      std::string host = avahi_server_get_host_name(avahi_server);
      take_alternative(&host, avahi_alternative_host_name);
      log_warning("mDNS: the host name is taken on the network; using '" +
                  host + "'");
      avahi_server_set_host_name(avahi_server, host.c_str());
    } else if (state == AVAHI_SERVER_REGISTERING && group != nullptr) {
      avahi_s_entry_group_reset(group);  // the host name changes
    } else if (state == AVAHI_SERVER_FAILURE) {
      log_error(std::string("mDNS: the responder failed: ") +
                avahi_strerror(avahi_server_errno(avahi_server)));
    }
  }

  void group_state(AvahiEntryGroupState state) {
    if (state == AVAHI_ENTRY_GROUP_ESTABLISHED) {
      log_info("announced as '" + name + "' (" + kServiceType +
               ") over mDNS");
    } else if (state == AVAHI_ENTRY_GROUP_COLLISION) {
      take_alternative(&name, avahi_alternative_service_name);
      log_warning("mDNS: the name is taken on the network; announcing as '" +
                  name + "'");
      avahi_s_entry_group_reset(group);
      publish(server);
    } else if (state == AVAHI_ENTRY_GROUP_FAILURE) {
      log_error(std::string("mDNS: announcing failed: ") +
                avahi_strerror(avahi_server_errno(server)));
    }
  }

  void publish(AvahiServer* avahi_server) {
    if (group == nullptr) {
      group = avahi_s_entry_group_new(avahi_server, on_group_state, this);
    }
    if (group == nullptr || !avahi_s_entry_group_is_empty(group)) return;
    txt = options.txt_record();
    const TxtList list(txt);
    const int error = avahi_server_add_service_strlst(
        avahi_server, group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
        static_cast<AvahiPublishFlags>(0), name.c_str(), kServiceType,
        nullptr, nullptr, options.port, list.get());
    if (error < 0 || avahi_s_entry_group_commit(group) < 0) {
      log_error(std::string("mDNS: cannot announce '") + name +
                "': " + avahi_strerror(avahi_server_errno(avahi_server)));
    }
  }

  void refresh_txt() {
    if (group == nullptr || avahi_s_entry_group_is_empty(group)) return;
    std::vector<std::string> now = options.txt_record();
    if (now == txt) return;
    txt = std::move(now);
    const TxtList list(txt);
    avahi_server_update_service_txt_strlst(
        server, group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
        static_cast<AvahiPublishFlags>(0), name.c_str(), kServiceType,
        nullptr, list.get());
  }

  ~Responder() {
    if (poll != nullptr) avahi_threaded_poll_stop(poll);
    // Withdraws the records: the goodbye packets go out here.
    if (server != nullptr) avahi_server_free(server);
    if (poll != nullptr) avahi_threaded_poll_free(poll);
  }
};

Announcer::Announcer(AnnouncerOptions options)
    : responder_(std::make_unique<Responder>()) {
  Responder& r = *responder_;
  r.options = std::move(options);
  r.name = r.options.instance_name;
  avahi_set_log_function(log_from_avahi);
  r.poll = avahi_threaded_poll_new();
  if (r.poll == nullptr) throw std::runtime_error("mDNS: out of memory");
  const AvahiPoll* api = avahi_threaded_poll_get(r.poll);

  AvahiServerConfig config;
  avahi_server_config_init(&config);
  config.publish_hinfo = 0;
  config.publish_workstation = 0;
  int error = 0;
  r.server = avahi_server_new(api, &config, Responder::on_server_state, &r,
                              &error);
  avahi_server_config_free(&config);
  if (r.server == nullptr) {
    throw std::runtime_error(std::string("mDNS: cannot start: ") +
                             avahi_strerror(error));
  }
  struct timeval first;
  api->timeout_new(api, avahi_elapse_time(&first, kRefreshMs, 0),
                   Responder::on_tick, &r);
  if (avahi_threaded_poll_start(r.poll) < 0) {
    throw std::runtime_error("mDNS: cannot start the announcer's thread");
  }
}

Announcer::~Announcer() = default;

}  // namespace pynq_remote
