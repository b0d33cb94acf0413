// gpio.Gpio (PYNQ.remote): PS GPIO pins as the `pynq` host uses them. Meant
// to be a thin adapter over the server's own GPIO service; until that
// service exists every method answers UNIMPLEMENTED with a clear message.
#ifndef PYNQ_REMOTE_COMPAT_GPIO_ADAPTER_H_
#define PYNQ_REMOTE_COMPAT_GPIO_ADAPTER_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "core/authorizer.h"
#include "pynq_remote_compat/gpio.grpc.pb.h"

namespace pynq_remote {

class GpioAdapter final : public ::gpio::Gpio::Service {
 public:
  explicit GpioAdapter(std::shared_ptr<const Authorizer> authorizer);

  grpc::Status get_gpio(grpc::ServerContext* context,
                        const ::gpio::GetGpioRequest* request,
                        ::gpio::GetGpioResponse* response) override;
  grpc::Status read(grpc::ServerContext* context,
                    const ::gpio::GpioReadRequest* request,
                    ::gpio::GpioReadResponse* response) override;
  grpc::Status write(grpc::ServerContext* context,
                     const ::gpio::GpioWriteRequest* request,
                     ::gpio::GpioWriteResponse* response) override;
  grpc::Status unexport(grpc::ServerContext* context,
                        const ::gpio::GpioUnexportRequest* request,
                        ::gpio::GpioUnexportResponse* response) override;
  grpc::Status is_exported(grpc::ServerContext* context,
                           const ::gpio::GpioIsExportedRequest* request,
                           ::gpio::GpioIsExportedResponse* response) override;
  grpc::Status get_gpio_base_path(
      grpc::ServerContext* context,
      const ::gpio::GetGpioBasePathRequest* request,
      ::gpio::GetGpioBasePathResponse* response) override;
  grpc::Status get_gpio_npins(grpc::ServerContext* context,
                              const ::gpio::GetGpioNPinsRequest* request,
                              ::gpio::GetGpioNPinsResponse* response) override;

 private:
  grpc::Status unavailable(grpc::ServerContext* context, Role role,
                           const char* method) const;

  std::shared_ptr<const Authorizer> authorizer_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_COMPAT_GPIO_ADAPTER_H_
