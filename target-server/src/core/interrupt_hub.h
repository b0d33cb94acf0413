// Who watches which interrupt line. Each subscription belongs to a session
// and gets every event of its lines; the backend keeps a line open while
// anyone subscribes to it, and masked after an event until every subscriber
// has acknowledged it.
#ifndef PYNQ_REMOTE_CORE_INTERRUPT_HUB_H_
#define PYNQ_REMOTE_CORE_INTERRUPT_HUB_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/session_repository.h"

namespace pynq_remote {

// Most lines in one subscription, subscriptions of one session, and
// subscriptions in all.
constexpr size_t kMaxInterruptLinesPerSubscription = 64;
constexpr size_t kMaxInterruptSubscriptionsPerSession = 8;
constexpr size_t kMaxInterruptSubscriptions = 256;

struct InterruptEventRecord {
  uint32_t line = 0;
  uint64_t count = 0;  // events of this line for this subscription, 1, 2, ...
  uint64_t timestamp_unix_ns = 0;
};

struct InterruptSubscriptionInfo {
  uint64_t id = 0;
  std::string session_id;
  std::string client_name;
  std::vector<uint32_t> lines;
  uint64_t events_sent = 0;
  bool auto_acknowledge = false;
};

class InterruptHub {
 public:
  class Subscription {
   public:
    uint64_t id() const { return id_; }
    bool auto_acknowledge() const { return auto_acknowledge_; }

   private:
    friend class InterruptHub;
    Subscription(uint64_t id, SessionInfo session, bool auto_acknowledge)
        : id_(id),
          session_(std::move(session)),
          auto_acknowledge_(auto_acknowledge) {}

    struct LineState {
      uint64_t count = 0;
      bool awaiting_ack = false;
    };

    const uint64_t id_;
    const SessionInfo session_;
    const bool auto_acknowledge_;
    // Guarded by the hub's mutex.
    std::map<uint32_t, LineState> lines_;
    std::deque<InterruptEventRecord> queue_;
    uint64_t events_sent_ = 0;
    bool ended_ = false;
    std::condition_variable changed_;
  };

  // `lines` may be nullptr: the board delivers no interrupts and every
  // subscription is FAILED_PRECONDITION. It must outlive the hub.
  explicit InterruptHub(InterruptLines* lines);
  // Ends every subscription and closes every line.
  ~InterruptHub();

  InterruptHub(const InterruptHub&) = delete;
  InterruptHub& operator=(const InterruptHub&) = delete;

  bool available() const { return lines_ != nullptr; }

  // Subscribes `session` to `lines` and opens those nobody had open.
  // INVALID_ARGUMENT for no lines, too many or repeated ones; NOT_FOUND for
  // a line the board lacks; RESOURCE_EXHAUSTED beyond the limits above.
  std::shared_ptr<Subscription> subscribe(const SessionInfo& session,
                                          const std::vector<uint32_t>& lines,
                                          bool auto_acknowledge);

  // Ends `subscription` (idempotent); closes the lines nobody else watches.
  void unsubscribe(const std::shared_ptr<Subscription>& subscription);

  // Waits up to `timeout` for events of `subscription` and takes them; empty
  // after the timeout or once the subscription ended.
  std::vector<InterruptEventRecord> take(Subscription& subscription,
                                         std::chrono::milliseconds timeout);
  bool ended(Subscription& subscription);

  // The subscriber's acknowledgement of the last event of `line`; the line
  // is unmasked when no subscriber still owes one. NOT_FOUND unless the
  // subscription exists, belongs to `session_id` and has `line`.
  void acknowledge(const std::string& session_id, uint64_t subscription_id,
                   uint32_t line);
  void acknowledge(Subscription& subscription, uint32_t line);

  // Ends the subscriptions of a session (its cleanup); returns a log summary.
  std::string end_session(const std::string& session_id);
  // Ends every subscription (server shutdown).
  void end_all();

  std::vector<InterruptSubscriptionInfo> list() const;

 private:
  void on_interrupt(uint32_t line);
  // Removes `subscription` with mutex_ held; fills the lines to rearm and to
  // close afterwards.
  void remove_locked(Subscription& subscription,
                     std::vector<uint32_t>* rearm,
                     std::vector<uint32_t>* close);
  void end_matching(const std::function<bool(const Subscription&)>& match,
                    size_t* ended);

  InterruptLines* const lines_;
  // Held while lines open and close, so they do so in order.
  std::mutex open_close_mutex_;
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::shared_ptr<Subscription>> subscriptions_;
  // Line -> its subscribers.
  std::map<uint32_t, std::set<Subscription*>> watchers_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_INTERRUPT_HUB_H_
