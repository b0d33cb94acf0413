#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/limits.h"
#include "core/session_repository.h"
#include "unit/expect_status.h"

namespace pynq_remote {
namespace {

using std::chrono::milliseconds;
using ::testing::MatchesRegex;
using Clock = std::chrono::steady_clock;

// Records the ids of ended sessions; shared so cleanups may outlive a test
// scope safely.
struct Ended {
  std::mutex mutex;
  std::vector<std::string> ids;

  void add(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex);
    ids.push_back(id);
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return ids.size();
  }
};

SessionRepository::Cleanup recorder(const std::shared_ptr<Ended>& ended) {
  return [ended](const std::string& id) {
    ended->add(id);
    return "freed nothing";
  };
}

TEST(SessionRepositoryTests, Open_Leases_DefaultAndClamped) {
  SessionRepository sessions;
  EXPECT_EQ(sessions.open("a", milliseconds(0)).lease, kDefaultLease);
  EXPECT_EQ(sessions.open("a", milliseconds(1)).lease, milliseconds(200));
  EXPECT_EQ(sessions.open("a", milliseconds(5000)).lease, milliseconds(5000));
  EXPECT_EQ(sessions.open("a", milliseconds(4000000000u)).lease,
            milliseconds(600000));
}

TEST(SessionRepositoryTests, Open_Ids_Unique128BitHex) {
  SessionRepository sessions;
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = sessions.open("a", milliseconds(0)).id;
    EXPECT_THAT(id, MatchesRegex("[0-9a-f]{32}"));
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

TEST(SessionRepositoryTests, Open_ClientName_ControlCharsReplacedUtf8Kept) {
  SessionRepository sessions;
  EXPECT_EQ(
      sessions.open("alice\n[error] fake\x7f", milliseconds(0)).client_name,
      "alice?[error] fake?");
  // 199 ASCII bytes then a 2-byte character: cut before it, not inside.
  const std::string name = std::string(199, 'x') + "\xc3\xa9";
  EXPECT_EQ(sessions.open(name, milliseconds(0)).client_name,
            std::string(199, 'x'));
}

TEST(SessionRepositoryTests, UnknownId_NotFoundWithShortPrefixOnly) {
  SessionRepository sessions;
  const std::string id = "abcd1234ffffffffffffffffffffffff";
  EXPECT_EQ(
      expect_status(grpc::StatusCode::NOT_FOUND, [&] { sessions.renew(id); }),
      "no session 'abcd1234\u2026'; open one with OpenSession");
  EXPECT_EQ(expect_status(grpc::StatusCode::NOT_FOUND,
                          [&] { sessions.close("x\ny"); }),
            "no session 'x?y'; open one with OpenSession");
  expect_status(grpc::StatusCode::NOT_FOUND, [&] { sessions.find(""); });
  expect_status(grpc::StatusCode::NOT_FOUND, [&] {
    sessions.with_session(id, [](const SessionInfo&) { FAIL(); });
  });
}

TEST(SessionRepositoryTests, Renew_OpenSession_ReturnsLeaseKeepsItAlive) {
  SessionRepository sessions;
  const SessionInfo session = sessions.open("a", milliseconds(200));
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(milliseconds(80));
    EXPECT_EQ(sessions.renew(session.id), milliseconds(200));
  }
  // 400 ms after opening, past the first lease: still open.
  EXPECT_EQ(sessions.find(session.id).client_name, "a");
}

TEST(SessionRepositoryTests, Close_RunsCleanupsOnceThenNotFound) {
  auto ended = std::make_shared<Ended>();
  SessionRepository sessions;
  sessions.add_cleanup(recorder(ended));
  const SessionInfo kept = sessions.open("kept", milliseconds(0));
  const SessionInfo closed = sessions.open("closed", milliseconds(0));
  sessions.close(closed.id);
  ASSERT_EQ(ended->count(), 1u);
  EXPECT_EQ(ended->ids[0], closed.id);
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { sessions.close(closed.id); });
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { sessions.renew(closed.id); });
  EXPECT_EQ(ended->count(), 1u);
  EXPECT_EQ(sessions.find(kept.id).id, kept.id);
}

TEST(SessionRepositoryTests, Lease_RunsOut_ReaperClosesAndCleansUp) {
  SessionRepository sessions;
  auto done = std::make_shared<std::promise<std::string>>();
  sessions.add_cleanup([done](const std::string& id) {
    done->set_value(id);
    return "";
  });
  const Clock::time_point opened = Clock::now();
  const SessionInfo session = sessions.open("short", milliseconds(200));
  std::future<std::string> ended = done->get_future();

  ASSERT_EQ(ended.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  const milliseconds after =
      std::chrono::duration_cast<milliseconds>(Clock::now() - opened);
  EXPECT_EQ(ended.get(), session.id);
  EXPECT_GE(after, milliseconds(200));
  EXPECT_LT(after, milliseconds(200 + 300));
  EXPECT_EQ(sessions.size(), 0u);
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { sessions.renew(session.id); });
}

TEST(SessionRepositoryTests, Lease_ShorterSessionOpenedLater_ReaperWakesForIt) {
  auto ended = std::make_shared<Ended>();
  SessionRepository sessions;
  sessions.add_cleanup(recorder(ended));
  sessions.open("long", milliseconds(600000));
  std::this_thread::sleep_for(milliseconds(20));  // reaper waits for "long"
  const SessionInfo short_one = sessions.open("short", milliseconds(200));
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(2);
  while (ended->count() == 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_EQ(ended->count(), 1u);
  EXPECT_EQ(ended->ids[0], short_one.id);
  EXPECT_EQ(sessions.size(), 1u);
}

TEST(SessionRepositoryTests, Lease_ExpiredNotYetReaped_AlreadyNotFound) {
  SessionRepository sessions;
  // Blocks the reaper inside the cleanup of a first session, so a second
  // one expires while the reaper cannot reach it.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  sessions.add_cleanup([released](const std::string&) {
    released.wait();
    return "";
  });
  sessions.open("blocker", milliseconds(200));
  const SessionInfo late = sessions.open("late", milliseconds(250));
  std::this_thread::sleep_for(milliseconds(300));
  expect_status(grpc::StatusCode::NOT_FOUND, [&] { sessions.renew(late.id); });
  release.set_value();
}

TEST(SessionRepositoryTests, CleanupThrows_LoggedOthersStillRun) {
  auto ended = std::make_shared<Ended>();
  SessionRepository sessions;
  sessions.add_cleanup(
      [](const std::string&) -> std::string { throw std::runtime_error("x"); });
  sessions.add_cleanup(recorder(ended));
  sessions.close(sessions.open("a", milliseconds(0)).id);
  EXPECT_EQ(ended->count(), 1u);
}

TEST(SessionRepositoryTests, Destructor_ClosesOpenSessions) {
  auto ended = std::make_shared<Ended>();
  {
    SessionRepository sessions;
    sessions.add_cleanup(recorder(ended));
    sessions.open("a", milliseconds(0));
    sessions.open("b", milliseconds(600000));
  }
  EXPECT_EQ(ended->count(), 2u);
}

TEST(SessionRepositoryTests, ConcurrentOpenClose_EverySessionCleanedOnce) {
  auto ended = std::make_shared<Ended>();
  SessionRepository sessions;
  sessions.add_cleanup(recorder(ended));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        try {
          const SessionInfo session = sessions.open("t", milliseconds(0));
          sessions.renew(session.id);
          sessions.with_session(session.id, [](const SessionInfo&) {});
          sessions.close(session.id);
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(sessions.size(), 0u);
  ASSERT_EQ(ended->count(), 400u);
  EXPECT_EQ(std::set<std::string>(ended->ids.begin(), ended->ids.end()).size(),
            400u);
}

TEST(SessionRepositoryTests, ShortSessionId_FirstEightPrintableAscii) {
  EXPECT_EQ(short_session_id("0123456789abcdef"), "01234567");
  EXPECT_EQ(short_session_id("ab\x01\xff"), "ab??");
  EXPECT_EQ(quoted_session_id("0123456789"), "'01234567\u2026'");
  EXPECT_EQ(quoted_session_id("01234567"), "'01234567'");
}

}  // namespace
}  // namespace pynq_remote
