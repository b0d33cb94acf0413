// What the server's handlers add to one call (issue #21, point 4).
//
// 1. The handlers alone, called directly with a grpc::ServerContext as the
//    unit tests do: DeviceService::Echo (the authorizer only),
//    MmioService::Read (authorizer, window lookup, sim read) and the
//    compatibility mmio.read (authorizer, mmio_id parsing, window lookup,
//    sim read). Nanoseconds per call, median of rounds.
// 2. The same calls end to end: the real services over TCP on loopback,
//    from a C++ synchronous client in this process, interleaved in turns of
//    100 calls. Microseconds per call, medians.
// 3. One Batch of 4096 reads, the handler alone: parsing the request,
//    running it, serializing the response. Nanoseconds per step.
// Prints each figure and its excess over Echo. Built with the server, not
// run by ctest: target-server/build/bench/call_latency [CALLS]
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backends/sim_backend.h"
#include "compat/mmio_adapter.h"
#include "pynq_remote/v1/device.grpc.pb.h"
#include "pynq_remote/v1/mmio.grpc.pb.h"
#include "pynq_remote_compat/mmio.grpc.pb.h"
#include "services/device_service.h"
#include "services/mmio_service.h"
#include "services/service_registrar.h"

namespace pynq_remote {
namespace {

constexpr uint64_t kBram = 0xA0100000;
constexpr int kTurn = 100;

using Clock = std::chrono::steady_clock;
using Call = std::function<void()>;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Seconds per call of each of `calls` (name -> call), `count` calls each,
// each call timed, taken in turns of kTurn calls: medians.
std::map<std::string, double> interleaved(
    const std::vector<std::pair<std::string, Call>>& calls, int count) {
  std::map<std::string, std::vector<double>> samples;
  for (int done = 0; done < count; done += kTurn) {
    for (const auto& [name, call] : calls) {
      for (int i = 0; i < kTurn; ++i) {
        const auto start = Clock::now();
        call();
        samples[name].push_back(
            std::chrono::duration<double>(Clock::now() - start).count());
      }
    }
  }
  std::map<std::string, double> medians;
  for (auto& [name, values] : samples) medians[name] = median(values);
  return medians;
}

void check(const grpc::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what,
                 status.error_message().c_str());
    std::exit(1);
  }
}

std::shared_ptr<Backend> sim_backend() {
  return load_sim_backend(std::string(PYNQ_REMOTE_SOURCE_CONFIG_DIR) +
                          "/sim-board.textproto");
}

void handlers_alone(int count) {
  const std::shared_ptr<Backend> backend = sim_backend();
  DeviceService device(backend);
  MmioService mmio(backend, Authorizer::open());
  MmioAdapter compat(backend, Authorizer::open());
  v1::EchoRequest echo_request;
  v1::EchoResponse echo_response;
  v1::ReadRequest read_request;
  read_request.set_address(kBram);
  read_request.set_width(v1::WIDTH_32);
  v1::ReadResponse read_response;
  ::mmio::ReadRequest compat_request;
  compat_request.set_mmio_id(compat_mmio_id(kBram, 4));
  compat_request.set_length(4);
  ::mmio::ReadResponse compat_response;
  const auto medians = interleaved(
      {{"Echo",
        [&] {
          grpc::ServerContext context;
          check(device.Echo(&context, &echo_request, &echo_response), "Echo");
        }},
       {"Read",
        [&] {
          grpc::ServerContext context;
          check(mmio.Read(&context, &read_request, &read_response), "Read");
        }},
       {"compat read",
        [&] {
          grpc::ServerContext context;
          check(compat.read(&context, &compat_request, &compat_response),
                "compat read");
          if (!compat_response.status()) std::exit(1);
        }}},
      count);
  std::printf("handlers alone (ns per call, incl. a ServerContext)\n");
  for (const char* name : {"Echo", "Read", "compat read"}) {
    std::printf("  %-12s %8.0f ns   +%6.0f ns over Echo\n", name,
                medians.at(name) * 1e9,
                (medians.at(name) - medians.at("Echo")) * 1e9);
  }
}

std::unique_ptr<grpc::ClientContext> with_deadline() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  return context;
}

void over_loopback(int count) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  ServiceOptions options;
  options.compat = true;
  const auto services = register_all_services(builder, sim_backend(), options);
  const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  mark_serving(*server, *services);
  const auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                          grpc::InsecureChannelCredentials());
  const auto device = v1::DeviceService::NewStub(channel);
  const auto mmio = v1::MmioService::NewStub(channel);
  const auto compat = ::mmio::Mmio::NewStub(channel);
  v1::EchoRequest echo_request;
  v1::EchoResponse echo_response;
  v1::ReadRequest read_request;
  read_request.set_address(kBram);
  read_request.set_width(v1::WIDTH_32);
  v1::ReadResponse read_response;
  ::mmio::ReadRequest compat_request;
  compat_request.set_mmio_id(compat_mmio_id(kBram, 4));
  compat_request.set_length(4);
  ::mmio::ReadResponse compat_response;
  const std::vector<std::pair<std::string, Call>> calls = {
      {"Echo",
       [&] {
         check(device->Echo(with_deadline().get(), echo_request,
                            &echo_response),
               "Echo");
       }},
      {"Read",
       [&] {
         check(mmio->Read(with_deadline().get(), read_request, &read_response),
               "Read");
       }},
      {"compat read", [&] {
         check(compat->read(with_deadline().get(), compat_request,
                            &compat_response),
               "compat read");
       }}};
  interleaved(calls, 10 * kTurn);  // warm-up
  const auto medians = interleaved(calls, count);
  std::printf("over loopback TCP, C++ client (us per call, medians)\n");
  for (const char* name : {"Echo", "Read", "compat read"}) {
    std::printf("  %-12s %8.1f us   %+6.1f us over Echo\n", name,
                medians.at(name) * 1e6,
                (medians.at(name) - medians.at("Echo")) * 1e6);
  }
  server->Shutdown();
}

void batch_alone(int rounds) {
  constexpr int kSteps = 4096;
  const std::shared_ptr<Backend> backend = sim_backend();
  MmioService mmio(backend, Authorizer::open());
  v1::BatchRequest request;
  for (int i = 0; i < kSteps; ++i) {
    v1::ReadStep* read = request.add_steps()->mutable_read();
    read->set_address(kBram + 4 * i);
    read->set_width(v1::WIDTH_32);
  }
  const std::string wire = request.SerializeAsString();
  std::string answer;
  const auto medians = interleaved(
      {{"parse",
        [&] {
          v1::BatchRequest parsed;
          if (!parsed.ParseFromString(wire)) std::exit(1);
        }},
       {"parse, arena",
        [&] {
          google::protobuf::Arena arena;
          auto* parsed =
              google::protobuf::Arena::CreateMessage<v1::BatchRequest>(&arena);
          if (!parsed->ParseFromString(wire)) std::exit(1);
        }},
       {"run",
        [&] {
          grpc::ServerContext context;
          v1::BatchResponse response;
          check(mmio.Batch(&context, &request, &response), "Batch");
          response.SerializeToString(&answer);
        }}},
      rounds);
  std::printf("one Batch of %d reads, handler alone (ns per step, medians)\n",
              kSteps);
  for (const char* name : {"parse", "parse, arena", "run"}) {
    std::printf("  %-12s %8.1f ns\n", name, medians.at(name) * 1e9 / kSteps);
  }
}

}  // namespace
}  // namespace pynq_remote

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::max(100, std::atoi(argv[1])) : 20000;
  pynq_remote::handlers_alone(count * 10);
  pynq_remote::over_loopback(count);
  pynq_remote::batch_alone(std::max(100, count / 100));
  return 0;
}
