#include "services/clock_service.h"

#include <utility>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

void to_proto(const PlClock& clock, v1::PlClock* out) {
  out->set_index(clock.index);
  out->set_enabled(clock.enabled);
  out->set_source(clock.source);
  out->set_source_mhz(clock.source_mhz);
  out->set_divisor0(clock.divisor0);
  out->set_divisor1(clock.divisor1);
  out->set_frequency_mhz(clock.frequency_mhz);
}

}  // namespace

ClockService::ClockService(std::shared_ptr<Backend> backend,
                           std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(std::move(authorizer)), backend_(std::move(backend)) {}

PlClocks& ClockService::clocks() const {
  PlClocks* clocks = backend_->pl_clocks();
  if (clocks == nullptr) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this board (platform '" +
                          backend_->description().platform +
                          "') has no PL clocks the server can control");
  }
  return *clocks;
}

grpc::Status ClockService::GetClocks(grpc::ServerContext* context,
                                     const v1::GetClocksRequest* /*request*/,
                                     v1::GetClocksResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "GetClocks", context, [&] {
    PlClocks& clocks = this->clocks();
    response->set_cpu_mhz(clocks.cpu_mhz());
    for (const PlClock& clock : clocks.list()) {
      to_proto(clock, response->add_pl_clocks());
    }
  });
}

grpc::Status ClockService::SetPlClock(grpc::ServerContext* context,
                                      const v1::SetPlClockRequest* request,
                                      v1::SetPlClockResponse* response) {
  return run_authorized(*authorizer_, Role::kOperator, "SetPlClock", context, [&] {
    PlClocks& clocks = this->clocks();
    const bool divisor0 = request->divisor0() != 0;
    const bool divisor1 = request->divisor1() != 0;
    if (divisor0 != divisor1) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "give both divisors or neither");
    }
    const PlClock clock =
        divisor0 ? clocks.set_divisors(request->index(), request->divisor0(),
                                       request->divisor1())
                 : clocks.set_frequency(request->index(),
                                        request->frequency_mhz());
    to_proto(clock, response->mutable_clock());
  });
}

}  // namespace pynq_remote
