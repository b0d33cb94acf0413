// libFuzzer target: DeviceService (GetInfo, SinkBytes, SourceBytes) on the
// sim board. Input: a DeviceInput message (fuzz_input.proto).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "services/device_service.h"
#include "unit/fake_streams.h"

namespace pynq_remote {
namespace fuzz {
namespace {

void run(const DeviceInput& input) {
  DeviceService service(make_board(), /*bitstreams=*/true);
  int calls = 0;
  for (const DeviceCall& call : input.calls()) {
    if (++calls > kMaxCalls) break;
    grpc::ServerContext context;
    switch (call.call_case()) {
      case DeviceCall::kGetInfo: {
        v1::GetInfoResponse response;
        check_status("GetInfo",
                     service.GetInfo(&context, &call.get_info(), &response));
        break;
      }
      case DeviceCall::kSinkBytes: {
        FakeReader<v1::SinkBytesRequest> reader(
            {call.sink_bytes().messages().begin(),
             call.sink_bytes().messages().end()});
        v1::SinkBytesResponse response;
        const grpc::Status status =
            service.sink_bytes(&context, &reader, &response);
        check_status("SinkBytes", status);
        if (status.ok()) {
          uint64_t sent = 0;
          for (const auto& message : call.sink_bytes().messages()) {
            sent += message.data().size();
          }
          check(response.bytes_received() == sent,
                "SinkBytes counted " +
                    std::to_string(response.bytes_received()) + " of " +
                    std::to_string(sent) + " bytes");
        }
        break;
      }
      case DeviceCall::kSourceBytes: {
        ClientWriter<v1::SourceBytesResponse> writer(
            client_takes(call.source_bytes().client_takes()));
        const grpc::Status status = service.source_bytes(
            &context, &call.source_bytes().request(), &writer);
        check_status("SourceBytes", status);
        if (status.ok()) {
          check(writer.bytes() >= call.source_bytes().request().size(),
                "SourceBytes sent fewer bytes than asked");
        }
        break;
      }
      case DeviceCall::CALL_NOT_SET:
        break;
    }
  }
}

}  // namespace
}  // namespace fuzz
}  // namespace pynq_remote

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pynq_remote::fuzz::quiet_logs();
  pynq_remote::fuzz::DeviceInput input;
  if (!input.ParseFromArray(data, static_cast<int>(size))) return -1;
  pynq_remote::fuzz::run(input);
  return 0;
}
