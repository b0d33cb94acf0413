// The real server stack over TCP on the loopback interface.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backends/sim_backend.h"
#include "core/bitstream_cache.h"
#include "pynq_remote/v1/bitstream.grpc.pb.h"
#include "pynq_remote/v1/buffer.grpc.pb.h"
#include "pynq_remote/v1/clock.grpc.pb.h"
#include "pynq_remote/v1/device.grpc.pb.h"
#include "pynq_remote/v1/mmio.grpc.pb.h"
#include "pynq_remote/v1/session.grpc.pb.h"
#include "services/service_registrar.h"
#include "unit/bitstream_test_data.h"
#include "unit/temp_dir.h"

namespace pynq_remote {
namespace {

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    services_ = register_all_services(
        builder,
        load_sim_backend(std::string(PYNQ_REMOTE_SOURCE_CONFIG_DIR) +
                         "/sim-board.textproto"),
        options_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    mark_serving(*server_, *services_);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    if (services_) services_->end_shutdown();
  }

  static std::unique_ptr<grpc::ClientContext> context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(10));
    return context;
  }

  ServiceOptions options_;  // set before SetUp() by derived fixtures
  std::unique_ptr<ServiceRegistration> services_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(EndToEndTest, GetInfo_OverTcp_DescribesSimBoard) {
  auto stub = v1::DeviceService::NewStub(channel_);
  v1::GetInfoResponse response;
  const grpc::Status status =
      stub->GetInfo(context().get(), v1::GetInfoRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.backend(), "sim");
  EXPECT_EQ(response.mmio_windows_size(), 6);
}

TEST_F(EndToEndTest, Read_OverTcp_ReturnsButtonPins) {
  auto stub = v1::MmioService::NewStub(channel_);
  v1::ReadRequest request;
  request.set_address(0xA0000008);  // axi_gpio_0 GPIO2_DATA: buttons
  request.set_width(v1::WIDTH_32);
  v1::ReadResponse response;
  const grpc::Status status = stub->Read(context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.value(), 0x5u);
}

TEST_F(EndToEndTest, Read_OutsideWindows_StatusCodeReachesClient) {
  auto stub = v1::MmioService::NewStub(channel_);
  v1::ReadRequest request;
  request.set_address(0xF0000000);
  request.set_width(v1::WIDTH_32);
  v1::ReadResponse response;
  const grpc::Status status = stub->Read(context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "address 0xf0000000 (4 bytes) is outside the MMIO windows");
}

// A poll of GPIO 1's TRI register (0xFF at reset) for a value it never
// takes: the batch waits `timeout_ms` on a thread of its own.
v1::BatchRequest endless_poll(uint32_t timeout_ms) {
  v1::BatchRequest request;
  v1::PollStep* poll = request.add_steps()->mutable_poll();
  poll->set_address(0xA0010004);
  poll->set_width(v1::WIDTH_32);
  poll->set_mask(0xFF);
  poll->set_expected(0x00);
  poll->set_timeout_ms(timeout_ms);
  return request;
}

TEST_F(EndToEndTest, PollingBatches_WaitWhileReadsAreAnswered) {
  auto stub = v1::MmioService::NewStub(channel_);
  constexpr int kPolls = 8;  // every long call one caller may hold
  std::vector<std::thread> polls;
  std::vector<grpc::Status> results(kPolls);
  for (int i = 0; i < kPolls; ++i) {
    polls.emplace_back([&, i] {
      v1::BatchResponse response;
      results[i] = stub->Batch(context().get(), endless_poll(1500), &response);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  v1::ReadRequest read;
  read.set_address(0xA0000008);
  read.set_width(v1::WIDTH_32);
  v1::ReadResponse value;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(stub->Read(context().get(), read, &value).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  for (std::thread& poll : polls) poll.join();
  for (const grpc::Status& status : results) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_NE(status.error_message().find("step 0: poll of 0xa0010004 timed "
                                          "out after 1500 ms: last value 0xff"),
              std::string::npos)
        << status.error_message();
  }
}

// A handshake in BRAM: write a start word, poll a status word, read a
// result word.
v1::BatchRequest handshake() {
  v1::BatchRequest request;
  v1::WriteStep* start = request.add_steps()->mutable_write();
  start->set_address(0xA0100000);
  start->set_width(v1::WIDTH_32);
  start->set_value(5);
  v1::PollStep* status = request.add_steps()->mutable_poll();
  status->set_address(0xA0100004);
  status->set_width(v1::WIDTH_32);
  status->set_mask(0xFF);
  status->set_expected(0x01);
  status->set_timeout_ms(5000);
  v1::ReadStep* result = request.add_steps()->mutable_read();
  result->set_address(0xA0100008);
  result->set_width(v1::WIDTH_32);
  return request;
}

void write_word(v1::MmioService::Stub* stub, uint64_t address, uint64_t value) {
  v1::WriteRequest write;
  write.set_address(address);
  write.set_width(v1::WIDTH_32);
  write.set_value(value);
  v1::WriteResponse done;
  grpc::ClientContext context;
  ASSERT_TRUE(stub->Write(&context, write, &done).ok());
}

TEST_F(EndToEndTest, PollingBatch_ReadyAtFirstLook_AnswersEveryStep) {
  auto stub = v1::MmioService::NewStub(channel_);
  write_word(stub.get(), 0xA0100004, 0x01);
  write_word(stub.get(), 0xA0100008, 0x77);
  v1::BatchResponse response;
  const grpc::Status status =
      stub->Batch(context().get(), handshake(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(std::vector<uint64_t>(response.values().begin(),
                                  response.values().end()),
            (std::vector<uint64_t>{5, 0x01, 0x77}));
}

TEST_F(EndToEndTest, PollingBatch_ReadyLater_WaitsAndAnswersEveryStep) {
  auto stub = v1::MmioService::NewStub(channel_);
  write_word(stub.get(), 0xA0100004, 0x00);
  write_word(stub.get(), 0xA0100008, 0x78);
  v1::BatchResponse response;
  grpc::Status status;
  std::thread batch([&] {
    status = stub->Batch(context().get(), handshake(), &response);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  write_word(stub.get(), 0xA0100004, 0x01);
  batch.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(std::vector<uint64_t>(response.values().begin(),
                                  response.values().end()),
            (std::vector<uint64_t>{5, 0x01, 0x78}));
}

TEST_F(EndToEndTest, Shutdown_EndsAPollingBatchAndWaitsForIt) {
  auto stub = v1::MmioService::NewStub(channel_);
  grpc::Status result;
  std::thread poll([&] {
    v1::BatchResponse response;
    result = stub->Batch(context().get(), endless_poll(60000), &response);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  server_->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(100));
  services_->end_shutdown();
  poll.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_FALSE(result.ok());
  server_.reset();
}

TEST_F(EndToEndTest, HealthCheck_OverTcp_Serving) {
  // grpc.health.v1 messages, encoded by hand: the request names no service
  // (empty message); the response is field 1 (status) = 1 (SERVING).
  grpc::GenericStub stub(channel_);
  const grpc::Slice request_slice("", 0);
  grpc::ByteBuffer request(&request_slice, 1);
  grpc::ByteBuffer response;
  auto call_context = context();
  grpc::Status status;
  bool done = false;
  std::mutex mutex;
  std::condition_variable done_changed;
  stub.UnaryCall(call_context.get(), "/grpc.health.v1.Health/Check",
                 grpc::StubOptions(), &request, &response,
                 [&](grpc::Status result) {
                   std::lock_guard<std::mutex> lock(mutex);
                   status = result;
                   done = true;
                   done_changed.notify_one();
                 });
  std::unique_lock<std::mutex> lock(mutex);
  done_changed.wait(lock, [&] { return done; });

  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

// --- Sessions, buffers and the sim DMA -----------------------------------

class BufferEndToEndTest : public EndToEndTest {
 protected:
  void SetUp() override {
    EndToEndTest::SetUp();
    sessions_ = v1::SessionService::NewStub(channel_);
    buffers_ = v1::BufferService::NewStub(channel_);
    mmio_ = v1::MmioService::NewStub(channel_);
  }

  std::string open_session(uint32_t lease_ms) {
    v1::OpenSessionRequest request;
    request.set_client_name("end-to-end test");
    request.set_lease_ms(lease_ms);
    v1::OpenSessionResponse response;
    const grpc::Status status =
        sessions_->OpenSession(context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.session_id();
  }

  v1::Buffer allocate(const std::string& session, uint64_t size) {
    v1::AllocateBufferRequest request;
    request.set_session_id(session);
    request.set_size(size);
    v1::AllocateBufferResponse response;
    const grpc::Status status =
        buffers_->AllocateBuffer(context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.buffer();
  }

  void write(const std::string& session, const v1::Buffer& buffer,
             const std::string& data, uint64_t chunk_bytes) {
    auto call = context();
    v1::WriteBufferResponse response;
    auto stream = buffers_->WriteBuffer(call.get(), &response);
    for (uint64_t offset = 0; offset < data.size(); offset += chunk_bytes) {
      v1::WriteBufferRequest chunk;
      chunk.set_session_id(session);
      chunk.set_handle(buffer.handle());
      chunk.set_offset(offset);
      chunk.set_data(data.substr(offset, chunk_bytes));
      ASSERT_TRUE(stream->Write(chunk));
    }
    ASSERT_TRUE(stream->WritesDone());
    const grpc::Status status = stream->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.bytes_written(), data.size());
  }

  std::string read(const std::string& session, const v1::Buffer& buffer) {
    v1::ReadBufferRequest request;
    request.set_session_id(session);
    request.set_handle(buffer.handle());
    auto call = context();
    auto stream = buffers_->ReadBuffer(call.get(), request);
    std::string data;
    v1::ReadBufferResponse chunk;
    while (stream->Read(&chunk)) {
      EXPECT_EQ(chunk.offset(), data.size());
      data += chunk.data();
    }
    const grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return data;
  }

  void mmio_write(uint64_t address, uint64_t value) {
    v1::WriteRequest request;
    request.set_address(address);
    request.set_width(v1::WIDTH_32);
    request.set_value(value);
    v1::WriteResponse response;
    const grpc::Status status =
        mmio_->Write(context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  uint64_t mmio_read(uint64_t address) {
    v1::ReadRequest request;
    request.set_address(address);
    request.set_width(v1::WIDTH_32);
    v1::ReadResponse response;
    EXPECT_TRUE(mmio_->Read(context().get(), request, &response).ok());
    return response.value();
  }

  v1::ListBuffersResponse list() {
    v1::ListBuffersResponse response;
    EXPECT_TRUE(
        buffers_
            ->ListBuffers(context().get(), v1::ListBuffersRequest(), &response)
            .ok());
    return response;
  }

  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::BufferService::Stub> buffers_;
  std::unique_ptr<v1::MmioService::Stub> mmio_;
};

TEST_F(BufferEndToEndTest, DmaLoopback_OverTcp_BytesComeBack) {
  constexpr uint64_t kDma = 0xA0030000;  // axi_dma_0 of the shipped config
  constexpr uint64_t kBytes = 3 * 1024 * 1024 + 100;
  const std::string session = open_session(0);
  const v1::Buffer source = allocate(session, kBytes);
  const v1::Buffer destination = allocate(session, kBytes);
  std::string data(kBytes, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);
  write(session, source, data, 1024 * 1024);

  mmio_write(kDma + 0x00, 0x4);  // MM2S_DMACR.Reset: both channels
  mmio_write(kDma + 0x00, 0x1);  // MM2S_DMACR.RS
  mmio_write(kDma + 0x30, 0x1);  // S2MM_DMACR.RS
  mmio_write(kDma + 0x48, destination.physical_address() & 0xFFFFFFFF);
  mmio_write(kDma + 0x4C, destination.physical_address() >> 32);
  mmio_write(kDma + 0x58, kBytes);
  mmio_write(kDma + 0x18, source.physical_address() & 0xFFFFFFFF);
  mmio_write(kDma + 0x1C, source.physical_address() >> 32);
  mmio_write(kDma + 0x28, kBytes);

  EXPECT_EQ(mmio_read(kDma + 0x04) & 0x2, 0x2u);  // MM2S idle
  EXPECT_EQ(mmio_read(kDma + 0x34), 0x1002u);     // S2MM idle, IOC_Irq
  EXPECT_EQ(mmio_read(kDma + 0x58), kBytes);
  const std::string back = read(session, destination);
  ASSERT_EQ(back.size(), destination.size());  // whole pages
  EXPECT_TRUE(back.substr(0, kBytes) == data);
  EXPECT_EQ(back.substr(kBytes), std::string(back.size() - kBytes, '\0'));
}

TEST_F(BufferEndToEndTest, SessionLeaseRunsOut_BufferFreed) {
  const std::string session = open_session(200);
  const v1::Buffer buffer = allocate(session, 1024 * 1024);
  ASSERT_EQ(list().buffers_size(), 1);
  const uint64_t pool_size = list().pool().size();
  EXPECT_EQ(list().pool().free_bytes(), pool_size - 1024 * 1024);

  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (list().buffers_size() > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(list().buffers_size(), 0);
  EXPECT_EQ(list().pool().free_bytes(), pool_size);
  v1::RenewSessionResponse renewed;
  v1::RenewSessionRequest renew;
  renew.set_session_id(session);
  EXPECT_EQ(
      sessions_->RenewSession(context().get(), renew, &renewed).error_code(),
      grpc::StatusCode::NOT_FOUND);
  (void)buffer;
}

TEST_F(BufferEndToEndTest, LinkTest_OverTcp_CountsAndSendsZeros) {
  auto device = v1::DeviceService::NewStub(channel_);
  {
    auto call = context();
    v1::SinkBytesResponse response;
    auto stream = device->SinkBytes(call.get(), &response);
    v1::SinkBytesRequest chunk;
    chunk.set_data(std::string(1024 * 1024, 'x'));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(stream->Write(chunk));
    ASSERT_TRUE(stream->WritesDone());
    ASSERT_TRUE(stream->Finish().ok());
    EXPECT_EQ(response.bytes_received(), 3u * 1024 * 1024);
  }
  v1::SourceBytesRequest request;
  request.set_size(5 * 1024 * 1024 + 1);
  auto call = context();
  auto stream = device->SourceBytes(call.get(), request);
  uint64_t received = 0;
  v1::SourceBytesResponse chunk;
  while (stream->Read(&chunk)) received += chunk.data().size();
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(received, 5u * 1024 * 1024 + 1);
}

// --- Bitstreams: upload, program, then MMIO follows the design -----------

class BitstreamEndToEndTest : public EndToEndTest {
 protected:
  void SetUp() override {
    options_.bitstream_cache =
        std::make_shared<BitstreamCache>(cache_dir_.path().string(), 1 << 20);
    EndToEndTest::SetUp();
    bitstreams_ = v1::BitstreamService::NewStub(channel_);
    mmio_ = v1::MmioService::NewStub(channel_);
  }

  grpc::Status upload(const std::string& bytes) {
    auto call = context();
    v1::UploadBitstreamResponse response;
    auto stream = bitstreams_->UploadBitstream(call.get(), &response);
    v1::UploadBitstreamRequest header;
    header.mutable_header()->set_sha256(sha256_of(bytes));
    header.mutable_header()->set_size(bytes.size());
    stream->Write(header);
    for (size_t offset = 0; offset < bytes.size(); offset += 4096) {
      v1::UploadBitstreamRequest chunk;
      chunk.set_data(bytes.substr(offset, 4096));
      stream->Write(chunk);
    }
    stream->WritesDone();
    return stream->Finish();
  }

  bool has(const std::string& sha256) {
    v1::HasBitstreamRequest request;
    request.set_sha256(sha256);
    v1::HasBitstreamResponse response;
    EXPECT_TRUE(
        bitstreams_->HasBitstream(context().get(), request, &response).ok());
    return response.present();
  }

  grpc::Status read(uint64_t address, uint64_t* value) {
    v1::ReadRequest request;
    request.set_address(address);
    request.set_width(v1::WIDTH_32);
    v1::ReadResponse response;
    const grpc::Status status =
        mmio_->Read(context().get(), request, &response);
    *value = response.value();
    return status;
  }

  TempDir cache_dir_;
  std::unique_ptr<v1::BitstreamService::Stub> bitstreams_;
  std::unique_ptr<v1::MmioService::Stub> mmio_;
};

TEST_F(BitstreamEndToEndTest, UploadProgram_MmioFollowsDesign) {
  const std::string bitstream = test_bitstream(10000);
  const std::string sha256 = sha256_of(bitstream);
  ASSERT_FALSE(has(sha256));
  const grpc::Status uploaded = upload(bitstream);
  ASSERT_TRUE(uploaded.ok()) << uploaded.error_message();
  EXPECT_TRUE(has(sha256));

  v1::ProgramBitstreamRequest program;
  program.set_sha256(sha256);
  program.set_design_name("e2e_design");
  v1::DesignWindow* gpio = program.add_address_map();
  gpio->set_name("axi_gpio_0");
  gpio->set_base_address(0xA0050000);
  gpio->set_size(0x10000);
  gpio->set_ip_type("xilinx.com:ip:axi_gpio:2.0");
  v1::ProgramBitstreamResponse programmed;
  const grpc::Status status =
      bitstreams_->ProgramBitstream(context().get(), program, &programmed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(programmed.fpga().design_name(), "e2e_design");
  EXPECT_EQ(programmed.fpga().sha256(), sha256);

  uint64_t tri = 0;
  const grpc::Status in_design = read(0xA0050004, &tri);  // GPIO_TRI
  ASSERT_TRUE(in_design.ok()) << in_design.error_message();
  EXPECT_EQ(tri, 0xFFFFFFFFu);  // all inputs after reset
  uint64_t ignored = 0;
  const grpc::Status old_design = read(0xA0000000, &ignored);
  EXPECT_EQ(old_design.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(BitstreamEndToEndTest, TruncatedUpload_LeavesNothingLoadable) {
  const std::string bitstream = test_bitstream(10000, 'b');
  const std::string sha256 = sha256_of(bitstream);
  auto call = context();
  v1::UploadBitstreamResponse response;
  auto stream = bitstreams_->UploadBitstream(call.get(), &response);
  v1::UploadBitstreamRequest header;
  header.mutable_header()->set_sha256(sha256);
  header.mutable_header()->set_size(bitstream.size());
  stream->Write(header);
  v1::UploadBitstreamRequest chunk;
  chunk.set_data(bitstream.substr(0, 5000));
  stream->Write(chunk);
  stream->WritesDone();
  EXPECT_EQ(stream->Finish().error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_FALSE(has(sha256));
  v1::ProgramBitstreamRequest program;
  program.set_sha256(sha256);
  v1::ProgramBitstreamResponse programmed;
  EXPECT_EQ(bitstreams_->ProgramBitstream(context().get(), program, &programmed)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// --- PL clocks -------------------------------------------------------------

TEST_F(EndToEndTest, SetPlClock_OverTcp_ReadBackAsSet) {
  auto stub = v1::ClockService::NewStub(channel_);
  v1::SetPlClockRequest request;
  request.set_index(1);
  request.set_frequency_mhz(250);
  v1::SetPlClockResponse set;
  const grpc::Status status = stub->SetPlClock(context().get(), request, &set);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NEAR(set.clock().frequency_mhz(), 249.9975, 1e-6);  // 1499.985 / 6

  v1::GetClocksResponse clocks;
  ASSERT_TRUE(stub->GetClocks(context().get(), v1::GetClocksRequest(), &clocks)
                  .ok());
  ASSERT_EQ(clocks.pl_clocks_size(), 4);
  EXPECT_TRUE(clocks.pl_clocks(1).enabled());
  EXPECT_EQ(clocks.pl_clocks(1).frequency_mhz(), set.clock().frequency_mhz());
}

}  // namespace
}  // namespace pynq_remote
