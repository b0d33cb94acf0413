// Stand-ins for gRPC's server stream objects, so stream RPCs run without a
// channel.
#ifndef PYNQ_REMOTE_TESTS_UNIT_FAKE_STREAMS_H_
#define PYNQ_REMOTE_TESTS_UNIT_FAKE_STREAMS_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace pynq_remote {

// Hands out `messages`, then reports the end of the stream.
template <typename Message>
class FakeReader final : public grpc::ServerReaderInterface<Message> {
 public:
  explicit FakeReader(std::vector<Message> messages)
      : messages_(std::move(messages)) {}

  void SendInitialMetadata() override {}
  bool NextMessageSize(uint32_t* size) override {
    if (next_ >= messages_.size()) return false;
    *size = static_cast<uint32_t>(messages_[next_].ByteSizeLong());
    return true;
  }
  bool Read(Message* message) override {
    if (next_ >= messages_.size()) return false;
    *message = messages_[next_++];
    return true;
  }

 private:
  std::vector<Message> messages_;
  size_t next_ = 0;
};

// Keeps what is written; after `capacity` messages it fails, as a stream
// whose client went away.
template <typename Message>
class FakeWriter final : public grpc::ServerWriterInterface<Message> {
 public:
  explicit FakeWriter(size_t capacity = SIZE_MAX) : capacity_(capacity) {}

  void SendInitialMetadata() override {}
  bool Write(const Message& message, grpc::WriteOptions /*options*/) override {
    if (written_.size() >= capacity_) return false;
    written_.push_back(message);
    return true;
  }

  const std::vector<Message>& written() const { return written_; }

 private:
  size_t capacity_;
  std::vector<Message> written_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_TESTS_UNIT_FAKE_STREAMS_H_
