// libFuzzer target: SessionService (OpenSession, RenewSession, CloseSession).
// Input: a SessionInput message; session_slot picks sessions opened earlier.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/limits.h"
#include "core/session_repository.h"
#include "fuzz_support.h"
#include "services/session_service.h"

namespace pynq_remote {
namespace fuzz {
namespace {

// The id a call names: the slot's session, or the request's own.
std::string session_id(uint32_t slot, const std::string& own,
                       const std::vector<std::string>& opened) {
  if (slot == 0 || opened.empty()) return own;
  return opened[(slot - 1) % opened.size()];
}

void run(const SessionInput& input) {
  auto sessions = std::make_shared<SessionRepository>();
  SessionService service(sessions);
  std::vector<std::string> opened;
  std::set<std::string> closed;
  int calls = 0;
  for (const SessionCall& call : input.calls()) {
    if (++calls > kMaxCalls) break;
    grpc::ServerContext context;
    switch (call.call_case()) {
      case SessionCall::kOpen: {
        v1::OpenSessionResponse response;
        const grpc::Status status =
            service.OpenSession(&context, &call.open(), &response);
        check_status("OpenSession", status);
        check(status.ok(), "OpenSession failed: " + status.error_message());
        check(response.session_id().size() == 32,
              "session id of " + std::to_string(response.session_id().size()) +
                  " characters");
        const auto lease = std::chrono::milliseconds(response.lease_ms());
        check(lease >= kMinLease && lease <= kMaxLease,
              "lease of " + std::to_string(response.lease_ms()) + " ms");
        opened.push_back(response.session_id());
        break;
      }
      case SessionCall::kRenew: {
        v1::RenewSessionRequest request = call.renew();
        request.set_session_id(
            session_id(call.session_slot(), request.session_id(), opened));
        v1::RenewSessionResponse response;
        const grpc::Status status =
            service.RenewSession(&context, &request, &response);
        check_status("RenewSession", status);
        if (closed.count(request.session_id()) != 0) {
          check(status.error_code() == grpc::StatusCode::NOT_FOUND,
                "a closed session was renewed");
        }
        break;
      }
      case SessionCall::kClose: {
        v1::CloseSessionRequest request = call.close();
        request.set_session_id(
            session_id(call.session_slot(), request.session_id(), opened));
        v1::CloseSessionResponse response;
        const grpc::Status status =
            service.CloseSession(&context, &request, &response);
        check_status("CloseSession", status);
        if (status.ok()) closed.insert(request.session_id());
        break;
      }
      case SessionCall::CALL_NOT_SET:
        break;
    }
  }
  // At most: a session whose lease ran out during a slow run may be gone.
  check(sessions->size() <= opened.size() - closed.size(),
        std::to_string(sessions->size()) + " sessions open after opening " +
            std::to_string(opened.size()) + " and closing " +
            std::to_string(closed.size()));
}

}  // namespace
}  // namespace fuzz
}  // namespace pynq_remote

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pynq_remote::fuzz::quiet_logs();
  pynq_remote::fuzz::SessionInput input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return -1;
  pynq_remote::fuzz::run(input);
  return 0;
}
