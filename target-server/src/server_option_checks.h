// Checks that need several options at once, and the defaults that depend on
// the backend and the address: the second step of parse_server_options.
#ifndef PYNQ_REMOTE_SERVER_OPTION_CHECKS_H_
#define PYNQ_REMOTE_SERVER_OPTION_CHECKS_H_

#include "server_options.h"

namespace pynq_remote {

// Fills in the defaults of `options` and refuses combinations that cannot
// work or are unsafe. Throws OptionError.
void apply_defaults(ServerOptions* options);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVER_OPTION_CHECKS_H_
