#ifndef PYNQ_REMOTE_TESTS_UNIT_MOCK_BACKEND_H_
#define PYNQ_REMOTE_TESTS_UNIT_MOCK_BACKEND_H_

#include <gmock/gmock.h>

#include <memory>
#include <utility>

#include "backends/backend.h"

namespace pynq_remote {

class MockBackend : public Backend {
 public:
  explicit MockBackend(MmioWindows windows)
      : windows_(std::make_shared<const MmioWindows>(std::move(windows))) {}

  std::shared_ptr<const MmioWindows> windows() const override {
    return windows_;
  }
  MOCK_METHOD(FpgaStatus, program, (const ProgramRequest& request),
              (override));
  MOCK_METHOD(BoardDescription, description, (), (const, override));
  MOCK_METHOD(FpgaStatus, fpga_state, (), (const, override));
  MOCK_METHOD(uint64_t, read, (uint64_t address, unsigned width), (override));
  MOCK_METHOD(void, write, (uint64_t address, unsigned width, uint64_t value),
              (override));
  MOCK_METHOD(void, read_block,
              (uint64_t address, unsigned width, uint64_t count, uint8_t* out),
              (override));
  MOCK_METHOD(void, write_block,
              (uint64_t address, unsigned width, uint64_t count,
               const uint8_t* in),
              (override));

 private:
  std::shared_ptr<const MmioWindows> windows_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_TESTS_UNIT_MOCK_BACKEND_H_
