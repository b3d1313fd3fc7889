// Channels, server readiness and irmd's memory, shared by the scenarios (scenarios.h).
#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/bench/scenarios.h"

namespace irm::bench {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& server, int index) {
  grpc::ChannelArguments args;
  args.SetInt("irm.bench.channel", index);  // unknown keys only keep channels apart
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(), args);
}

absl::Status WaitForServer(const std::string& server, absl::Duration timeout) {
  auto stub = api::v1::LogService::NewStub(MakeChannel(server, -1));
  const absl::Time deadline = absl::Now() + timeout;
  grpc::Status status;
  do {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    context.set_wait_for_ready(true);
    api::v1::LogInfo info;
    status = stub->GetLogInfo(&context, api::v1::GetLogInfoRequest(), &info);
    if (status.ok()) return absl::OkStatus();
  } while (absl::Now() < deadline);
  return absl::UnavailableError(
      absl::StrCat("irmd at ", server, " does not answer: ", status.error_message()));
}

std::optional<double> ReadRssMib(int pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) != 0) continue;
    std::string digits;
    for (char c : line) {
      if (c >= '0' && c <= '9') digits += c;
    }
    int64_t kib = 0;
    if (absl::SimpleAtoi(digits, &kib)) return kib / 1024.0;
  }
  return std::nullopt;
}

std::optional<int> FindIrmdPid() {
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return std::nullopt;
  std::optional<int> found;
  int matches = 0;
  while (dirent* entry = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    std::ifstream comm(absl::StrCat("/proc/", pid, "/comm"));
    std::string name;
    if (std::getline(comm, name) && name == "irmd") {
      found = pid;
      ++matches;
    }
  }
  closedir(proc);
  if (matches != 1) return std::nullopt;
  return found;
}

std::optional<double> ReadCpuSeconds(int pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  // Fields after the command name, which is in parentheses and may contain spaces:
  // state(3) ... utime(14) stime(15), in clock ticks.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::vector<std::string> fields = absl::StrSplit(line.substr(close + 2), ' ');
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return std::nullopt;
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

CpuMeter::CpuMeter(std::optional<int> irmd_pid) : irmd_pid_(irmd_pid) {}

void CpuMeter::Start() {
  begin_us_ = SteadyMicros();
  bench_begin_ = ReadCpuSeconds(getpid());
  if (irmd_pid_.has_value()) irmd_begin_ = ReadCpuSeconds(*irmd_pid_);
}

void CpuMeter::Stop(ScenarioResult* result) const {
  const double wall = (SteadyMicros() - begin_us_) / 1e6;
  if (wall <= 0) return;
  if (std::optional<double> now = ReadCpuSeconds(getpid()); now && bench_begin_) {
    result->bench_cores = (*now - *bench_begin_) / wall;
  }
  if (irmd_pid_.has_value()) {
    if (std::optional<double> now = ReadCpuSeconds(*irmd_pid_); now && irmd_begin_) {
      result->irmd_cores = (*now - *irmd_begin_) / wall;
    }
  }
}

}  // namespace irm::bench
