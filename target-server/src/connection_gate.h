// Caps the connections the server accepts: per peer address and in all.
//
// gRPC 1.51 (Debian bookworm) has no connection limit, and its listener
// (src/core/lib/iomgr/tcp_server_posix.cc) stops accepting for good once
// accept4() fails with EMFILE. connection_gate.cpp defines accept4() and
// close() in the server binary; libgrpc's calls resolve to them (the
// executable comes first in the dynamic symbol lookup) and they call the C
// library's. A connection over a cap is closed as soon as it is accepted,
// and a spare descriptor is given up to take one connection off the queue
// when the file limit is reached anyway, so EMFILE never reaches gRPC.
// Linked into pynq-remote-server only, not into the test binaries.
#ifndef PYNQ_REMOTE_CONNECTION_GATE_H_
#define PYNQ_REMOTE_CONNECTION_GATE_H_

#include <cstdint>

namespace pynq_remote {

struct ConnectionLimits {
  int per_peer = 0;
  int total = 0;
};

struct ConnectionCounts {
  int open = 0;           // accepted and not yet closed
  uint64_t refused = 0;   // closed at once: over a cap, or no descriptor
  uint64_t closed = 0;    // accepted, then closed by gRPC
};

// Raises the soft open file limit to the hard one (at most 1 << 20) and
// returns the soft limit now in force.
uint64_t raise_file_limit();

// From now on, counts the connections accepted and refuses those over
// `limits`.
void start_connection_gate(ConnectionLimits limits);

ConnectionCounts connection_counts();

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CONNECTION_GATE_H_
