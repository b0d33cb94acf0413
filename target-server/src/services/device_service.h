// pynq_remote.v1.DeviceService's handlers: what the board and the server
// are, and a link test. DeviceEndpoint (services/endpoints.h) serves them.
#ifndef PYNQ_REMOTE_SERVICES_DEVICE_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_DEVICE_SERVICE_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "pynq_remote/v1/device.pb.h"

namespace pynq_remote {

class DeviceService final {
 public:
  // `bitstreams`: whether BitstreamService can upload and program, which
  // adds the capability "bitstreams". `extensions`: full names of the
  // extension services registered, which GetInfo reports.
  explicit DeviceService(
      std::shared_ptr<Backend> backend, bool bitstreams = false,
      std::shared_ptr<const Authorizer> authorizer = Authorizer::open(),
      std::vector<std::string> extensions = {});

  grpc::Status GetInfo(grpc::ServerContextBase* context,
                       const v1::GetInfoRequest* request,
                       v1::GetInfoResponse* response);
  grpc::Status Echo(grpc::ServerContextBase* context,
                    const v1::EchoRequest* request,
                    v1::EchoResponse* response);
  // The stream RPCs over the stream interfaces, which tests implement.
  grpc::Status sink_bytes(
      grpc::ServerContext* context,
      grpc::ServerReaderInterface<v1::SinkBytesRequest>* reader,
      v1::SinkBytesResponse* response);
  grpc::Status source_bytes(
      grpc::ServerContext* context, const v1::SourceBytesRequest* request,
      grpc::ServerWriterInterface<v1::SourceBytesResponse>* writer);

 private:
  std::shared_ptr<const Authorizer> authorizer_;
  std::shared_ptr<Backend> backend_;
  bool bitstreams_;
  std::vector<std::string> extensions_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_DEVICE_SERVICE_H_
