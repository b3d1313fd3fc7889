#include "engine/cluster/etcd_client.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/common/error_details.h"
#include "grpcpp/grpcpp.h"

namespace irm::cluster {
namespace {

// Pages of the log are bounded in bytes by the reader; this only guards against a member
// answering more than any page irm asks for.
constexpr int kMaxReceiveBytes = 64 << 20;

// The one conversion of a gRPC status from etcd. gRPC's codes equal absl's numerically.
absl::Status FromGrpc(const grpc::Status& status, absl::string_view endpoint,
                      absl::string_view what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("etcd at ", endpoint, ": ", what, ": ", status.error_message()));
}

// Failures after which another member may answer.
bool IsFailover(absl::StatusCode code) {
  return code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded;
}

// etcd's answer to a request carrying a token it no longer knows (expired, or the member
// restarted); authenticating again fixes it.
bool IsInvalidToken(const grpc::Status& status) {
  return absl::StrContains(status.error_message(), "invalid auth token");
}

absl::StatusOr<std::string> ReadFile(const std::string& path, absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(flag, " names ", path, ", which cannot be read; give a readable PEM file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " names ", path, ", which is empty; give a PEM file"));
  }
  return text.str();
}

// "HOST:PORT" from an endpoint as given; sets *tls for https://.
absl::StatusOr<std::string> HostPort(absl::string_view endpoint, bool* tls) {
  absl::string_view rest = absl::StripAsciiWhitespace(endpoint);
  if (absl::ConsumePrefix(&rest, "https://")) {
    *tls = true;
  } else {
    absl::ConsumePrefix(&rest, "http://");
  }
  absl::ConsumeSuffix(&rest, "/");
  const size_t colon = rest.rfind(':');
  uint32_t port = 0;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(rest.substr(colon + 1), &port) || port == 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--cluster-etcd: '", endpoint,
        "' is not an etcd client URL; give HOST:PORT, http://HOST:PORT or https://HOST:PORT, "
        "several separated by commas"));
  }
  return std::string(rest);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseEtcdEndpoints(absl::string_view flag_value) {
  std::vector<std::string> endpoints;
  for (absl::string_view part : absl::StrSplit(flag_value, ',', absl::SkipWhitespace())) {
    bool tls = false;
    absl::StatusOr<std::string> checked = HostPort(part, &tls);
    if (!checked.ok()) return checked.status();
    endpoints.emplace_back(absl::StripAsciiWhitespace(part));
  }
  if (endpoints.empty()) {
    return absl::InvalidArgumentError(
        "--cluster-etcd is empty; give the client URLs of the etcd members, such as "
        "http://127.0.0.1:2379,http://127.0.0.1:22379");
  }
  return endpoints;
}

struct EtcdClient::Endpoint {
  std::string address;  // HOST:PORT
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<etcdserverpb::KV::Stub> kv;
  std::unique_ptr<etcdserverpb::Watch::Stub> watch;
  std::unique_ptr<etcdserverpb::Maintenance::Stub> maintenance;
  std::unique_ptr<etcdserverpb::Auth::Stub> auth;
};

namespace {

class GrpcWatch final : public EtcdWatch {
 public:
  GrpcWatch(std::unique_ptr<grpc::ClientContext> context, std::string address)
      : context_(std::move(context)), address_(std::move(address)) {}
  ~GrpcWatch() override {
    Cancel();
    if (stream_ != nullptr && !finished_) (void)stream_->Finish();
  }

  // Sends the create request and reads etcd's confirmation.
  absl::Status Open(etcdserverpb::Watch::Stub* stub,
                    const etcdserverpb::WatchCreateRequest& create) {
    stream_ = stub->Watch(context_.get());
    etcdserverpb::WatchRequest request;
    *request.mutable_create_request() = create;
    etcdserverpb::WatchResponse response;
    if (!stream_->Write(request) || !stream_->Read(&response)) return Broken("opening a watch");
    if (!response.created()) {
      return absl::InternalError(absl::StrCat("etcd at ", address_,
                                              ": opening a watch: the first answer did not "
                                              "confirm it (created is false)"));
    }
    if (response.canceled()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "etcd at ", address_, ": the watch was refused: ", response.cancel_reason()));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<etcdserverpb::WatchResponse> Next() override {
    etcdserverpb::WatchResponse response;
    if (!stream_->Read(&response)) return Broken("watching");
    return response;
  }

  void Cancel() override { context_->TryCancel(); }

 private:
  // Unavailable with the stream's final status.
  absl::Status Broken(absl::string_view what) {
    grpc::Status status = stream_->Finish();
    finished_ = true;
    return absl::UnavailableError(absl::StrCat(
        "etcd at ", address_, ": ", what, ": the watch stream ended (",
        status.ok() ? "closed by etcd" : status.error_message(), ")"));
  }

  std::unique_ptr<grpc::ClientContext> context_;
  const std::string address_;
  std::unique_ptr<grpc::ClientReaderWriter<etcdserverpb::WatchRequest,
                                           etcdserverpb::WatchResponse>>
      stream_;
  bool finished_ = false;  // Finish() was called; only by the thread calling Next()
};

}  // namespace

absl::StatusOr<std::unique_ptr<EtcdClient>> EtcdClient::Create(EtcdClientOptions options) {
  if (options.endpoints.empty()) {
    return absl::InvalidArgumentError("no etcd endpoint given; give --cluster-etcd URL[,URL...]");
  }
  bool tls = !options.tls_ca_file.empty() || !options.tls_cert_file.empty();
  std::vector<std::string> addresses;
  for (const std::string& endpoint : options.endpoints) {
    absl::StatusOr<std::string> address = HostPort(endpoint, &tls);
    if (!address.ok()) return address.status();
    addresses.push_back(*std::move(address));
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--etcd-tls-cert and --etcd-tls-key go together: give both or neither");
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (tls) {
    grpc::SslCredentialsOptions ssl;
    if (!options.tls_ca_file.empty()) {
      absl::StatusOr<std::string> ca = ReadFile(options.tls_ca_file, "--etcd-tls-ca");
      if (!ca.ok()) return ca.status();
      ssl.pem_root_certs = *std::move(ca);
    }
    if (!options.tls_cert_file.empty()) {
      absl::StatusOr<std::string> cert = ReadFile(options.tls_cert_file, "--etcd-tls-cert");
      if (!cert.ok()) return cert.status();
      absl::StatusOr<std::string> key = ReadFile(options.tls_key_file, "--etcd-tls-key");
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *std::move(cert);
      ssl.pem_private_key = *std::move(key);
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  arguments.SetMaxSendMessageSize(kMaxReceiveBytes);
  // Find a dead connection under an idle watch within about 15 s. etcd permits pings every
  // 5 s (--grpc-keepalive-min-time).
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10 * 1000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5 * 1000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Reconnect quickly to a member that comes back (gRPC's default backoff grows to 120 s).
  // The minimum is also gRPC's connect timeout: not too short for a busy member.
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 2000);

  std::unique_ptr<EtcdClient> client(new EtcdClient(std::move(options)));
  const_cast<std::vector<std::string>&>(client->endpoints_) = addresses;
  for (const std::string& address : addresses) {
    auto endpoint = std::make_unique<Endpoint>();
    endpoint->address = address;
    endpoint->channel = grpc::CreateCustomChannel(address, credentials, arguments);
    endpoint->kv = etcdserverpb::KV::NewStub(endpoint->channel);
    endpoint->watch = etcdserverpb::Watch::NewStub(endpoint->channel);
    endpoint->maintenance = etcdserverpb::Maintenance::NewStub(endpoint->channel);
    endpoint->auth = etcdserverpb::Auth::NewStub(endpoint->channel);
    client->channels_.push_back(std::move(endpoint));
  }
  return client;
}

EtcdClient::EtcdClient(EtcdClientOptions options) : options_(std::move(options)) {}

EtcdClient::~EtcdClient() = default;

void EtcdClient::Advance(size_t index) {
  size_t expected = index;
  current_.compare_exchange_strong(expected, (index + 1) % channels_.size(),
                                   std::memory_order_relaxed);
}

absl::Status EtcdClient::Prepare(Endpoint& endpoint, grpc::ClientContext* context,
                                 bool deadline) {
  if (deadline) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + options_.call_timeout));
    // Wait (and poll) for a connection until the deadline rather than failing at once while
    // the channel is in backoff: gRPC drives a reconnection's handshake only while a call
    // polls, so fail-fast calls to a member that came back could fail for many seconds.
    context->set_wait_for_ready(true);
  }
  if (options_.user.empty()) return absl::OkStatus();
  std::string token;
  {
    common::MutexLock lock(&token_mu_);
    token = token_;
  }
  if (token.empty()) {
    grpc::ClientContext auth_context;
    auth_context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_timeout));
    auth_context.set_wait_for_ready(true);
    etcdserverpb::AuthenticateRequest request;
    request.set_name(options_.user);
    request.set_password(options_.password);
    etcdserverpb::AuthenticateResponse response;
    grpc::Status status = endpoint.auth->Authenticate(&auth_context, request, &response);
    if (!status.ok()) {
      return FromGrpc(status, endpoint.address,
                      absl::StrCat("authenticating as etcd user '", options_.user,
                                   "' (--etcd-user, --etcd-password-file)"));
    }
    token = response.token();
    common::MutexLock lock(&token_mu_);
    token_ = token;
    ++token_generation_;
  }
  context->AddMetadata("token", token);
  return absl::OkStatus();
}

template <typename Response, typename Attempt>
absl::StatusOr<Response> EtcdClient::Call(const char* what, bool resend, Attempt attempt) {
  const size_t n = channels_.size();
  const size_t start = current();
  absl::Status last;
  for (size_t k = 0; k < n; ++k) {
    const size_t index = (start + k) % n;
    Endpoint& endpoint = *channels_[index];
    bool sent = false;
    for (bool reauthenticated = false;;) {
      grpc::ClientContext context;
      if (absl::Status prepared = Prepare(endpoint, &context, /*deadline=*/true);
          !prepared.ok()) {
        last = prepared;
        if (!IsFailover(prepared.code())) return prepared;
        break;  // nothing was sent: the next endpoint may take it
      }
      Response response;
      grpc::Status status = attempt(endpoint, &context, &response);
      if (status.ok()) return response;
      if (!reauthenticated && !options_.user.empty() && IsInvalidToken(status)) {
        common::MutexLock lock(&token_mu_);
        token_.clear();
        reauthenticated = true;
        continue;
      }
      last = FromGrpc(status, endpoint.address, what);
      if (!IsFailover(last.code())) return last;
      sent = true;
      break;
    }
    Advance(index);
    if (sent && !resend) {
      return common::WithReason(
          absl::UnavailableError(absl::StrCat(
              last.message(),
              "; etcd may or may not have applied it: read back before writing again")),
          "ETCD_OUTCOME_UNKNOWN", {{"endpoint", endpoint.address}});
    }
  }
  return absl::Status(last.code() == absl::StatusCode::kDeadlineExceeded
                          ? absl::StatusCode::kUnavailable
                          : last.code(),
                      absl::StrCat("no etcd member answered (", n, " tried); last: ",
                                   last.message()));
}

absl::StatusOr<etcdserverpb::RangeResponse> EtcdClient::Range(
    const etcdserverpb::RangeRequest& request) {
  return Call<etcdserverpb::RangeResponse>(
      "range read", true,
      [&request](Endpoint& e, grpc::ClientContext* c, etcdserverpb::RangeResponse* r) {
        return e.kv->Range(c, request, r);
      });
}

absl::StatusOr<etcdserverpb::PutResponse> EtcdClient::Put(const etcdserverpb::PutRequest& request) {
  return Call<etcdserverpb::PutResponse>(
      "put", false, [&request](Endpoint& e, grpc::ClientContext* c, etcdserverpb::PutResponse* r) {
        return e.kv->Put(c, request, r);
      });
}

absl::StatusOr<etcdserverpb::TxnResponse> EtcdClient::Txn(const etcdserverpb::TxnRequest& request,
                                                          Resend resend) {
  return Call<etcdserverpb::TxnResponse>(
      "transaction", resend == Resend::kGuarded,
      [&request](Endpoint& e, grpc::ClientContext* c, etcdserverpb::TxnResponse* r) {
        return e.kv->Txn(c, request, r);
      });
}

absl::StatusOr<etcdserverpb::CompactionResponse> EtcdClient::Compact(int64_t revision) {
  etcdserverpb::CompactionRequest request;
  request.set_revision(revision);
  return Call<etcdserverpb::CompactionResponse>(
      "compaction", true,
      [&request](Endpoint& e, grpc::ClientContext* c, etcdserverpb::CompactionResponse* r) {
        return e.kv->Compact(c, request, r);
      });
}

absl::StatusOr<etcdserverpb::StatusResponse> EtcdClient::MemberStatus(size_t index) {
  if (index >= channels_.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no etcd endpoint ", index, "; there are ", channels_.size()));
  }
  Endpoint& endpoint = *channels_[index];
  grpc::ClientContext context;
  if (absl::Status s = Prepare(endpoint, &context, true); !s.ok()) return s;
  etcdserverpb::StatusResponse response;
  grpc::Status status =
      endpoint.maintenance->Status(&context, etcdserverpb::StatusRequest(), &response);
  if (!status.ok()) return FromGrpc(status, endpoint.address, "member status");
  return response;
}

absl::StatusOr<std::unique_ptr<EtcdWatch>> EtcdClient::Watch(
    const etcdserverpb::WatchCreateRequest& request) {
  const size_t n = channels_.size();
  const size_t start = current();
  absl::Status last;
  for (size_t k = 0; k < n; ++k) {
    const size_t index = (start + k) % n;
    Endpoint& endpoint = *channels_[index];
    // A member that is down fails the connection attempt within the call timeout; one that
    // accepts the stream but has no leader cancels it (hasleader).
    if (!endpoint.channel->WaitForConnected(
            absl::ToChronoTime(absl::Now() + options_.call_timeout))) {
      last = absl::UnavailableError(
          absl::StrCat("etcd at ", endpoint.address, ": opening a watch: cannot connect"));
      Advance(index);
      continue;
    }
    auto context = std::make_unique<grpc::ClientContext>();
    if (absl::Status s = Prepare(endpoint, context.get(), /*deadline=*/false); !s.ok()) {
      last = s;
      if (!IsFailover(s.code())) return s;
      Advance(index);
      continue;
    }
    context->AddMetadata("hasleader", "true");
    auto watch = std::make_unique<GrpcWatch>(std::move(context), endpoint.address);
    absl::Status opened = watch->Open(endpoint.watch.get(), request);
    if (opened.ok()) return std::unique_ptr<EtcdWatch>(std::move(watch));
    last = opened;
    if (!IsFailover(opened.code())) return opened;
    Advance(index);
  }
  return absl::UnavailableError(
      absl::StrCat("no etcd member would open a watch (", n, " tried); last: ", last.message()));
}

}  // namespace irm::cluster
