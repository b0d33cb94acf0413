#include "core/interrupt_hub.h"

#include <algorithm>
#include <utility>

#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

uint64_t unix_ns_now() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

void check_lines(const std::vector<uint32_t>& lines,
                 const std::vector<uint32_t>& available) {
  if (lines.empty()) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "name at least one interrupt line");
  }
  if (lines.size() > kMaxInterruptLinesPerSubscription) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      std::to_string(lines.size()) +
                          " lines exceed the limit of " +
                          std::to_string(kMaxInterruptLinesPerSubscription) +
                          " per subscription");
  }
  std::set<uint32_t> seen;
  for (uint32_t line : lines) {
    if (!seen.insert(line).second) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "line " + std::to_string(line) + " is named twice");
    }
    if (!std::binary_search(available.begin(), available.end(), line)) {
      std::string names;
      for (uint32_t a : available) {
        names += (names.empty() ? "" : ", ") + std::to_string(a);
      }
      throw StatusError(grpc::StatusCode::NOT_FOUND,
                        "no interrupt line " + std::to_string(line) +
                            " on this board (lines: " +
                            (names.empty() ? "none" : names) + ")");
    }
  }
}

}  // namespace

InterruptHub::InterruptHub(InterruptLines* lines) : lines_(lines) {}

InterruptHub::~InterruptHub() { end_all(); }

std::shared_ptr<InterruptHub::Subscription> InterruptHub::subscribe(
    const SessionInfo& session, const std::vector<uint32_t>& lines,
    bool auto_acknowledge) {
  if (lines_ == nullptr) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this board delivers no interrupts to the server");
  }
  std::vector<uint32_t> available = lines_->available();
  std::sort(available.begin(), available.end());
  check_lines(lines, available);
  std::lock_guard<std::mutex> open_close(open_close_mutex_);
  std::shared_ptr<Subscription> subscription;
  std::vector<uint32_t> to_open;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (subscriptions_.size() >= kMaxInterruptSubscriptions) {
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the server has " +
                            std::to_string(subscriptions_.size()) +
                            " interrupt subscriptions, its limit");
    }
    const size_t of_session = static_cast<size_t>(std::count_if(
        subscriptions_.begin(), subscriptions_.end(), [&](const auto& entry) {
          return entry.second->session_.id == session.id;
        }));
    if (of_session >= kMaxInterruptSubscriptionsPerSession) {
      throw StatusError(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          "session " + quoted_session_id(session.id) + " has " +
              std::to_string(of_session) +
              " interrupt subscriptions, the limit per session");
    }
    subscription = std::shared_ptr<Subscription>(
        new Subscription(next_id_++, session, auto_acknowledge));
    subscriptions_[subscription->id_] = subscription;
    for (uint32_t line : lines) {
      subscription->lines_[line];
      std::set<Subscription*>& watchers = watchers_[line];
      if (watchers.empty()) to_open.push_back(line);
      watchers.insert(subscription.get());
    }
  }
  for (size_t i = 0; i < to_open.size(); ++i) {
    try {
      // The hub closes every line before it goes, so `this` outlives the
      // handler.
      lines_->open(to_open[i], [this](uint32_t line) { on_interrupt(line); });
    } catch (...) {
      std::vector<uint32_t> rearm, close;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        remove_locked(*subscription, &rearm, &close);
      }
      for (size_t j = 0; j < i; ++j) lines_->close(to_open[j]);
      throw;
    }
  }
  return subscription;
}

void InterruptHub::remove_locked(Subscription& subscription,
                                 std::vector<uint32_t>* rearm,
                                 std::vector<uint32_t>* close) {
  if (subscription.ended_) return;
  subscription.ended_ = true;
  subscription.changed_.notify_all();
  subscriptions_.erase(subscription.id_);
  for (const auto& entry : subscription.lines_) {
    const uint32_t line = entry.first;
    auto found = watchers_.find(line);
    if (found == watchers_.end()) continue;
    found->second.erase(&subscription);
    if (found->second.empty()) {
      watchers_.erase(found);
      close->push_back(line);
      continue;
    }
    if (!entry.second.awaiting_ack) continue;
    const bool others_owe = std::any_of(
        found->second.begin(), found->second.end(),
        [&](Subscription* other) { return other->lines_[line].awaiting_ack; });
    if (!others_owe) rearm->push_back(line);
  }
}

void InterruptHub::unsubscribe(
    const std::shared_ptr<Subscription>& subscription) {
  std::lock_guard<std::mutex> open_close(open_close_mutex_);
  std::vector<uint32_t> rearm, close;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    remove_locked(*subscription, &rearm, &close);
  }
  for (uint32_t line : rearm) lines_->rearm(line);
  for (uint32_t line : close) lines_->close(line);
}

void InterruptHub::on_interrupt(uint32_t line) {
  const uint64_t now = unix_ns_now();
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = watchers_.find(line);
  if (found == watchers_.end()) return;  // closing: stays masked
  for (Subscription* subscription : found->second) {
    Subscription::LineState& state = subscription->lines_[line];
    state.awaiting_ack = true;
    subscription->queue_.push_back(InterruptEventRecord{line, ++state.count, now});
    subscription->changed_.notify_all();
  }
}

std::vector<InterruptEventRecord> InterruptHub::take(
    Subscription& subscription, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  subscription.changed_.wait_for(lock, timeout, [&] {
    return subscription.ended_ || !subscription.queue_.empty();
  });
  std::vector<InterruptEventRecord> events;
  if (subscription.ended_) return events;
  events.assign(subscription.queue_.begin(), subscription.queue_.end());
  subscription.queue_.clear();
  subscription.events_sent_ += events.size();
  return events;
}

bool InterruptHub::ended(Subscription& subscription) {
  std::lock_guard<std::mutex> lock(mutex_);
  return subscription.ended_;
}

void InterruptHub::acknowledge(const std::string& session_id,
                               uint64_t subscription_id, uint32_t line) {
  std::shared_ptr<Subscription> subscription;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = subscriptions_.find(subscription_id);
    if (found == subscriptions_.end() ||
        found->second->session_.id != session_id) {
      throw StatusError(grpc::StatusCode::NOT_FOUND,
                        "no interrupt subscription " +
                            std::to_string(subscription_id) +
                            " in this session");
    }
    subscription = found->second;
    if (subscription->lines_.count(line) == 0) {
      throw StatusError(grpc::StatusCode::NOT_FOUND,
                        "interrupt subscription " +
                            std::to_string(subscription_id) +
                            " does not watch line " + std::to_string(line));
    }
  }
  acknowledge(*subscription, line);
}

void InterruptHub::acknowledge(Subscription& subscription, uint32_t line) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (subscription.ended_) return;
    auto state = subscription.lines_.find(line);
    if (state == subscription.lines_.end() || !state->second.awaiting_ack) {
      return;
    }
    state->second.awaiting_ack = false;
    for (Subscription* other : watchers_[line]) {
      if (other->lines_[line].awaiting_ack) return;
    }
  }
  lines_->rearm(line);
}

void InterruptHub::end_matching(
    const std::function<bool(const Subscription&)>& match, size_t* ended) {
  std::lock_guard<std::mutex> open_close(open_close_mutex_);
  std::vector<uint32_t> rearm, close;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::shared_ptr<Subscription>> matching;
    for (const auto& entry : subscriptions_) {
      if (match(*entry.second)) matching.push_back(entry.second);
    }
    for (const auto& subscription : matching) {
      remove_locked(*subscription, &rearm, &close);
    }
    *ended = matching.size();
  }
  if (lines_ == nullptr) return;
  for (uint32_t line : rearm) lines_->rearm(line);
  for (uint32_t line : close) lines_->close(line);
}

std::string InterruptHub::end_session(const std::string& session_id) {
  size_t ended = 0;
  end_matching(
      [&](const Subscription& s) { return s.session_.id == session_id; },
      &ended);
  if (ended == 0) return "";
  return "ended " + std::to_string(ended) + " interrupt subscriptions";
}

void InterruptHub::end_all() {
  size_t ended = 0;
  end_matching([](const Subscription&) { return true; }, &ended);
}

std::vector<InterruptSubscriptionInfo> InterruptHub::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<InterruptSubscriptionInfo> out;
  for (const auto& entry : subscriptions_) {
    const Subscription& s = *entry.second;
    InterruptSubscriptionInfo info;
    info.id = s.id_;
    info.session_id = s.session_.id;
    info.client_name = s.session_.client_name;
    for (const auto& line : s.lines_) info.lines.push_back(line.first);
    info.events_sent = s.events_sent_;
    info.auto_acknowledge = s.auto_acknowledge_;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace pynq_remote
