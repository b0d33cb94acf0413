// Client sessions: who holds what on the board, and until when. A session
// ends when its client closes it, when its lease runs out, or at shutdown;
// then every cleanup registered by the services releases what it owned.
#ifndef PYNQ_REMOTE_CORE_SESSION_REPOSITORY_H_
#define PYNQ_REMOTE_CORE_SESSION_REPOSITORY_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace pynq_remote {

struct SessionInfo {
  std::string id;           // 32 lowercase hex digits
  std::string client_name;  // printable, at most kMaxClientNameBytes
  std::chrono::milliseconds lease{0};
  // Who opened it (the authorizer's identity); "" when nobody said.
  std::string owner;
};

constexpr size_t kMaxClientNameBytes = 200;

// The first 8 characters of a session id, made printable, for logs. Ids
// are secrets, so logs and messages never carry them whole.
std::string short_session_id(const std::string& id);

// The same in quotes, with "…" when the id is longer: "'abcd1234…'".
std::string quoted_session_id(const std::string& id);

// Thread safe. One reaper thread closes sessions whose lease ran out.
class SessionRepository {
 public:
  // Releases what the session `session_id` owned; returns a summary for the
  // log such as "freed 2 buffers (8192 bytes)", or "" when there is nothing
  // to say. Runs without any lock of the repository held; must not throw
  // (what it throws is logged) and must not capture objects that may die
  // before the repository.
  using Cleanup = std::function<std::string(const std::string& session_id)>;

  SessionRepository();
  // Stops the reaper, then closes the sessions still open.
  ~SessionRepository();

  SessionRepository(const SessionRepository&) = delete;
  SessionRepository& operator=(const SessionRepository&) = delete;

  // Runs `cleanup` for every session that ends from now on.
  void add_cleanup(Cleanup cleanup);

  // A new session. A `requested_lease` of 0 takes kDefaultLease; others are
  // clamped to [kMinLease, kMaxLease]. Control characters in `client_name`
  // become '?' and it is cut to kMaxClientNameBytes. RESOURCE_EXHAUSTED
  // when `owner` holds kMaxSessionsPerCaller sessions or the server
  // kMaxSessions.
  SessionInfo open(const std::string& client_name,
                   std::chrono::milliseconds requested_lease,
                   const std::string& owner = "");

  // Moves the expiry of `id` to now + its lease and returns the lease.
  // NOT_FOUND for ids that are unknown, closed or expired (as all below).
  std::chrono::milliseconds renew(const std::string& id);

  // Ends `id` and runs the cleanups before returning.
  void close(const std::string& id);

  // Ends every session, logging them as closed at shutdown.
  void close_all();

  // Runs `body` with the open session `id`, which cannot end while `body`
  // runs: what `body` gives the session is released by its cleanups. `body`
  // holds the repository lock, so keep it short and do not call back.
  void with_session(const std::string& id,
                    const std::function<void(const SessionInfo&)>& body);

  // The open session `id`.
  SessionInfo find(const std::string& id);

  // Sessions not yet ended, including expired ones the reaper has not seen.
  size_t size() const;

 private:
  using Clock = std::chrono::steady_clock;

  struct Session {
    SessionInfo info;
    Clock::time_point expiry;
  };

  // The open session `id`, or NOT_FOUND. Call with mutex_ held.
  Session& find_locked(const std::string& id);
  // RESOURCE_EXHAUSTED when `owner` may open no more sessions.
  void check_session_limits_locked(const std::string& owner) const;
  std::string new_id_locked();
  // Removes and returns every session whose lease ran out by `now`.
  std::vector<SessionInfo> take_expired_locked(Clock::time_point now);
  Clock::time_point next_expiry_locked() const;
  // Runs the cleanups of an ended session and logs it as `how` ("closed").
  void end(const SessionInfo& session, const char* how);
  void reap();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::map<std::string, Session> sessions_;
  std::vector<Cleanup> cleanups_;
  std::random_device random_;
  std::thread reaper_;  // last: starts once everything above exists
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_SESSION_REPOSITORY_H_
