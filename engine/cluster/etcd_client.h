// EtcdClient: a small blocking client for etcd v3's gRPC API (the subset in
// proto/etcd/etcdserverpb/rpc.proto), for cluster mode.
//
// It holds one gRPC channel per endpoint and sends each call to the current endpoint. When
// a call fails with UNAVAILABLE or DEADLINE_EXCEEDED (the member is down, cut off from its
// quorum, or has no leader), the client moves to the next endpoint and, where resending is
// safe, sends the call there, trying every endpoint at most once per call. Reads are always
// resent; a transaction only if the caller says it is guarded (its compare fails if an
// earlier copy committed); otherwise the caller gets Unavailable with reason
// ETCD_OUTCOME_UNKNOWN and must find out what happened itself.
//
// Optional TLS (a CA, and a client certificate and key for etcd's --client-cert-auth) and
// etcd user authentication (name and password: the client authenticates, sends the token as
// metadata `token`, and authenticates again once if etcd says the token is no longer valid).
// Watch streams carry metadata `hasleader: true`, so a member that loses its quorum cancels
// them instead of going silent.
//
// Errors are absl::Status, converted from gRPC in exactly one place (etcd_client.cc); each
// message names the endpoint and what was asked. Thread-safe: any number of threads may call
// any method at once.
#ifndef IRM_ENGINE_CLUSTER_ETCD_CLIENT_H_
#define IRM_ENGINE_CLUSTER_ETCD_CLIENT_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/common/mutex.h"
#include "etcd/etcdserverpb/rpc.grpc.pb.h"

namespace irm::cluster {

struct EtcdClientOptions {
  // "HOST:PORT", "http://HOST:PORT" or "https://HOST:PORT"; at least one. https, or any TLS
  // file below, makes every connection TLS.
  std::vector<std::string> endpoints;
  std::string tls_ca_file;    // PEM roots that sign etcd's certificates; empty: system roots
  std::string tls_cert_file;  // client certificate (PEM), with tls_key_file
  std::string tls_key_file;
  // etcd user authentication; empty user: none.
  std::string user;
  std::string password;
  // The deadline of one attempt of a unary call on one endpoint.
  absl::Duration call_timeout = absl::Seconds(2);
};

// Splits "URL[,URL...]" as `--cluster-etcd` takes it. InvalidArgument (naming the flag) if
// it is empty or an entry is not HOST:PORT with an optional http:// or https://.
absl::StatusOr<std::vector<std::string>> ParseEtcdEndpoints(absl::string_view flag_value);

// One watch stream (EtcdClient::Watch). Next() and Cancel() may be called from different
// threads; Next() from one thread at a time.
class EtcdWatch {
 public:
  virtual ~EtcdWatch() = default;
  // Blocks for the stream's next response. Unavailable once the stream broke (the member
  // went away, lost its leader, or Cancel() was called); a response with `canceled` set
  // (for instance with compact_revision) is returned as a response, and the stream ends
  // after it.
  virtual absl::StatusOr<etcdserverpb::WatchResponse> Next() = 0;
  // Ends the stream: a running or later Next() returns Unavailable. Idempotent.
  virtual void Cancel() = 0;
};

class EtcdClient {
 public:
  // Whether a write may be sent again to the next endpoint after an ambiguous failure.
  enum class Resend { kNever, kGuarded };

  // InvalidArgument if no endpoint is given or one is malformed; NotFound/InvalidArgument
  // naming the file if a TLS file cannot be read. Connects lazily.
  static absl::StatusOr<std::unique_ptr<EtcdClient>> Create(EtcdClientOptions options);
  ~EtcdClient();

  EtcdClient(const EtcdClient&) = delete;
  EtcdClient& operator=(const EtcdClient&) = delete;

  absl::StatusOr<etcdserverpb::RangeResponse> Range(const etcdserverpb::RangeRequest& request);
  // Not resent after an ambiguous failure (Resend::kNever).
  absl::StatusOr<etcdserverpb::PutResponse> Put(const etcdserverpb::PutRequest& request);
  absl::StatusOr<etcdserverpb::TxnResponse> Txn(const etcdserverpb::TxnRequest& request,
                                                Resend resend);
  absl::StatusOr<etcdserverpb::CompactionResponse> Compact(int64_t revision);
  // The status of the member at endpoint `index` (no failover): for finding the leader.
  absl::StatusOr<etcdserverpb::StatusResponse> MemberStatus(size_t index);

  // Opens a watch on the current endpoint (moving on to the next while one cannot open it)
  // and returns once etcd confirmed it (`created`). Unavailable if no endpoint could.
  absl::StatusOr<std::unique_ptr<EtcdWatch>> Watch(
      const etcdserverpb::WatchCreateRequest& request);

  const std::vector<std::string>& endpoints() const { return endpoints_; }
  // The endpoint the next call goes to first.
  size_t current() const { return current_.load(std::memory_order_relaxed); }

 private:
  struct Endpoint;
  explicit EtcdClient(EtcdClientOptions options);

  // Runs `attempt` on each endpoint in turn from the current one until it does not fail with
  // UNAVAILABLE or DEADLINE_EXCEEDED. `resend` false: stops after the first such failure of
  // a sent request (ETCD_OUTCOME_UNKNOWN). `what` names the call for messages.
  template <typename Response, typename Attempt>
  absl::StatusOr<Response> Call(const char* what, bool resend, Attempt attempt);
  // Adds the auth token (authenticating first if needed) and the deadline to `context`.
  absl::Status Prepare(Endpoint& endpoint, grpc::ClientContext* context, bool deadline);
  // Moves current_ past `index` unless another thread already did.
  void Advance(size_t index);

  const EtcdClientOptions options_;
  const std::vector<std::string> endpoints_;
  std::vector<std::unique_ptr<Endpoint>> channels_;
  std::atomic<size_t> current_{0};

  common::Mutex token_mu_;
  std::string token_ ABSL_GUARDED_BY(token_mu_);
  uint64_t token_generation_ ABSL_GUARDED_BY(token_mu_) = 0;
};

}  // namespace irm::cluster

#endif  // IRM_ENGINE_CLUSTER_ETCD_CLIENT_H_
