#include "services/mmio_service.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "core/access.h"
#include "core/hex.h"
#include "core/limits.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

void check_block_limits(uint64_t count, unsigned width) {
  if (count > kMaxBurstWords) {
    throw StatusError(
        grpc::StatusCode::OUT_OF_RANGE,
        "count " + std::to_string(count) + " exceeds the limit of " +
            std::to_string(kMaxBurstWords) + " words per block transfer");
  }
  if (count * width > kMaxBurstBytes) {
    throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                      "block of " + std::to_string(count * width) +
                          " bytes exceeds the limit of " +
                          std::to_string(kMaxBurstBytes) +
                          " bytes per block transfer");
  }
}

void check_poll(const v1::PollStep& poll, unsigned width) {
  check_value_fits(poll.mask(), width, "mask");
  check_value_fits(poll.expected(), width, "expected");
  if ((poll.expected() & ~poll.mask()) != 0) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "expected " + to_hex(poll.expected()) +
                          " has bits outside mask " + to_hex(poll.mask()) +
                          ", so the poll could never succeed");
  }
  if (poll.timeout_ms() > kMaxPollTimeoutMs) {
    throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                      "poll timeout of " + std::to_string(poll.timeout_ms()) +
                          " ms exceeds the limit of " +
                          std::to_string(kMaxPollTimeoutMs) + " ms");
  }
}

// Runs `body` and puts "step N: " in front of the message of any
// StatusError it throws.
template <typename Body>
auto at_step(int index, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const StatusError& error) {
    throw StatusError(error.code(),
                      "step " + std::to_string(index) + ": " + error.what());
  }
}

// Reads and polls need a reader; any write or modify step an operator.
Role batch_role(const v1::BatchRequest& request) {
  for (const v1::BatchStep& step : request.steps()) {
    if (step.has_write() || step.has_modify()) return Role::kOperator;
  }
  return Role::kReader;
}

}  // namespace

MmioService::MmioService(std::shared_ptr<Backend> backend,
                         std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(std::move(authorizer)), backend_(std::move(backend)) {}

grpc::Status MmioService::Read(grpc::ServerContextBase* context,
                               const v1::ReadRequest* request,
                               v1::ReadResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "Read", context, [&] {
    const unsigned width = width_bytes(request->width());
    backend_->windows()->check(request->address(), width);
    response->set_value(backend_->read(request->address(), width));
  });
}

grpc::Status MmioService::Write(grpc::ServerContextBase* context,
                                const v1::WriteRequest* request,
                                v1::WriteResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "Write", context, [&] {
    const unsigned width = width_bytes(request->width());
    check_value_fits(request->value(), width);
    backend_->windows()->check(request->address(), width);
    backend_->write(request->address(), width, request->value());
  });
}

grpc::Status MmioService::ReadBlock(grpc::ServerContextBase* context,
                                    const v1::ReadBlockRequest* request,
                                    v1::ReadBlockResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "ReadBlock", context, [&] {
    const unsigned width = width_bytes(request->width());
    const uint64_t count = request->count();
    check_block_limits(count, width);
    backend_->windows()->check_range(request->address(), width, count);
    std::string* data = response->mutable_data();
    data->resize(count * width);
    backend_->read_block(request->address(), width, count,
                         reinterpret_cast<uint8_t*>(data->data()));
  });
}

grpc::Status MmioService::WriteBlock(grpc::ServerContextBase* context,
                                     const v1::WriteBlockRequest* request,
                                     v1::WriteBlockResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "WriteBlock", context, [&] {
    const unsigned width = width_bytes(request->width());
    const std::string& data = request->data();
    if (data.size() % width != 0) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "data length " + std::to_string(data.size()) +
                            " is not a multiple of the " +
                            std::to_string(width) + "-byte access width");
    }
    const uint64_t count = data.size() / width;
    check_block_limits(count, width);
    backend_->windows()->check_range(request->address(), width, count);
    backend_->write_block(request->address(), width, count,
                          reinterpret_cast<const uint8_t*>(data.data()));
  });
}

grpc::Status MmioService::Batch(grpc::ServerContextBase* context,
                                const v1::BatchRequest* request,
                                v1::BatchResponse* response) {
  const auto body = [&] { run_batch(context, *request, response); };
  // A batch that polls may last up to its timeouts.
  if (may_wait(*request)) {
    return run_long_authorized(*authorizer_, batch_role(*request), "Batch",
                               context, body);
  }
  return run_authorized(*authorizer_, batch_role(*request), "Batch", context,
                        body);
}

bool MmioService::may_wait(const v1::BatchRequest& request) {
  for (const v1::BatchStep& step : request.steps()) {
    if (step.has_poll()) return true;
  }
  return false;
}

std::unique_ptr<Authorizer::LongCall> MmioService::admit_waiting_batch(
    grpc::ServerContextBase* context, const v1::BatchRequest& request) {
  const Caller caller =
      authorizer_->require(*context, batch_role(request), "Batch");
  return authorizer_->begin_long_call(caller, "Batch");
}

grpc::Status MmioService::start_admitted_batch(
    grpc::ServerContextBase* context, const v1::BatchRequest* request,
    v1::BatchResponse* response, int* next_step) {
  return run_rpc("Batch", context, [&] {
    validate_batch(*request);
    *next_step = run_steps(context, *request, response, 0, false);
  });
}

grpc::Status MmioService::finish_admitted_batch(
    grpc::ServerContextBase* context, const v1::BatchRequest* request,
    v1::BatchResponse* response, int next_step) {
  return run_rpc("Batch", context, [&] {
    run_steps(context, *request, response, next_step, true);
  });
}

void MmioService::run_batch(grpc::ServerContextBase* context,
                            const v1::BatchRequest& request,
                            v1::BatchResponse* response) {
  validate_batch(request);
  run_steps(context, request, response, 0, true);
}

void MmioService::validate_batch(const v1::BatchRequest& request) const {
  const int count = request.steps_size();
  if (static_cast<uint64_t>(count) > kMaxBatchSteps) {
    throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                      "batch of " + std::to_string(count) +
                          " steps exceeds the limit of " +
                          std::to_string(kMaxBatchSteps) + " steps");
  }
  const std::shared_ptr<const MmioWindows> windows = backend_->windows();
  for (int i = 0; i < count; ++i) {
    at_step(i, [&] { validate_step(*windows, request.steps(i)); });
  }
}

int MmioService::run_steps(grpc::ServerContextBase* context,
                           const v1::BatchRequest& request,
                           v1::BatchResponse* response, int first,
                           bool may_wait) {
  const int count = request.steps_size();
  response->mutable_values()->Reserve(count);
  for (int i = first; i < count; ++i) {
    const v1::BatchStep& step = request.steps(i);
    if (!may_wait && step.has_poll()) {
      // One look, so that a poll already satisfied needs no waiting; a
      // miss is looked at again by the poll that continues the batch.
      const uint64_t value = at_step(i, [&] {
        return backend_->read(step.poll().address(),
                              width_bytes(step.poll().width()));
      });
      if ((value & step.poll().mask()) != step.poll().expected()) return i;
      response->add_values(value);
      continue;
    }
    response->add_values(at_step(i, [&] { return run_step(context, step); }));
  }
  return count;
}

void MmioService::validate_step(const MmioWindows& windows,
                                const v1::BatchStep& step) {
  switch (step.step_case()) {
    case v1::BatchStep::kRead: {
      const unsigned width = width_bytes(step.read().width());
      windows.check(step.read().address(), width);
      return;
    }
    case v1::BatchStep::kWrite: {
      const unsigned width = width_bytes(step.write().width());
      check_value_fits(step.write().value(), width);
      windows.check(step.write().address(), width);
      return;
    }
    case v1::BatchStep::kModify: {
      const unsigned width = width_bytes(step.modify().width());
      check_value_fits(step.modify().mask(), width, "mask");
      check_value_fits(step.modify().value(), width);
      windows.check(step.modify().address(), width);
      return;
    }
    case v1::BatchStep::kPoll: {
      const unsigned width = width_bytes(step.poll().width());
      check_poll(step.poll(), width);
      windows.check(step.poll().address(), width);
      return;
    }
    case v1::BatchStep::STEP_NOT_SET:
      break;
  }
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                    "the step is empty: set one of read, write, modify or "
                    "poll");
}

uint64_t MmioService::run_step(grpc::ServerContextBase* context,
                               const v1::BatchStep& step) {
  switch (step.step_case()) {
    case v1::BatchStep::kRead:
      return backend_->read(step.read().address(),
                            width_bytes(step.read().width()));
    case v1::BatchStep::kWrite:
      backend_->write(step.write().address(), width_bytes(step.write().width()),
                      step.write().value());
      return step.write().value();
    case v1::BatchStep::kModify:
      return modify(step.modify());
    case v1::BatchStep::kPoll:
      return poll(context, step.poll());
    case v1::BatchStep::STEP_NOT_SET:
      break;
  }
  throw StatusError(grpc::StatusCode::INTERNAL, "unvalidated empty step");
}

uint64_t MmioService::modify(const v1::ModifyStep& step) {
  const unsigned width = width_bytes(step.width());
  std::lock_guard<std::mutex> lock(modify_mutex_);
  const uint64_t old_value = backend_->read(step.address(), width);
  backend_->write(step.address(), width,
                  (old_value & ~step.mask()) | (step.value() & step.mask()));
  return old_value;
}

uint64_t MmioService::poll(grpc::ServerContextBase* context,
                           const v1::PollStep& step) {
  using Clock = std::chrono::steady_clock;
  const unsigned width = width_bytes(step.width());
  const Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(step.timeout_ms());
  // Shorter intervals, 0 among them, are raised to the minimum: a poll
  // that never pauses would spin a CPU that other callers need.
  const std::chrono::microseconds interval(
      std::max<uint64_t>(step.interval_us(), kMinPollIntervalUs));
  while (true) {
    const uint64_t value = backend_->read(step.address(), width);
    if ((value & step.mask()) == step.expected()) return value;
    if (context->IsCancelled()) {
      throw StatusError(
          grpc::StatusCode::CANCELLED,
          "poll of " + to_hex(step.address()) + " cancelled by the client");
    }
    const Clock::time_point now = Clock::now();
    if (now >= deadline) {
      throw StatusError(
          grpc::StatusCode::DEADLINE_EXCEEDED,
          "poll of " + to_hex(step.address()) + " timed out after " +
              std::to_string(step.timeout_ms()) + " ms: last value " +
              to_hex(value) + ", waiting for (value & " + to_hex(step.mask()) +
              ") == " + to_hex(step.expected()));
    }
    std::this_thread::sleep_for(
        std::min<Clock::duration>(interval, deadline - now));
  }
}

}  // namespace pynq_remote
