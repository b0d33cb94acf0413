// pynq_remote.v1.MmioService's handlers: register access, checked against
// the allow-list and the limits before the backend sees it. MmioEndpoint
// (services/endpoints.h) serves them.
#ifndef PYNQ_REMOTE_SERVICES_MMIO_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_MMIO_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <mutex>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "pynq_remote/v1/mmio.pb.h"

namespace pynq_remote {

class MmioService final {
 public:
  explicit MmioService(
      std::shared_ptr<Backend> backend,
      std::shared_ptr<const Authorizer> authorizer = Authorizer::open());

  grpc::Status Read(grpc::ServerContextBase* context,
                    const v1::ReadRequest* request,
                    v1::ReadResponse* response);
  grpc::Status Write(grpc::ServerContextBase* context,
                     const v1::WriteRequest* request,
                     v1::WriteResponse* response);
  grpc::Status ReadBlock(grpc::ServerContextBase* context,
                         const v1::ReadBlockRequest* request,
                         v1::ReadBlockResponse* response);
  grpc::Status WriteBlock(grpc::ServerContextBase* context,
                          const v1::WriteBlockRequest* request,
                          v1::WriteBlockResponse* response);
  grpc::Status Batch(grpc::ServerContextBase* context,
                     const v1::BatchRequest* request,
                     v1::BatchResponse* response);

  // Batch in parts, for a batch that may wait (it polls), which
  // MmioEndpoint runs: the caller's authorization and place among the long
  // calls (the errors Batch gives); then the steps up to the first poll
  // whose first look misses (all of them, *next_step = the step count, when
  // none misses); then, on a thread that may wait, the rest.
  static bool may_wait(const v1::BatchRequest& request);
  std::unique_ptr<Authorizer::LongCall> admit_waiting_batch(
      grpc::ServerContextBase* context, const v1::BatchRequest& request);
  grpc::Status start_admitted_batch(grpc::ServerContextBase* context,
                                    const v1::BatchRequest* request,
                                    v1::BatchResponse* response,
                                    int* next_step);
  grpc::Status finish_admitted_batch(grpc::ServerContextBase* context,
                                     const v1::BatchRequest* request,
                                     v1::BatchResponse* response,
                                     int next_step);

 private:
  std::shared_ptr<const Authorizer> authorizer_;
  void run_batch(grpc::ServerContextBase* context,
                 const v1::BatchRequest& request, v1::BatchResponse* response);
  // Throws the StatusError of the first step that would fail; touches no
  // hardware.
  void validate_batch(const v1::BatchRequest& request) const;
  // Throws the StatusError the step would fail with against `windows`;
  // touches no hardware.
  static void validate_step(const MmioWindows& windows,
                            const v1::BatchStep& step);
  // Runs the validated steps from `first` on, adding their values to
  // `response`, and returns the step count; unless `may_wait`, stops at a
  // poll whose first look misses and returns its index.
  int run_steps(grpc::ServerContextBase* context,
                const v1::BatchRequest& request, v1::BatchResponse* response,
                int first, bool may_wait);
  // Runs a validated step and returns its entry of BatchResponse.values.
  uint64_t run_step(grpc::ServerContextBase* context, const v1::BatchStep& step);
  uint64_t modify(const v1::ModifyStep& step);
  uint64_t poll(grpc::ServerContextBase* context, const v1::PollStep& step);

  std::shared_ptr<Backend> backend_;
  // Makes each modify step's read and write one unit for other modify steps.
  std::mutex modify_mutex_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_MMIO_SERVICE_H_
