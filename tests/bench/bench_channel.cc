// Channels, server readiness and irmd's memory, shared by the scenarios (scenarios.h).
#include <dirent.h>

#include <fstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

}  // namespace irm::bench
