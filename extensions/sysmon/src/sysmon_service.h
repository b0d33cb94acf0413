// pynq_remote_ext.sysmon.v1.SysmonService: the example extension
// (docs/extensions.md). Readings come from the board's sysfs with the linux
// backend and from a model with the sim backend.
#ifndef PYNQ_REMOTE_EXT_SYSMON_SYSMON_SERVICE_H_
#define PYNQ_REMOTE_EXT_SYSMON_SYSMON_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "pynq_remote/extension.h"
#include "pynq_remote_ext/sysmon/v1/sysmon.grpc.pb.h"
#include "sensors.h"

namespace pynq_remote_ext {
namespace sysmon {

// Bounds on what a request may ask for.
constexpr double kMinRateHz = 0.1;
constexpr double kMaxRateHz = 100.0;
constexpr int kMaxRequestSensors = 64;
constexpr size_t kMaxSensorIdBytes = 128;
// Streams open at once, over all clients; more are RESOURCE_EXHAUSTED.
constexpr int kMaxStreams = 8;
constexpr std::chrono::hours kMaxStreamDuration{1};

class SysmonService final : public v1::SysmonService::Service {
 public:
  // What the server calls: sim sensors with the sim backend, the board's
  // sysfs otherwise.
  explicit SysmonService(const pynq_remote::ExtensionContext& context);
  SysmonService(std::unique_ptr<SensorSource> sensors,
                const pynq_remote::ExtensionContext& context);

  grpc::Status ListSensors(grpc::ServerContext* context,
                           const v1::ListSensorsRequest* request,
                           v1::ListSensorsResponse* response) override;
  grpc::Status Read(grpc::ServerContext* context,
                    const v1::ReadRequest* request,
                    v1::ReadResponse* response) override;
  grpc::Status StreamReadings(
      grpc::ServerContext* context, const v1::StreamReadingsRequest* request,
      grpc::ServerWriter<v1::StreamReadingsResponse>* writer) override {
    return stream_readings(context, request, writer);
  }

  // StreamReadings over the writer interface, which tests implement.
  grpc::Status stream_readings(
      grpc::ServerContext* context, const v1::StreamReadingsRequest* request,
      grpc::ServerWriterInterface<v1::StreamReadingsResponse>* writer);

 private:
  // Indexes into sensors_->sensors() of `ids`; all of them when empty.
  std::vector<size_t> select(
      const google::protobuf::RepeatedPtrField<std::string>& ids) const;
  void read_into(const std::vector<size_t>& selected,
                 google::protobuf::RepeatedPtrField<v1::Reading>* out) const;
  // Sends samples until done; false when the server is shutting down.
  bool send_samples(grpc::ServerContext* context,
                    const v1::StreamReadingsRequest& request,
                    const std::vector<size_t>& selected,
                    grpc::ServerWriterInterface<v1::StreamReadingsResponse>*
                        writer) const;

  std::unique_ptr<SensorSource> sensors_;
  pynq_remote::ExtensionContext context_;
  std::atomic<int> streams_{0};
};

}  // namespace sysmon
}  // namespace pynq_remote_ext

#endif  // PYNQ_REMOTE_EXT_SYSMON_SYSMON_SERVICE_H_
