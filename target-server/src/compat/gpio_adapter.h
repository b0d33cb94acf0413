// gpio.Gpio (PYNQ.remote): PS GPIO pins as the `pynq` host uses them, over
// the server's own GpioService. The protocol speaks sysfs-style global pin
// numbers; the adapter numbers the chips' lines one after another, in the
// order GpioService lists them, so chip N's base is the line count of the
// chips before it ("/sys/class/gpio/gpiochip<base>/" in its answers).
#ifndef PYNQ_REMOTE_COMPAT_GPIO_ADAPTER_H_
#define PYNQ_REMOTE_COMPAT_GPIO_ADAPTER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/authorizer.h"
#include "pynq_remote_compat/gpio.grpc.pb.h"
#include "services/gpio_service.h"

namespace pynq_remote {

class GpioAdapter final : public ::gpio::Gpio::Service {
 public:
  GpioAdapter(GpioService* gpio, std::shared_ptr<const Authorizer> authorizer);

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

  // One chip in the global numbering.
  struct Chip {
    std::string name;   // "gpiochip0"
    std::string label;  // "zynqmp_gpio"
    uint32_t base = 0;
    uint32_t lines = 0;
  };

 private:
  std::vector<Chip> chips(grpc::ServerContext* context) const;
  // The chip a target label names; without a label the PS controller.
  // NOT_FOUND when there is none.
  Chip find_chip(grpc::ServerContext* context, const std::string& label) const;

  GpioService* gpio_;
  std::shared_ptr<const Authorizer> authorizer_;
  std::mutex mutex_;
  std::set<std::string> exported_;  // gpio ids handed out by get_gpio
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_COMPAT_GPIO_ADAPTER_H_
