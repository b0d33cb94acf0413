// The PYNQ.remote adapters called directly, over the sim backend.
#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/sim_backend.h"
#include "compat/buffer_adapter.h"
#include "compat/file_sandbox.h"
#include "compat/gpio_adapter.h"
#include "compat/mmio_adapter.h"
#include "compat/remote_device_adapter.h"
#include "core/sha256.h"
#include "unit/fake_streams.h"
#include "unit/sim_fixture.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<SimBackend> make_clock_sim() {
  config::BoardConfig config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        board: "clock-board"
        clock_platform: "zynqmp"
        windows {
          name: "regs"
          base_address: 0xA0000000
          size: 0x1000
          registers {}
        }
      )pb",
      &config));
  return std::make_shared<SimBackend>(config);
}

class CompatMmioTest : public ::testing::Test {
 protected:
  std::string open(uint64_t base, uint64_t length,
                   ::mmio::GetMmioResponse* response = nullptr) {
    grpc::ServerContext context;
    ::mmio::GetMmioRequest request;
    request.set_base_addr(base);
    request.set_length(length);
    ::mmio::GetMmioResponse local;
    if (response == nullptr) response = &local;
    EXPECT_TRUE(adapter_.get_mmio(&context, &request, response).ok());
    return response->mmio_id();
  }
  ::mmio::ReadResponse read(const std::string& id, uint64_t offset,
                            uint64_t length = 4) {
    grpc::ServerContext context;
    ::mmio::ReadRequest request;
    request.set_mmio_id(id);
    request.set_offset(offset);
    request.set_length(length);
    request.set_word_order("little");
    ::mmio::ReadResponse response;
    EXPECT_TRUE(adapter_.read(&context, &request, &response).ok());
    return response;
  }
  ::mmio::WriteResponse write(const std::string& id, uint64_t offset,
                              uint32_t value) {
    grpc::ServerContext context;
    ::mmio::WriteRequest request;
    request.set_mmio_id(id);
    request.set_offset(offset);
    std::string data(4, '\0');
    for (int i = 0; i < 4; ++i) data[i] = static_cast<char>(value >> (8 * i));
    request.set_data(data);
    ::mmio::WriteResponse response;
    EXPECT_TRUE(adapter_.write(&context, &request, &response).ok());
    return response;
  }

  std::shared_ptr<SimBackend> sim_ = make_test_sim();
  MmioAdapter adapter_{sim_, Authorizer::open()};
};

TEST(CompatMmioIdTest, Ids_RoundTrip_AndOnlyCanonicalOnesParse) {
  uint64_t base = 0;
  uint64_t length = 0;
  EXPECT_EQ(compat_mmio_id(0xA0000000, 0x1000), "mmio:0xa0000000:0x1000");
  EXPECT_TRUE(parse_compat_mmio_id("mmio:0xa0000000:0x1000", &base, &length));
  EXPECT_EQ(base, 0xA0000000u);
  EXPECT_EQ(length, 0x1000u);
  for (const char* bad :
       {"", "mmio:0xA0000000:0x1000", "mmio:0x0a0:0x1", "mmio:0xa0:0x1 ", "x",
        "mmio:0xa0", "mmio:0xa0:0x0", "mmio:0xffffffffffffff00:0x1000"}) {
    EXPECT_FALSE(parse_compat_mmio_id(bad, &base, &length)) << bad;
  }
}

TEST_F(CompatMmioTest, WriteThenRead_GoesThroughTheBackend) {
  const std::string id = open(kRegsBase, 0x1000);
  EXPECT_TRUE(write(id, 0x10, 0xCAFE).status());
  EXPECT_EQ(read(id, 0x10).data(), 0xCAFEu);
  EXPECT_EQ(sim_->read(kRegsBase + 0x10, 4), 0xCAFEu);
  EXPECT_EQ(read(id, 0x0).data(), 0x4u);  // reset value
}

TEST_F(CompatMmioTest, GetMmio_OutsideTheWindows_ReportsMsg) {
  ::mmio::GetMmioResponse response;
  open(0x40000000, 0x1000, &response);
  EXPECT_FALSE(response.status());
  EXPECT_THAT(response.msg(), HasSubstr("outside the MMIO windows"));
  EXPECT_FALSE(response.has_mmio_id());
}

TEST_F(CompatMmioTest, EightByteRead_IsRefusedInMsg) {
  const std::string id = open(kRegsBase, 0x1000);
  const ::mmio::ReadResponse response = read(id, 0x0, 8);
  EXPECT_FALSE(response.status());
  EXPECT_THAT(response.msg(), HasSubstr("32 bits"));
  EXPECT_FALSE(response.has_data());
}

TEST_F(CompatMmioTest, OffsetPastTheWindow_ReportsMsg) {
  const std::string id = open(kRegsBase, 0x10);
  EXPECT_THAT(read(id, 0x10).msg(), HasSubstr("outside the window"));
  // A forged id gains nothing: every access is checked against the windows.
  EXPECT_THAT(write("mmio:0x40000000:0x1000", 0, 1).msg(),
              HasSubstr("outside the MMIO windows"));
  EXPECT_THAT(write("forged", 0, 1).msg(), HasSubstr("unknown mmio_id"));
}

TEST(CompatMmioClockTest, PlClockControl_GoesThroughPlClocks) {
  auto sim = make_clock_sim();
  MmioAdapter adapter(sim, Authorizer::open());
  grpc::ServerContext context;
  ::mmio::GetMmioRequest open;
  open.set_base_addr(0xFF5E0000);
  open.set_length(0x100);
  ::mmio::GetMmioResponse opened;
  ASSERT_TRUE(adapter.get_mmio(&context, &open, &opened).ok());
  ASSERT_TRUE(opened.status()) << opened.msg();
  // PL0_REF_CTRL: enabled, I/O PLL, divisors 5 and 3.
  const uint32_t control = (1u << 24) | (3u << 16) | (5u << 8);
  ::mmio::WriteRequest write;
  write.set_mmio_id(opened.mmio_id());
  write.set_offset(0xC0);
  write.set_data(std::string{static_cast<char>(control & 0xFF),
                             static_cast<char>((control >> 8) & 0xFF),
                             static_cast<char>((control >> 16) & 0xFF),
                             static_cast<char>(control >> 24)});
  ::mmio::WriteResponse written;
  ASSERT_TRUE(adapter.write(&context, &write, &written).ok());
  ASSERT_TRUE(written.status()) << written.msg();
  const PlClock clock = sim->pl_clocks()->list()[0];
  EXPECT_EQ(clock.divisor0, 5u);
  EXPECT_EQ(clock.divisor1, 3u);
  ::mmio::ReadRequest read;
  read.set_mmio_id(opened.mmio_id());
  read.set_offset(0xC0);
  read.set_length(4);
  ::mmio::ReadResponse value;
  ASSERT_TRUE(adapter.read(&context, &read, &value).ok());
  EXPECT_EQ(value.data() & 0x3F3F00, control & 0x3F3F00);
}

TEST(CompatMmioPortWidthTest, PortWidthRegisters_AreRememberedNotApplied) {
  auto sim = make_test_sim();
  MmioAdapter adapter(sim, Authorizer::open());
  grpc::ServerContext context;
  ::mmio::GetMmioRequest open;
  open.set_base_addr(0xFD615000);
  open.set_length(4);
  ::mmio::GetMmioResponse opened;
  ASSERT_TRUE(adapter.get_mmio(&context, &open, &opened).ok());
  ASSERT_TRUE(opened.status()) << opened.msg();
  ::mmio::WriteRequest write;
  write.set_mmio_id(opened.mmio_id());
  write.set_data(std::string("\x00\x01\x00\x00", 4));
  ::mmio::WriteResponse written;
  ASSERT_TRUE(adapter.write(&context, &write, &written).ok());
  EXPECT_TRUE(written.status());
  ::mmio::ReadRequest read;
  read.set_mmio_id(opened.mmio_id());
  read.set_length(4);
  ::mmio::ReadResponse value;
  ASSERT_TRUE(adapter.read(&context, &read, &value).ok());
  EXPECT_EQ(value.data(), 0x100u);
}

class CompatBufferTest : public ::testing::Test {
 protected:
  std::shared_ptr<SimBackend> sim_ = make_test_sim_with_pool();
  std::shared_ptr<SessionRepository> sessions_ =
      std::make_shared<SessionRepository>();
  BufferService buffers_{sim_, sessions_, 0};
  BufferAdapter adapter_{&buffers_, sessions_, Authorizer::open()};
};

TEST_F(CompatBufferTest, AllocateWriteReadAddressFree_RoundTrip) {
  grpc::ServerContext context;
  ::buffer::AllocateRequest allocate;
  allocate.set_size(8192);
  allocate.set_dtype("<u4");
  allocate.set_cacheable(true);
  ::buffer::AllocateResponse allocated;
  ASSERT_TRUE(adapter_.allocate(&context, &allocate, &allocated).ok());
  const std::string id = allocated.buffer_id();

  ::buffer::BufferWriteRequest first;
  first.set_buffer_id(id);
  first.set_data(std::string(4096, 'a'));
  ::buffer::BufferWriteRequest second = first;
  second.set_data(std::string(4096, 'b'));
  FakeReader<::buffer::BufferWriteRequest> reader({first, second});
  ::buffer::BufferWriteResponse written;
  ASSERT_TRUE(adapter_.write_stream(&context, &reader, &written).ok());
  EXPECT_FALSE(written.has_msg()) << written.msg();

  ::buffer::FlushRequest flush;
  flush.set_buffer_id(id);
  ::buffer::FlushResponse flushed;
  ASSERT_TRUE(adapter_.flush(&context, &flush, &flushed).ok());
  EXPECT_FALSE(flushed.has_msg()) << flushed.msg();

  ::buffer::BufferReadRequest read;
  read.set_buffer_id(id);
  FakeWriter<::buffer::BufferReadResponse> writer;
  ASSERT_TRUE(adapter_.read_stream(&context, &read, &writer).ok());
  std::string back;
  for (const auto& chunk : writer.written()) back += chunk.data();
  EXPECT_EQ(back, std::string(4096, 'a') + std::string(4096, 'b'));

  ::buffer::AddressRequest address;
  address.set_buffer_id(id);
  ::buffer::AddressResponse where;
  ASSERT_TRUE(adapter_.physical_address(&context, &address, &where).ok());
  EXPECT_EQ(where.address(), kPoolBase);

  ::buffer::FreeBufferRequest free;
  free.set_buffer_id(id);
  ::buffer::FreeBufferResponse freed;
  ASSERT_TRUE(adapter_.freebuffer(&context, &free, &freed).ok());
  EXPECT_FALSE(freed.has_msg()) << freed.msg();
  ASSERT_TRUE(adapter_.physical_address(&context, &address, &where).ok());
  EXPECT_THAT(where.msg(), HasSubstr("no buffer"));
}

TEST_F(CompatBufferTest, Allocate_BadSize_IsAGrpcError) {
  grpc::ServerContext context;
  ::buffer::AllocateRequest allocate;
  allocate.set_size(-1);
  ::buffer::AllocateResponse allocated;
  EXPECT_EQ(adapter_.allocate(&context, &allocate, &allocated).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CompatBufferTest, Read_UnknownBuffer_IsNotFound) {
  grpc::ServerContext context;
  ::buffer::BufferReadRequest read;
  read.set_buffer_id("77");
  FakeWriter<::buffer::BufferReadResponse> writer;
  EXPECT_EQ(adapter_.read_stream(&context, &read, &writer).error_code(),
            grpc::StatusCode::NOT_FOUND);
  read.set_buffer_id("-1");
  EXPECT_EQ(adapter_.read_stream(&context, &read, &writer).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

class CompatRemoteDeviceTest : public ::testing::Test {
 protected:
  grpc::Status write_file(const std::string& path,
                          const std::vector<std::string>& chunks) {
    std::vector<::remote_device::WriteFileRequest> messages;
    for (const std::string& chunk : chunks) {
      ::remote_device::WriteFileRequest message;
      message.set_file_path(path);
      message.set_data(chunk);
      messages.push_back(message);
    }
    FakeReader<::remote_device::WriteFileRequest> reader(messages);
    grpc::ServerContext context;
    ::remote_device::WriteFileResponse response;
    return adapter_.write_file(&context, &reader, &response);
  }
  grpc::Status read_file(const std::string& path, std::string* content) {
    grpc::ServerContext context;
    ::remote_device::ReadFileRequest request;
    request.set_file_path(path);
    FakeWriter<::remote_device::ReadFileResponse> writer;
    const grpc::Status status = adapter_.read_file(&context, &request, &writer);
    content->clear();
    for (const auto& chunk : writer.written()) *content += chunk.data();
    return status;
  }
  bool exists(const std::string& path) {
    grpc::ServerContext context;
    ::remote_device::ExistsFileRequest request;
    request.set_file_path(path);
    ::remote_device::ExistsFileResponse response;
    EXPECT_TRUE(adapter_.existsfile(&context, &request, &response).ok());
    return response.exists();
  }

  TempDir cache_dir_;
  std::shared_ptr<SimBackend> sim_ = make_test_sim();
  std::shared_ptr<BitstreamCache> cache_ =
      std::make_shared<BitstreamCache>(cache_dir_.path(), 1 << 20);
  BitstreamService bitstreams_{sim_, cache_};
  std::shared_ptr<ScratchArea> scratch_ =
      std::make_shared<ScratchArea>(4096, 4);
  RemoteDeviceAdapter adapter_{sim_,
                               cache_,
                               &bitstreams_,
                               scratch_,
                               {DesignWindow{"regs", kRegsBase, 0x1000, ""}},
                               Authorizer::open()};
};

TEST_F(CompatRemoteDeviceTest, BoardFiles_DescribeTheBoard) {
  std::string content;
  ASSERT_TRUE(read_file("/proc/version", &content).ok());
  EXPECT_THAT(content, HasSubstr("aarch64"));
  ASSERT_TRUE(read_file("/proc/device-tree/chosen/pynq_board", &content).ok());
  EXPECT_EQ(content, std::string("test-board\0", 11));
  ASSERT_TRUE(read_file("/sys/class/fpga_manager/fpga0/state", &content).ok());
  EXPECT_EQ(content, "operating\n");
  EXPECT_TRUE(exists("/proc/version"));
}

TEST_F(CompatRemoteDeviceTest, PathsOutside_AreRefused) {
  std::string content;
  EXPECT_EQ(read_file("/etc/shadow", &content).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(read_file("/tmp/../etc/shadow", &content).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(exists("/etc/shadow"));
  EXPECT_EQ(write_file("/etc/passwd", {"x"}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(write_file("/proc/version", {"x"}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(write_file("/tmp/../../etc/passwd", {"x"}).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CompatRemoteDeviceTest, ScratchFile_RoundTrips) {
  ASSERT_TRUE(write_file("/tmp/t.bin", {"abc", "def"}).ok());
  EXPECT_TRUE(exists("/tmp/t.bin"));
  std::string content;
  ASSERT_TRUE(read_file("/tmp/t.bin", &content).ok());
  EXPECT_EQ(content, "abcdef");
  EXPECT_EQ(write_file("/tmp/big.bin", {std::string(5000, 'x')}).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(CompatRemoteDeviceTest,
       FirmwareThenFpgaManager_ProgramsThroughTheCache) {
  const std::string bitstream(3000, '\x5a');
  EXPECT_FALSE(exists("/lib/firmware/design.bin"));
  ASSERT_TRUE(write_file("/lib/firmware/design.bin",
                         {bitstream.substr(0, 1000), bitstream.substr(1000)})
                  .ok());
  EXPECT_TRUE(exists("/lib/firmware/design.bin"));
  Sha256 hash;
  hash.update(bitstream.data(), bitstream.size());
  const std::string sha256 = hash.hex_digest();
  EXPECT_EQ(cache_->size_of(sha256), 3000u);

  ASSERT_TRUE(write_file("/sys/class/fpga_manager/fpga0/flags", {"0"}).ok());
  ASSERT_TRUE(
      write_file("/sys/class/fpga_manager/fpga0/firmware", {"design.bin"})
          .ok());
  const FpgaStatus status = sim_->fpga_state();
  EXPECT_EQ(status.sha256, sha256);
  EXPECT_EQ(status.design_name, "design");
  EXPECT_FALSE(status.partial);
  ASSERT_EQ(sim_->windows()->list().size(), 1u);
  EXPECT_EQ(sim_->windows()->list()[0].base, kRegsBase);
}

TEST_F(CompatRemoteDeviceTest,
       FirmwareDeployedBeforeThroughV1_GetsThatAddressMapAndModels) {
  const std::string bitstream(2000, '\x3c');
  ASSERT_TRUE(write_file("/lib/firmware/known.bin", {bitstream}).ok());
  Sha256 hash;
  hash.update(bitstream.data(), bitstream.size());
  v1::ProgramBitstreamRequest request;
  request.set_sha256(hash.hex_digest());
  v1::DesignWindow* leds = request.add_address_map();
  leds->set_name("leds");
  leds->set_base_address(0xA0050000);
  leds->set_size(0x10000);
  leds->set_ip_type("xilinx.com:ip:axi_gpio:2.0");
  (*leds->mutable_parameters())["C_GPIO_WIDTH"] = "4";
  (*leds->mutable_parameters())["C_ALL_OUTPUTS"] = "1";
  grpc::ServerContext context;
  v1::ProgramBitstreamResponse response;
  ASSERT_TRUE(bitstreams_.ProgramBitstream(&context, &request, &response).ok());
  ASSERT_TRUE(
      write_file("/sys/class/fpga_manager/fpga0/firmware", {"known.bin"}).ok());

  ASSERT_EQ(sim_->windows()->list().size(), 1u);
  EXPECT_EQ(sim_->windows()->list()[0].name, "leds");
  EXPECT_EQ(sim_->fpga_state().design_name, "known");
  sim_->write(0xA0050000, 4, 0xFF);
  EXPECT_EQ(sim_->read(0xA0050000, 4), 0xFu);      // 4 output pins
  EXPECT_EQ(sim_->read(0xA0050000 + 4, 4), 0x0u);  // TRI of all outputs
}

TEST_F(CompatRemoteDeviceTest,
       FpgaManager_UnknownFirmwareOrBadFlags_AreRefused) {
  EXPECT_EQ(write_file("/sys/class/fpga_manager/fpga0/firmware", {"nope.bin"})
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      write_file("/sys/class/fpga_manager/fpga0/flags", {"7"}).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(write_file("/sys/class/fpga_manager/fpga0/flags",
                       {"1", std::string(300, ' ')})
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(
      write_file("/sys/class/fpga_manager/fpga0/flags", {"1", "\n"}).ok());
  std::string content;
  ASSERT_TRUE(read_file("/sys/class/fpga_manager/fpga0/flags", &content).ok());
  EXPECT_EQ(content, "1\n");
}

// The sim board's PS GPIO: one chip, zynqmp_gpio, 174 lines (EMIO from 78).
class CompatGpioTest : public ::testing::Test {
 protected:
  CompatGpioTest()
      : backend_(load_sim_backend(std::string(PYNQ_REMOTE_SOURCE_CONFIG_DIR) +
                                  "/sim-board.textproto")),
        gpio_(backend_),
        adapter_(&gpio_, Authorizer::open()) {}

  std::string get_gpio(int index, const std::string& direction,
                       grpc::StatusCode expected = grpc::StatusCode::OK) {
    grpc::ServerContext context;
    ::gpio::GetGpioRequest request;
    request.set_index(index);
    request.set_direction(direction);
    ::gpio::GetGpioResponse response;
    EXPECT_EQ(adapter_.get_gpio(&context, &request, &response).error_code(),
              expected);
    return response.gpio_id();
  }

  std::shared_ptr<SimBackend> backend_;
  GpioService gpio_;
  GpioAdapter adapter_;
};

TEST_F(CompatGpioTest, BasePathAndPins_PsControllerByDefault) {
  grpc::ServerContext context;
  ::gpio::GetGpioBasePathRequest request;
  ::gpio::GetGpioBasePathResponse response;
  ASSERT_TRUE(adapter_.get_gpio_base_path(&context, &request, &response).ok());
  EXPECT_EQ(response.base_path(), "/sys/class/gpio/gpiochip0/");
  request.set_target_label("no_such_gpio");
  ::gpio::GetGpioBasePathResponse missing;
  ASSERT_TRUE(adapter_.get_gpio_base_path(&context, &request, &missing).ok());
  EXPECT_EQ(missing.base_path(), "");  // pynq returns None
  ::gpio::GetGpioNPinsRequest pins;
  pins.set_target_label("zynqmp_gpio");
  ::gpio::GetGpioNPinsResponse npins;
  ASSERT_TRUE(adapter_.get_gpio_npins(&context, &pins, &npins).ok());
  EXPECT_EQ(npins.npins(), 174);
}

TEST_F(CompatGpioTest, GetGpio_WriteRead_ThroughGpioService) {
  const std::string id = get_gpio(78, "out");  // EMIO 0
  EXPECT_EQ(id, "gpiochip0:78");
  grpc::ServerContext context;
  ::gpio::GpioWriteRequest write;
  write.set_gpio_id(id);
  write.set_value(1);
  ::gpio::GpioWriteResponse written;
  ASSERT_TRUE(adapter_.write(&context, &write, &written).ok());
  ::gpio::GpioReadRequest read;
  read.set_gpio_id(id);
  ::gpio::GpioReadResponse value;
  ASSERT_TRUE(adapter_.read(&context, &read, &value).ok());
  EXPECT_EQ(value.value(), 1);

  ::gpio::GpioIsExportedRequest exported;
  exported.set_gpio_id(id);
  ::gpio::GpioIsExportedResponse is_exported;
  ASSERT_TRUE(adapter_.is_exported(&context, &exported, &is_exported).ok());
  EXPECT_TRUE(is_exported.is_exported());
  ::gpio::GpioUnexportRequest unexport;
  unexport.set_gpio_id(id);
  ::gpio::GpioUnexportResponse unexported;
  ASSERT_TRUE(adapter_.unexport(&context, &unexport, &unexported).ok());
  ASSERT_TRUE(adapter_.is_exported(&context, &exported, &is_exported).ok());
  EXPECT_FALSE(is_exported.is_exported());
}

TEST_F(CompatGpioTest, BadRequests_ClearCodes) {
  get_gpio(9999, "out", grpc::StatusCode::NOT_FOUND);
  get_gpio(78, "sideways", grpc::StatusCode::INVALID_ARGUMENT);
  grpc::ServerContext context;
  ::gpio::GpioReadRequest read;
  read.set_gpio_id("../../etc/passwd");
  ::gpio::GpioReadResponse value;
  EXPECT_EQ(adapter_.read(&context, &read, &value).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace pynq_remote
