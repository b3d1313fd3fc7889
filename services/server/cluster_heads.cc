#include "services/server/cluster_heads.h"

#include <algorithm>
#include <string>
#include <utility>

namespace irm::services {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

class ClusterHeadsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit ClusterHeadsInterceptor(const ClusterHeads* heads) : heads_(heads) {}

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      // Applied first: the seen head is then read at least as late, and never shown below it.
      const uint64_t applied = heads_->applied_head();
      const uint64_t seen = std::max(heads_->seen_head(), applied);
      std::multimap<std::string, std::string>* trailing = methods->GetSendTrailingMetadata();
      trailing->emplace(kAppliedHeadKey, std::to_string(applied));
      trailing->emplace(kSeenHeadKey, std::to_string(seen));
      trailing->emplace(kConnectedKey, heads_->connected() ? "true" : "false");
    }
    methods->Proceed();
  }

 private:
  const ClusterHeads* const heads_;
};

class ClusterHeadsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ClusterHeadsInterceptorFactory(ClusterHeads heads) : heads_(std::move(heads)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* /*info*/) override {
    return new ClusterHeadsInterceptor(&heads_);  // owned and deleted by gRPC
  }

 private:
  const ClusterHeads heads_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewClusterHeadsInterceptorFactory(ClusterHeads heads) {
  return std::make_unique<ClusterHeadsInterceptorFactory>(std::move(heads));
}

}  // namespace irm::services
