// A gRPC server for bench/stream.py, which compares a unary call with one
// turn of a persistent bidirectional stream from Python (issue #21: what
// stands between a register read and 0.8x pynq's). DeviceService.Echo is
// answered as the real server answers it (a callback unary method, empty
// messages); every other method is a stream that echoes each message until
// the client ends its side. Both run on gRPC's callback API in this one
// process, so what differs is the client's side. Listens on 127.0.0.1 (an
// ephemeral port, printed on stdout) until stdin closes. Built with the
// server's tests, not run by ctest.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <iostream>
#include <memory>
#include <string>

#include "pynq_remote/v1/device.grpc.pb.h"

namespace {

class UnaryEcho final
    : public pynq_remote::v1::DeviceService::WithCallbackMethod_Echo<
          pynq_remote::v1::DeviceService::Service> {
 public:
  grpc::ServerUnaryReactor* Echo(
      grpc::CallbackServerContext* context,
      const pynq_remote::v1::EchoRequest* /*request*/,
      pynq_remote::v1::EchoResponse* /*response*/) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class StreamEcho final : public grpc::ServerGenericBidiReactor {
 public:
  StreamEcho() { StartRead(&message_); }

  void OnReadDone(bool ok) override {
    if (ok) {
      StartWrite(&message_);
    } else {
      Finish(grpc::Status::OK);
    }
  }
  void OnWriteDone(bool ok) override {
    if (ok) {
      StartRead(&message_);
    } else {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "write failed"));
    }
  }
  void OnDone() override { delete this; }

 private:
  grpc::ByteBuffer message_;
};

class StreamService final : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* /*context*/) override {
    return new StreamEcho();
  }
};

}  // namespace

int main() {
  UnaryEcho unary;
  StreamService streams;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&unary);
  builder.RegisterCallbackGenericService(&streams);
  const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) return 1;
  std::cout << port << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  server->Shutdown();
  return 0;
}
