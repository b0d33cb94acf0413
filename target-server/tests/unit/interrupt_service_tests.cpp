#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "backends/sim_axi_gpio.h"
#include "backends/sim_axi_intc.h"
#include "backends/sim_backend.h"
#include "core/interrupt_hub.h"
#include "services/interrupt_service.h"
#include "unit/expect_status.h"

namespace pynq_remote {
namespace {

constexpr uint32_t kLine = 121;

// InterruptLines that records what the hub does and fires on demand.
class FakeLines final : public InterruptLines {
 public:
  std::vector<uint32_t> available() override { return {121, 122}; }
  void open(uint32_t line, Handler handler) override {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_[line] = std::move(handler);
  }
  void rearm(uint32_t line) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++rearms_[line];
  }
  void close(uint32_t line) override {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_.erase(line);
  }
  size_t open_lines() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return handlers_.size();
  }
  size_t reader_threads() override { return 0; }

  void fire(uint32_t line) {
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      handler = handlers_.at(line);
    }
    handler(line);
  }
  int rearms(uint32_t line) {
    std::lock_guard<std::mutex> lock(mutex_);
    return rearms_[line];
  }

 private:
  std::mutex mutex_;
  std::map<uint32_t, Handler> handlers_;
  std::map<uint32_t, int> rearms_;
};

SessionInfo session(const std::string& id) { return SessionInfo{id, "test", {}}; }

TEST(InterruptHubTests, TwoSubscribers_BothGetEachEvent_RearmAfterBothAck) {
  FakeLines lines;
  InterruptHub hub(&lines);
  auto a = hub.subscribe(session("a"), {kLine}, false);
  auto b = hub.subscribe(session("b"), {kLine, 122}, false);
  EXPECT_EQ(lines.open_lines(), 2u);
  lines.fire(kLine);
  for (auto* s : {a.get(), b.get()}) {
    const auto events = hub.take(*s, std::chrono::milliseconds(0));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].line, kLine);
    EXPECT_EQ(events[0].count, 1u);
  }
  hub.acknowledge("a", a->id(), kLine);
  EXPECT_EQ(lines.rearms(kLine), 0);
  hub.acknowledge("b", b->id(), kLine);
  EXPECT_EQ(lines.rearms(kLine), 1);
  lines.fire(kLine);
  EXPECT_EQ(hub.take(*a, std::chrono::milliseconds(0))[0].count, 2u);
}

TEST(InterruptHubTests, LastSubscriberGone_ClosesLine_OwedAckRearms) {
  FakeLines lines;
  InterruptHub hub(&lines);
  auto a = hub.subscribe(session("a"), {kLine}, false);
  auto b = hub.subscribe(session("b"), {kLine}, false);
  lines.fire(kLine);
  hub.acknowledge(*a, kLine);
  hub.unsubscribe(b);  // b owed the last acknowledgement
  EXPECT_EQ(lines.rearms(kLine), 1);
  EXPECT_EQ(lines.open_lines(), 1u);
  EXPECT_EQ(hub.end_session("a"), "ended 1 interrupt subscriptions");
  EXPECT_TRUE(hub.ended(*a));
  EXPECT_EQ(lines.open_lines(), 0u);
  EXPECT_TRUE(hub.list().empty());
}

TEST(InterruptHubTests, BadRequests_RefusedWithTheirCodes) {
  FakeLines lines;
  InterruptHub hub(&lines);
  expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                [&] { hub.subscribe(session("a"), {}, false); });
  expect_status(grpc::StatusCode::INVALID_ARGUMENT,
                [&] { hub.subscribe(session("a"), {kLine, kLine}, false); });
  EXPECT_EQ(expect_status(grpc::StatusCode::NOT_FOUND,
                          [&] { hub.subscribe(session("a"), {7}, false); }),
            "no interrupt line 7 on this board (lines: 121, 122)");
  for (size_t i = 0; i < kMaxInterruptSubscriptionsPerSession; ++i) {
    hub.subscribe(session("a"), {kLine}, true);
  }
  expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                [&] { hub.subscribe(session("a"), {kLine}, true); });
  expect_status(grpc::StatusCode::NOT_FOUND,
                [&] { hub.acknowledge("b", 1, kLine); });
  InterruptHub none(nullptr);
  expect_status(grpc::StatusCode::FAILED_PRECONDITION,
                [&] { none.subscribe(session("a"), {kLine}, false); });
}

// Stream writer that the test reads from another thread.
class CollectingWriter final
    : public grpc::ServerWriterInterface<v1::WatchInterruptsResponse> {
 public:
  void SendInitialMetadata() override {}
  bool Write(const v1::WatchInterruptsResponse& message,
             grpc::WriteOptions /*options*/) override {
    std::lock_guard<std::mutex> lock(mutex_);
    written_.push_back(message);
    return true;
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mutex_);
    return written_.size();
  }
  v1::WatchInterruptsResponse at(size_t i) {
    std::lock_guard<std::mutex> lock(mutex_);
    return written_.at(i);
  }

 private:
  std::mutex mutex_;
  std::vector<v1::WatchInterruptsResponse> written_;
};

bool eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 200 && !condition(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

TEST(InterruptServiceTests, WatchInterrupts_SessionCloses_StreamEndsAndLineCloses) {
  config::BoardConfig config;
  auto sim = std::make_shared<SimBackend>(config);
  auto sessions = std::make_shared<SessionRepository>();
  InterruptService service(sim, sessions);
  const SessionInfo owner = sessions->open("test", std::chrono::milliseconds(0));
  v1::WatchInterruptsRequest request;
  request.set_session_id(owner.id);
  request.add_lines(kLine);
  CollectingWriter writer;
  grpc::ServerContext context;
  grpc::Status status;
  std::thread stream(
      [&] { status = service.watch_interrupts(&context, &request, &writer); });
  ASSERT_TRUE(eventually([&] { return writer.size() == 1; }));
  EXPECT_TRUE(writer.at(0).has_started());
  EXPECT_EQ(sim->interrupts()->open_lines(), 1u);
  sessions->close(owner.id);
  stream.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(sim->interrupts()->open_lines(), 0u);
}

TEST(InterruptServiceTests, WatchInterrupts_UnknownSession_NotFound) {
  auto sim = std::make_shared<SimBackend>(config::BoardConfig());
  InterruptService service(sim, std::make_shared<SessionRepository>());
  v1::WatchInterruptsRequest request;
  request.set_session_id("nope");
  request.add_lines(kLine);
  CollectingWriter writer;
  grpc::ServerContext context;
  EXPECT_EQ(service.watch_interrupts(&context, &request, &writer).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace pynq_remote
