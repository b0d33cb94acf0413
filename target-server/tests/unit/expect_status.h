#ifndef PYNQ_REMOTE_TESTS_UNIT_EXPECT_STATUS_H_
#define PYNQ_REMOTE_TESTS_UNIT_EXPECT_STATUS_H_

#include <gtest/gtest.h>

#include <string>

#include "core/status_error.h"

namespace pynq_remote {

// Runs `body`, expecting a StatusError with `code`; returns its message.
template <typename Body>
std::string expect_status(grpc::StatusCode code, Body body) {
  try {
    body();
  } catch (const StatusError& error) {
    EXPECT_EQ(error.code(), code) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "no StatusError thrown";
  return "";
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_TESTS_UNIT_EXPECT_STATUS_H_
