#include "core/session_repository.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <utility>

#include "core/limits.h"
#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

constexpr size_t kShortIdChars = 8;

// `text` cut to at most `limit` bytes without splitting a UTF-8 sequence
// (protobuf string fields must stay valid UTF-8), control characters '?'.
std::string printable(const std::string& text, size_t limit) {
  size_t cut = std::min(limit, text.size());
  while (cut > 0 && cut < text.size() &&
         (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string out = text.substr(0, cut);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = '?';
  }
  return out;
}

std::chrono::milliseconds granted_lease(std::chrono::milliseconds requested) {
  if (requested.count() == 0) return kDefaultLease;
  return std::clamp(requested, kMinLease, kMaxLease);
}

StatusError no_session(const std::string& id) {
  return StatusError(
      grpc::StatusCode::NOT_FOUND,
      "no session " + quoted_session_id(id) + "; open one with OpenSession");
}

}  // namespace

std::string short_session_id(const std::string& id) {
  std::string out = printable(id, kShortIdChars);
  // Wire ids may be any bytes; keep the message plain ASCII.
  for (char& c : out) {
    if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  }
  return out;
}

std::string quoted_session_id(const std::string& id) {
  return "'" + short_session_id(id) +
         (id.size() > kShortIdChars ? "\u2026'" : "'");
}

SessionRepository::SessionRepository() : reaper_([this] { reap(); }) {}

SessionRepository::~SessionRepository() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  reaper_.join();
  close_all();
}

void SessionRepository::add_cleanup(Cleanup cleanup) {
  std::lock_guard<std::mutex> lock(mutex_);
  cleanups_.push_back(std::move(cleanup));
}

SessionInfo SessionRepository::open(const std::string& client_name,
                                    std::chrono::milliseconds requested_lease,
                                    const std::string& owner) {
  SessionInfo info;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    check_session_limits_locked(owner);
    info.owner = owner;
    info.id = new_id_locked();
    info.client_name = printable(client_name, kMaxClientNameBytes);
    info.lease = granted_lease(requested_lease);
    sessions_[info.id] = Session{info, Clock::now() + info.lease};
  }
  // The new session may expire before the one the reaper waits for.
  changed_.notify_all();
  log_info("session " + short_session_id(info.id) + " (" + info.client_name +
           ") opened with a lease of " + std::to_string(info.lease.count()) +
           " ms");
  return info;
}

std::chrono::milliseconds SessionRepository::renew(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Session& session = find_locked(id);
  session.expiry = Clock::now() + session.info.lease;
  return session.info.lease;
}

void SessionRepository::close(const std::string& id) {
  SessionInfo info;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    info = find_locked(id).info;
    sessions_.erase(info.id);
  }
  end(info, "closed");
}

void SessionRepository::close_all() {
  std::map<std::string, Session> sessions;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions.swap(sessions_);
  }
  for (const auto& entry : sessions) {
    end(entry.second.info, "closed at shutdown");
  }
}

void SessionRepository::with_session(
    const std::string& id,
    const std::function<void(const SessionInfo&)>& body) {
  std::lock_guard<std::mutex> lock(mutex_);
  body(find_locked(id).info);
}

SessionInfo SessionRepository::find(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_locked(id).info;
}

size_t SessionRepository::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

SessionRepository::Session& SessionRepository::find_locked(
    const std::string& id) {
  auto found = sessions_.find(id);
  // An expired session the reaper has not reached yet is already gone.
  if (found == sessions_.end() || found->second.expiry <= Clock::now()) {
    throw no_session(id);
  }
  return found->second;
}

void SessionRepository::check_session_limits_locked(
    const std::string& owner) const {
  if (sessions_.size() >= static_cast<size_t>(kMaxSessions)) {
    throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "the server has " + std::to_string(kMaxSessions) +
                          " sessions open, its limit; try again when some "
                          "have closed or expired");
  }
  if (owner.empty()) return;
  int of_owner = 0;
  for (const auto& entry : sessions_) {
    if (entry.second.info.owner == owner) ++of_owner;
  }
  if (of_owner >= kMaxSessionsPerCaller) {
    throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "'" + owner + "' already has " +
                          std::to_string(kMaxSessionsPerCaller) +
                          " sessions open, the limit per caller; close one "
                          "first");
  }
}

std::string SessionRepository::new_id_locked() {
  std::string id;
  do {
    id.clear();
    for (int i = 0; i < 4; ++i) {
      char word[9];
      std::snprintf(word, sizeof(word), "%08x",
                    static_cast<unsigned>(random_() & 0xFFFFFFFFu));
      id += word;
    }
  } while (sessions_.count(id) != 0);
  return id;
}

std::vector<SessionInfo> SessionRepository::take_expired_locked(
    Clock::time_point now) {
  std::vector<SessionInfo> expired;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.expiry <= now) {
      expired.push_back(std::move(it->second.info));
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

SessionRepository::Clock::time_point SessionRepository::next_expiry_locked()
    const {
  Clock::time_point next = Clock::time_point::max();
  for (const auto& entry : sessions_) {
    next = std::min(next, entry.second.expiry);
  }
  return next;
}

void SessionRepository::end(const SessionInfo& session, const char* how) {
  std::vector<Cleanup> cleanups;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cleanups = cleanups_;
  }
  std::string released;
  for (const Cleanup& cleanup : cleanups) {
    try {
      const std::string summary = cleanup(session.id);
      if (summary.empty()) continue;
      released += (released.empty() ? ": " : ", ") + summary;
    } catch (const std::exception& error) {
      log_error("cleanup of session " + short_session_id(session.id) +
                " failed: " + error.what());
    }
  }
  log_info("session " + short_session_id(session.id) + " (" +
           session.client_name + ") " + how + released);
}

void SessionRepository::reap() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    const std::vector<SessionInfo> expired = take_expired_locked(Clock::now());
    if (!expired.empty()) {
      lock.unlock();
      for (const SessionInfo& session : expired) end(session, "expired");
      lock.lock();
      continue;
    }
    if (sessions_.empty()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, next_expiry_locked());
    }
  }
}

}  // namespace pynq_remote
