// Limits the server enforces and reports in DeviceService.GetInfo.
#ifndef PYNQ_REMOTE_CORE_LIMITS_H_
#define PYNQ_REMOTE_CORE_LIMITS_H_

#include <chrono>
#include <cstdint>

namespace pynq_remote {

// Largest gRPC message accepted or sent, in bytes.
constexpr uint64_t kMaxMessageBytes = 16 * 1024 * 1024;
// Largest block transfer: at most this many words ...
constexpr uint64_t kMaxBurstWords = uint64_t{1} << 20;
// ... and at most this many bytes, which keeps a block well inside a message.
constexpr uint64_t kMaxBurstBytes = 8 * 1024 * 1024;
constexpr uint64_t kMaxBatchSteps = 65536;
constexpr uint64_t kMaxPollTimeoutMs = 60000;

// Session leases: the default when a client asks for none, and the range
// requested leases are clamped to.
constexpr std::chrono::milliseconds kDefaultLease{10000};
constexpr std::chrono::milliseconds kMinLease{200};
constexpr std::chrono::milliseconds kMaxLease{10 * 60 * 1000};

// Buffers are allocated in whole pages of this size, at least this aligned.
constexpr uint64_t kBufferPageBytes = 4096;
// Largest chunk of one ReadBuffer response message.
constexpr uint64_t kBufferChunkBytes = 1024 * 1024;

// Largest SourceBytes size, and its chunk size when the client gives none.
constexpr uint64_t kMaxLinkTestBytes = uint64_t{1} << 30;
constexpr uint64_t kDefaultLinkTestChunkBytes = 1024 * 1024;

// Largest bitstream UploadBitstream accepts.
constexpr uint64_t kMaxBitstreamBytes = 256 * 1024 * 1024;
// Bytes the bitstream cache keeps when --cache-bytes is not given.
constexpr uint64_t kDefaultBitstreamCacheBytes = 512 * 1024 * 1024;
// Largest device-tree overlay ProgramBitstream accepts.
constexpr uint64_t kMaxDeviceTreeOverlayBytes = 1024 * 1024;
// Most windows a design's address map may have.
constexpr uint64_t kMaxDesignWindows = 1024;
// Parameters of one window of a design, and the bytes of a name and value.
constexpr uint64_t kMaxDesignParameters = 64;
constexpr uint64_t kMaxDesignParameterNameBytes = 64;
constexpr uint64_t kMaxDesignParameterValueBytes = 256;

// Streams one client connection may have open at once, and threads serving
// calls; beyond them calls get RESOURCE_EXHAUSTED.
constexpr int kMaxConcurrentStreams = 64;
constexpr int kMaxServerThreads = 128;

// A hostile network's share. A connection that has not finished its TLS
// and HTTP/2 handshake by this time is closed, and one without calls for
// kMaxConnectionIdle.
constexpr int kHandshakeTimeoutMs = 10000;
constexpr int kMaxConnectionIdleMs = 5 * 60 * 1000;
// Connections open at once, from one peer address and in all; the excess
// is closed as soon as it is accepted. The total also stays below the open
// file limit minus kReservedDescriptors (cache files, the self check).
constexpr int kMaxConnectionsPerPeer = 64;
constexpr int kMaxConnections = 1024;
constexpr int kReservedDescriptors = 64;
// Calls that may last (polls, streams, uploads, interrupt watches) open
// at once per caller and in all: the rest of the threads stay free for
// short calls, an operator's among them.
constexpr int kMaxLongCallsPerCaller = 8;
constexpr int kMaxLongCalls = kMaxServerThreads / 2;
// Sessions open at once per caller and in all.
constexpr int kMaxSessionsPerCaller = 64;
constexpr int kMaxSessions = 1024;
// Shortest wait between two reads of a poll: a poll without one spins a CPU.
constexpr uint64_t kMinPollIntervalUs = 100;
// A session may hold this share of the buffer memory when neither the
// config nor --session-memory-limit says otherwise.
constexpr uint64_t kDefaultSessionShareDivisor = 2;

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_LIMITS_H_
