// Cluster mode: how far behind this node's answers may be, on every answer (docs/cluster.md).
//
// A gRPC server interceptor that adds two trailing metadata entries to every call irmd
// answers (any service, any status):
//   irm-cluster-applied-head  the last position of this node's copy when the call ended:
//                             what its reads and projections answered from, at most
//   irm-cluster-seen-head     the shared log's head as this node last saw it in etcd
//                             (EtcdReplicator::seen_head, never below the applied head)
//   irm-cluster-connected     "true" while this node's last exchange with etcd succeeded,
//                             "false" while it is cut off (the seen head may then be stale)
// Their difference bounds how far the answer lagged the cluster when this node last heard
// from etcd; a node cut off from etcd keeps answering with a seen head that stops moving
// (its health "irm.cluster.writes" is then NOT_SERVING).
//
// Thread-safety: the functions are called from gRPC threads concurrently and must be
// thread-safe and cheap (atomic loads).
#ifndef IRM_SERVICES_SERVER_CLUSTER_HEADS_H_
#define IRM_SERVICES_SERVER_CLUSTER_HEADS_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace irm::services {

inline constexpr char kAppliedHeadKey[] = "irm-cluster-applied-head";
inline constexpr char kSeenHeadKey[] = "irm-cluster-seen-head";
inline constexpr char kConnectedKey[] = "irm-cluster-connected";

struct ClusterHeads {
  std::function<uint64_t()> applied_head;  // the local copy's head
  std::function<uint64_t()> seen_head;     // etcd's head as last seen
  std::function<bool()> connected;         // the last exchange with etcd succeeded
};

// A factory for grpc::ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewClusterHeadsInterceptorFactory(ClusterHeads heads);

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_CLUSTER_HEADS_H_
