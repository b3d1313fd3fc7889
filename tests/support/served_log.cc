#include "tests/support/served_log.h"

#include <utility>

#include "tests/support/irm_json.h"

namespace irm::tests {

void ServedLogTest::SetUp() { ASSERT_NO_FATAL_FAILURE(StartServer()); }

void ServedLogTest::TearDown() {
  if (irmd_ != nullptr) {
    absl::Status stopped = irmd_->Stop();
    EXPECT_TRUE(stopped.ok()) << stopped;
  }
}

void ServedLogTest::StartServer(const std::vector<std::string>& extra_args) {
  absl::StatusOr<std::unique_ptr<IrmdProcess>> started =
      IrmdProcess::Start(data_dir(), extra_args);
  ASSERT_TRUE(started.ok()) << started.status();
  irmd_ = std::move(*started);
}

void ServedLogTest::StopServer() {
  ASSERT_NE(irmd_, nullptr) << "no irmd to stop";
  absl::Status stopped = irmd_->Stop();
  ASSERT_TRUE(stopped.ok()) << stopped;
  irmd_.reset();
}

void ServedLogTest::RestartServer() {
  ASSERT_NO_FATAL_FAILURE(StopServer());
  ASSERT_NO_FATAL_FAILURE(StartServer());
}

std::string ServedLogTest::server() const {
  return irmd_ != nullptr ? irmd_->address() : "127.0.0.1:1";
}

IrmResult ServedLogTest::Irm(const std::vector<std::string>& args) const {
  return RunIrm(server(), args);
}

std::vector<nlohmann::json> ServedLogTest::IrmJson(const std::vector<std::string>& args) const {
  return RunIrmJson(server(), args);
}

nlohmann::json ServedLogTest::One(const std::vector<std::string>& args) const {
  std::vector<nlohmann::json> out = IrmJson(args);
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? nlohmann::json::object() : out[0];
}

uint64_t ServedLogTest::Head() const { return One({"info"}).value("head_position", uint64_t{0}); }

std::vector<uint64_t> ServedLogTest::Positions(const std::vector<nlohmann::json>& events) {
  std::vector<uint64_t> out;
  for (const nlohmann::json& e : events) out.push_back(e.at("position").get<uint64_t>());
  return out;
}

}  // namespace irm::tests
