#include "tests/support/etcd_cluster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace irm::tests {

std::string EtcdPath() {
  const char* path = std::getenv("IRM_ETCD");
  return path != nullptr && *path != '\0' ? path : "/usr/bin/etcd";
}

bool HaveEtcd() { return access(EtcdPath().c_str(), X_OK) == 0; }

absl::StatusOr<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    close(fd);
    return absl::InternalError(absl::StrCat("binding a loopback port: ", std::strerror(error)));
  }
  close(fd);
  return ntohs(address.sin_port);
}

absl::StatusOr<std::unique_ptr<EtcdCluster>> EtcdCluster::Start(const std::string& dir,
                                                                EtcdClusterOptions options) {
  if (options.members < 1) return absl::InvalidArgumentError("an etcd cluster needs a member");
  std::unique_ptr<EtcdCluster> cluster(new EtcdCluster(dir, std::move(options)));
  absl::BitGen random;
  cluster->token_ = absl::StrCat("irm-test-", absl::Uniform<uint64_t>(random));
  std::vector<std::string> peers;
  for (int i = 0; i < cluster->options_.members; ++i) {
    Member& member = cluster->members_.emplace_back();
    member.name = absl::StrCat("m", i);
    member.data_dir = absl::StrCat(dir, "/", member.name);
    absl::StatusOr<int> client = FreeLoopbackPort();
    if (!client.ok()) return client.status();
    absl::StatusOr<int> peer = FreeLoopbackPort();
    if (!peer.ok()) return peer.status();
    member.client_port = *client;
    member.peer_port = *peer;
    peers.push_back(absl::StrCat(member.name, "=http://127.0.0.1:", member.peer_port));
  }
  cluster->initial_cluster_ = absl::StrJoin(peers, ",");
  for (int i = 0; i < cluster->size(); ++i) {
    if (absl::Status s = cluster->Launch(i, /*existing=*/false); !s.ok()) return s;
  }
  for (int i = 0; i < cluster->size(); ++i) {
    if (absl::Status s = cluster->WaitServing(i); !s.ok()) return s;
  }
  return cluster;
}

EtcdCluster::~EtcdCluster() {
  for (Member& member : members_) member.process.reset();  // SIGKILL, reap
}

std::string EtcdCluster::address(int i) const {
  return absl::StrCat("127.0.0.1:", members_[i].client_port);
}

std::string EtcdCluster::client_url(int i) const {
  return absl::StrCat(options_.tls_cert_file.empty() ? "http" : "https", "://", address(i));
}

std::string EtcdCluster::client_urls() const {
  std::vector<std::string> urls;
  for (int i = 0; i < size(); ++i) urls.push_back(client_url(i));
  return absl::StrJoin(urls, ",");
}

bool EtcdCluster::running(int i) const { return members_[i].process != nullptr; }

absl::Status EtcdCluster::Launch(int i, bool existing) {
  Member& member = members_[i];
  SubprocessOptions options;
  options.argv = {EtcdPath(),
                  "--name", member.name,
                  "--data-dir", member.data_dir,
                  "--listen-client-urls", client_url(i),
                  "--advertise-client-urls", client_url(i),
                  "--listen-peer-urls", absl::StrCat("http://127.0.0.1:", member.peer_port),
                  "--initial-advertise-peer-urls",
                  absl::StrCat("http://127.0.0.1:", member.peer_port),
                  "--initial-cluster", initial_cluster_,
                  "--initial-cluster-token", token_,
                  "--initial-cluster-state", existing ? "existing" : "new",
                  "--logger", "zap", "--log-outputs", "stderr"};
  if (!options_.tls_cert_file.empty()) {
    options.argv.insert(options.argv.end(), {"--cert-file", options_.tls_cert_file, "--key-file",
                                             options_.tls_key_file});
    if (!options_.tls_client_ca_file.empty()) {
      options.argv.insert(options.argv.end(), {"--trusted-ca-file", options_.tls_client_ca_file,
                                               "--client-cert-auth"});
    }
  }
  options.argv.insert(options.argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  options.stderr_file = absl::StrCat(dir_, "/", member.name, ".log");
  absl::StatusOr<std::unique_ptr<Subprocess>> process = Subprocess::Start(options);
  if (!process.ok()) return process.status();
  member.process = *std::move(process);
  return absl::OkStatus();
}

absl::Status EtcdCluster::WaitServing(int i) {
  Member& member = members_[i];
  absl::StatusOr<std::string> line =
      member.process->WaitForStderrLine("serving client traffic", absl::Seconds(30));
  if (line.ok()) return absl::OkStatus();
  std::string output = member.process->stderr_text();
  if (output.size() > 4000) output = output.substr(output.size() - 4000);
  return absl::FailedPreconditionError(absl::StrCat("etcd member ", member.name,
                                                    " does not serve: ", line.status().message(),
                                                    "; the end of its log:\n", output));
}

absl::Status EtcdCluster::Kill9(int i) {
  Member& member = members_[i];
  if (member.process == nullptr) return absl::OkStatus();
  member.process->Kill(SIGKILL);
  absl::StatusOr<int> status = member.process->Wait(absl::Seconds(30));
  if (!status.ok()) return status.status();
  member.process.reset();
  return absl::OkStatus();
}

absl::Status EtcdCluster::Stop(int i) {
  Member& member = members_[i];
  if (member.process == nullptr) return absl::OkStatus();
  member.process->Kill(SIGTERM);
  absl::StatusOr<int> status = member.process->Wait(absl::Seconds(30));
  if (!status.ok()) return status.status();
  member.process.reset();
  return absl::OkStatus();
}

absl::Status EtcdCluster::Restart(int i) {
  if (running(i)) {
    return absl::FailedPreconditionError(
        absl::StrCat("etcd member ", members_[i].name, " is running; stop it first"));
  }
  if (absl::Status s = Launch(i, /*existing=*/true); !s.ok()) return s;
  return WaitServing(i);
}

}  // namespace irm::tests
