#include "sysmon_service.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

namespace pynq_remote_ext {
namespace sysmon {
namespace {

using pynq_remote::Role;
using pynq_remote::StatusError;

// How often a waiting stream looks whether its client went away.
constexpr std::chrono::milliseconds kCancelCheck{100};

std::unique_ptr<SensorSource> sensors_for(const pynq_remote::Backend& backend) {
  const pynq_remote::BoardDescription board = backend.description();
  if (board.backend == "sim") return make_sim_sensors(board.platform);
  return make_linux_sensors("/");
}

v1::SensorKind to_proto(SensorKind kind) {
  return kind == SensorKind::kTemperature ? v1::SENSOR_KIND_TEMPERATURE
                                          : v1::SENSOR_KIND_VOLTAGE;
}

const char* unit(SensorKind kind) {
  return kind == SensorKind::kTemperature ? "degC" : "V";
}

std::string number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

void check_rate(double rate_hz) {
  if (rate_hz >= kMinRateHz && rate_hz <= kMaxRateHz) return;
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                    "rate_hz " + number(rate_hz) + " is out of range: give " +
                        number(kMinRateHz) + " to " + number(kMaxRateHz) +
                        " samples per second");
}

// Counts a stream while it lives; RESOURCE_EXHAUSTED beyond kMaxStreams.
class StreamSlot {
 public:
  explicit StreamSlot(std::atomic<int>& streams) : streams_(streams) {
    if (streams_.fetch_add(1) >= kMaxStreams) {
      streams_.fetch_sub(1);
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "already " + std::to_string(kMaxStreams) +
                            " sysmon streams open; end one first");
    }
  }
  ~StreamSlot() { streams_.fetch_sub(1); }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

 private:
  std::atomic<int>& streams_;
};

}  // namespace

SysmonService::SysmonService(const pynq_remote::ExtensionContext& context)
    : SysmonService(sensors_for(*context.backend), context) {}

SysmonService::SysmonService(std::unique_ptr<SensorSource> sensors,
                             const pynq_remote::ExtensionContext& context)
    : sensors_(std::move(sensors)), context_(context) {}

grpc::Status SysmonService::ListSensors(
    grpc::ServerContext* context, const v1::ListSensorsRequest* /*request*/,
    v1::ListSensorsResponse* response) {
  return run_authorized(
      *context_.authorizer, Role::kReader, "ListSensors", context, [&] {
        for (const SensorInfo& info : sensors_->sensors()) {
          v1::Sensor* sensor = response->add_sensors();
          sensor->set_id(info.id);
          sensor->set_label(info.label);
          sensor->set_kind(to_proto(info.kind));
          sensor->set_unit(unit(info.kind));
          sensor->set_source(info.source);
        }
      });
}

grpc::Status SysmonService::Read(grpc::ServerContext* context,
                                 const v1::ReadRequest* request,
                                 v1::ReadResponse* response) {
  return run_authorized(
      *context_.authorizer, Role::kReader, "Read", context, [&] {
        const std::vector<size_t> selected = select(request->sensor_ids());
        response->set_timestamp_unix_ms(pynq_remote::unix_ms_now());
        read_into(selected, response->mutable_readings());
      });
}

grpc::Status SysmonService::stream_readings(
    grpc::ServerContext* context, const v1::StreamReadingsRequest* request,
    grpc::ServerWriterInterface<v1::StreamReadingsResponse>* writer) {
  return run_authorized(
      *context_.authorizer, Role::kReader, "StreamReadings", context, [&] {
        check_rate(request->rate_hz());
        const std::vector<size_t> selected = select(request->sensor_ids());
        StreamSlot slot(streams_);
        if (!send_samples(context, *request, selected, writer)) {
          throw StatusError(grpc::StatusCode::UNAVAILABLE,
                            "the server is shutting down");
        }
      });
}

bool SysmonService::send_samples(
    grpc::ServerContext* context, const v1::StreamReadingsRequest& request,
    const std::vector<size_t>& selected,
    grpc::ServerWriterInterface<v1::StreamReadingsResponse>* writer) const {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + kMaxStreamDuration;
  const std::chrono::duration<double> period(1.0 / request.rate_hz());
  for (uint64_t sequence = 0;
       request.count() == 0 || sequence < request.count(); ++sequence) {
    const Clock::time_point due =
        start + std::chrono::duration_cast<Clock::duration>(period * sequence);
    if (due > end) return true;
    while (Clock::now() < due) {
      const Clock::time_point wake = std::min(due, Clock::now() + kCancelCheck);
      if (context_.shutdown->wait_until(wake)) return false;
      if (context->IsCancelled()) return true;
    }
    if (context_.shutdown->triggered()) return false;
    v1::StreamReadingsResponse sample;
    sample.set_sequence(sequence);
    sample.set_timestamp_unix_ms(pynq_remote::unix_ms_now());
    read_into(selected, sample.mutable_readings());
    if (!writer->Write(sample)) return true;  // the client went away
  }
  return true;
}

std::vector<size_t> SysmonService::select(
    const google::protobuf::RepeatedPtrField<std::string>& ids) const {
  const std::vector<SensorInfo>& sensors = sensors_->sensors();
  std::vector<size_t> selected;
  if (ids.empty()) {
    for (size_t i = 0; i < sensors.size(); ++i) selected.push_back(i);
    return selected;
  }
  if (ids.size() > kMaxRequestSensors) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      std::to_string(ids.size()) +
                          " sensor ids given; at most " +
                          std::to_string(kMaxRequestSensors) + " per request");
  }
  for (const std::string& id : ids) {
    if (id.size() > kMaxSensorIdBytes) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "sensor id of " + std::to_string(id.size()) +
                            " bytes; ids are at most " +
                            std::to_string(kMaxSensorIdBytes));
    }
    auto found = std::find_if(sensors.begin(), sensors.end(),
                              [&](const SensorInfo& s) { return s.id == id; });
    if (found == sensors.end()) {
      throw StatusError(grpc::StatusCode::NOT_FOUND,
                        "no sensor '" + id +
                            "' on this board; ListSensors lists them");
    }
    selected.push_back(static_cast<size_t>(found - sensors.begin()));
  }
  return selected;
}

void SysmonService::read_into(
    const std::vector<size_t>& selected,
    google::protobuf::RepeatedPtrField<v1::Reading>* out) const {
  for (size_t index : selected) {
    v1::Reading* reading = out->Add();
    reading->set_sensor_id(sensors_->sensors()[index].id);
    reading->set_value(sensors_->read(index));
  }
}

PYNQ_REMOTE_EXTENSION(SysmonService, v1::SysmonService);

}  // namespace sysmon
}  // namespace pynq_remote_ext
