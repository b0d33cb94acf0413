#include "core/authorizer.h"

#include <gtest/gtest.h>

#include "core/sha256.h"
#include "unit/expect_status.h"

namespace pynq_remote {
namespace {

std::string sha256_text(const std::string& text) {
  Sha256 hash;
  hash.update(text.data(), text.size());
  return hash.hex_digest();
}

// A server context whose call carries `authorization`, as gRPC would fill
// it in; the sync API offers no public setter, so the tests go through a
// real call in the end-to-end tests and through TokenEntry parsing here.
TEST(AuthorizerTests, ParseTokens_RolesNamesHashes) {
  const std::string text = "# comment\n\noperator alice " +
                           sha256_text("secret-a") + "\nreader  bob " +
                           sha256_text("secret-b") + "\n";
  const std::vector<TokenEntry> tokens = parse_tokens(text);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].role, Role::kOperator);
  EXPECT_EQ(tokens[0].name, "alice");
  EXPECT_EQ(tokens[1].role, Role::kReader);
  EXPECT_EQ(tokens[1].sha256, sha256_text("secret-b"));
}

TEST(AuthorizerTests, ParseTokens_BadLines_NameTheLine) {
  try {
    parse_tokens("operator alice " + sha256_text("x") + "\nadmin eve " +
                 sha256_text("y") + "\n");
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(),
                 "line 2: role 'admin' is not 'reader' or 'operator'");
  }
  EXPECT_THROW(parse_tokens("reader carol not-a-hash\n"),
               std::invalid_argument);
  EXPECT_THROW(parse_tokens("reader carol\n"), std::invalid_argument);
}

TEST(AuthorizerTests, OpenAuthorizer_EveryCallerIsOperator) {
  grpc::ServerContext context;
  const Caller caller =
      Authorizer::open()->require(context, Role::kOperator, "Write");
  EXPECT_EQ(caller.role, Role::kOperator);
}

TEST(AuthorizerTests, NoCredentials_Unauthenticated) {
  AuthorizerSettings settings;
  settings.tokens = parse_tokens("operator alice " + sha256_text("s") + "\n");
  const Authorizer authorizer(settings);
  grpc::ServerContext context;
  EXPECT_EQ(expect_status(grpc::StatusCode::UNAUTHENTICATED,
                          [&] {
                            authorizer.require(context, Role::kReader,
                                               "GetInfo");
                          }),
            "this server needs credentials: a client certificate signed by "
            "its client CA, or an 'authorization: Bearer TOKEN' header");
}

TEST(AuthorizerTests, CallRate_AboveBurst_ResourceExhausted) {
  AuthorizerSettings settings;
  settings.calls_per_second = 1;
  settings.burst = 3;
  const Authorizer authorizer(settings);
  grpc::ServerContext context;
  for (int i = 0; i < 3; ++i) {
    authorizer.require(context, Role::kReader, "Read");
  }
  const std::string message =
      expect_status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                    [&] { authorizer.require(context, Role::kReader, "Read"); });
  EXPECT_NE(message.find("exceeds the limit of 1 calls per second"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace pynq_remote
