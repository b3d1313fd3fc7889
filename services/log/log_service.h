// LogService: irm.api.v1.LogService on gRPC's callback API.
//
// Decodes requests, calls the EventLog, encodes answers. Every call is authenticated; appends
// are authorised by engine/access (secretariat only, review- streams only by import) and
// record the caller as the actor; reads and subscriptions pass each event through the
// caller's EventViewer. An append finishes once durable: on
// the calling gRPC thread when it found the log idle and committed itself (one thread at a
// time waits on an fsync that way), else on the log's writer thread. Reads stream
// chunks with flow control: the next chunk is read from disk only after the previous one was
// sent. Thread-safe; the log must outlive the service.
#ifndef IRM_SERVICES_LOG_LOG_SERVICE_H_
#define IRM_SERVICES_LOG_LOG_SERVICE_H_

#include <atomic>
#include <cstdint>
#include <functional>

#include "absl/time/time.h"

#include "engine/log/event_log.h"
#include "engine/subscription/live_feed.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "services/server/authenticator.h"
#include "services/server/event_viewer.h"
#include "services/server/subscription_registry.h"

namespace irm::services {

// Cluster mode (docs/cluster.md): `cluster_head` gives the shared log's head as this node
// last saw it in etcd (EtcdReplicator::seen_head), `connected` whether its last exchange with
// etcd succeeded. A subscription may then start anywhere up to that head + 1, also past this
// node's copy, which it waits for (at most `subscribe_start_wait`, then UNAVAILABLE); a start
// past it is OUT_OF_RANGE while the node is connected, and waited for like the others while
// it is not (it cannot tell then: the client may come from a node that saw more).
struct LogServiceClusterOptions {
  std::function<uint64_t()> cluster_head;
  std::function<bool()> connected;
  absl::Duration subscribe_start_wait = absl::Seconds(30);
};

class LogService final : public api::v1::LogService::CallbackService {
 public:
  // `lookup` gives a review's current state for confidentiality decisions.
  // All pointers must outlive the service.
  LogService(log::EventLog* log, subscription::LiveFeed* feed, SubscriptionRegistry* registry,
             const Authenticator* auth, ReviewLookup lookup,
             LogServiceClusterOptions cluster = {});

  grpc::ServerUnaryReactor* Append(grpc::CallbackServerContext* context,
                                   const api::v1::AppendRequest* request,
                                   api::v1::AppendResponse* response) override;
  grpc::ServerWriteReactor<api::v1::ReadResponse>* ReadStream(
      grpc::CallbackServerContext* context, const api::v1::ReadStreamRequest* request) override;
  grpc::ServerWriteReactor<api::v1::ReadResponse>* ReadAll(
      grpc::CallbackServerContext* context, const api::v1::ReadAllRequest* request) override;
  grpc::ServerUnaryReactor* GetStreamInfo(grpc::CallbackServerContext* context,
                                          const api::v1::GetStreamInfoRequest* request,
                                          api::v1::StreamInfo* response) override;
  grpc::ServerUnaryReactor* GetLogInfo(grpc::CallbackServerContext* context,
                                       const api::v1::GetLogInfoRequest* request,
                                       api::v1::LogInfo* response) override;
  grpc::ServerWriteReactor<api::v1::SubscribeResponse>* Subscribe(
      grpc::CallbackServerContext* context, const api::v1::SubscribeRequest* request) override;

  // From now on, appends and new subscriptions are refused with UNAVAILABLE; calls already
  // accepted finish. Called on SIGTERM before the server stops taking calls, so clients see
  // the retryable code rather than gRPC's CANCELLED.
  void StartDraining() { draining_.store(true); }

 private:
  log::EventLog* const log_;
  subscription::LiveFeed* const feed_;
  SubscriptionRegistry* const registry_;
  const Authenticator* const auth_;
  const ReviewLookup lookup_;
  const LogServiceClusterOptions cluster_;
  std::atomic<bool> draining_{false};
};

}  // namespace irm::services

#endif  // IRM_SERVICES_LOG_LOG_SERVICE_H_
