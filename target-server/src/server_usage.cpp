// The --help text of pynq-remote-server.
#include <string>

#include "server_options.h"

namespace pynq_remote {

std::string server_usage() {
  // clang-format off
  return std::string(R"(Usage: pynq-remote-server [OPTIONS]

Serves the pynq-remote gRPC API for this board.

Options:
  --listen HOST:PORT   address to serve on; port 0 picks a free port
                       (default 0.0.0.0:7967 for linux, 127.0.0.1:7967 for sim)
  --backend linux|sim  real hardware or the simulated board (default linux)
  --config FILE        board config (protobuf text format)
                       linux: replaces the platform's built-in MMIO windows
                       sim: the board model, default
                       )") + PYNQ_REMOTE_DEFAULT_SIM_CONFIG + R"(
  --log-level LEVEL    error, warning, info or debug (default info)
  --mem-device PATH    linux: physical memory device (default /dev/mem)
  --platform NAME      linux: auto, zynqmp, zynq or qemu-virt; picks the
                       built-in MMIO windows (default auto: from the device
                       tree)
  --carveout BASE:SIZE linux: physical memory for DMA buffers, e.g.
                       0x60000000:0x20000000; memory the kernel does not
                       manage (mem= or a no-map reserved-memory node),
                       mapped through --mem-device; replaces the config's
                       buffer_pool
  --session-memory-limit BYTES
                       largest total of buffers one session may hold
                       (decimal or 0x hex; 0: the whole pool); replaces
                       the config's buffer_pool.session_limit_bytes;
                       without either, half the pool
  --cache-dir PATH     folder of the bitstream cache (default linux:
                       /var/cache/pynq-remote/bitstreams; sim: a new
                       temporary folder removed at exit)
  --cache-bytes BYTES  byte budget of the bitstream cache; the least
                       recently used bitstreams are evicted beyond it
                       (decimal or 0x hex; default 536870912, 512 MiB)
  --tls-cert FILE, --tls-key FILE
                       serve TLS with this certificate and key (PEM)
  --client-ca FILE     accept client certificates signed by this CA (PEM);
                       a certificate's OU is its role: operator or reader
  --tokens FILE        accept bearer tokens: lines "ROLE NAME SHA256", the
                       SHA256 being that of the token (pynq-remote pki token)
  --credentials-dir DIR
                       TLS and client CA from DIR (server.pem, server.key,
                       client-ca.pem); while they are missing the server
                       pairs: it prints a code for 'pynq-remote pair', which
                       fills DIR, and then serves with mutual TLS
  --insecure           serve a non-loopback address without TLS or
                       credentials: anyone who reaches the port controls the
                       board (warned at start and for every connection)
  --max-call-rate N    calls per second one caller may make, bursts of 2N
                       (default 20000; 0: no limit)
  --pynq-remote-compat on|off|only
                       also serve the PYNQ.remote protocol of the `pynq`
                       host package (on), only that protocol (only), or not
                       (off). Its clients cannot authenticate: off loopback
                       it needs --insecure. Default: on for sim on loopback
                       or with --insecure, else off
  --announce on|off    announce the server over mDNS/DNS-SD as
                       _pynq-remote._tcp, with the board, versions, loaded
                       design and TLS in its TXT record (default: on for
                       linux on a non-loopback address, off for sim)
  --mdns-name NAME     the name announced (default BOARD@HOST, e.g.
                       zcu104@pynq); implies --announce on
  --help               print this help and exit

Secure by default: a non-loopback --listen needs --credentials-dir, or
--tls-cert/--tls-key with --client-ca and/or --tokens, or --insecure. Health checks need no
credentials.

Once serving, prints "pynq-remote-server listening on HOST:PORT" on stdout.
)";
  // clang-format on
}

}  // namespace pynq_remote
