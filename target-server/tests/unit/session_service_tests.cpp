#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "services/session_service.h"

namespace pynq_remote {
namespace {

using ::testing::MatchesRegex;

class SessionServiceTest : public ::testing::Test {
 protected:
  v1::OpenSessionResponse open(uint32_t lease_ms) {
    grpc::ServerContext context;
    v1::OpenSessionRequest request;
    request.set_client_name("alice@laptop pid 42");
    request.set_lease_ms(lease_ms);
    v1::OpenSessionResponse response;
    EXPECT_TRUE(service_.OpenSession(&context, &request, &response).ok());
    return response;
  }

  grpc::Status renew(const std::string& id, uint32_t* lease_ms = nullptr) {
    grpc::ServerContext context;
    v1::RenewSessionRequest request;
    request.set_session_id(id);
    v1::RenewSessionResponse response;
    const grpc::Status status =
        service_.RenewSession(&context, &request, &response);
    if (lease_ms != nullptr) *lease_ms = response.lease_ms();
    return status;
  }

  grpc::Status close(const std::string& id) {
    grpc::ServerContext context;
    v1::CloseSessionRequest request;
    request.set_session_id(id);
    v1::CloseSessionResponse response;
    return service_.CloseSession(&context, &request, &response);
  }

  std::shared_ptr<SessionRepository> sessions_ =
      std::make_shared<SessionRepository>();
  SessionService service_{sessions_};
};

TEST_F(SessionServiceTest, Open_GrantsClampedLeaseAndOpaqueId) {
  const v1::OpenSessionResponse session = open(50);
  EXPECT_THAT(session.session_id(), MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(session.lease_ms(), 200u);
  EXPECT_EQ(open(0).lease_ms(), 10000u);
  EXPECT_EQ(sessions_->find(session.session_id()).client_name,
            "alice@laptop pid 42");
}

TEST_F(SessionServiceTest, RenewThenClose_OkThenNotFound) {
  const std::string id = open(3000).session_id();
  uint32_t lease_ms = 0;
  ASSERT_TRUE(renew(id, &lease_ms).ok());
  EXPECT_EQ(lease_ms, 3000u);
  ASSERT_TRUE(close(id).ok());
  const grpc::Status again = close(id);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(again.error_message(), "no session '" + id.substr(0, 8) +
                                       "\u2026'; open one with OpenSession");
  EXPECT_EQ(renew(id).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace pynq_remote
