// The message of the OptionError that parsing `args` throws.
#ifndef PYNQ_REMOTE_TESTS_UNIT_OPTION_ERROR_H_
#define PYNQ_REMOTE_TESTS_UNIT_OPTION_ERROR_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server_options.h"

namespace pynq_remote {

inline std::string option_error(const std::vector<std::string>& args) {
  try {
    parse_server_options(args);
  } catch (const OptionError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no OptionError";
  return "";
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_TESTS_UNIT_OPTION_ERROR_H_
