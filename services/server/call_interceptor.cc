#include "services/server/call_interceptor.h"

#include <utility>

#include "absl/status/status.h"
#include "engine/common/uuid.h"

namespace irm::services {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::InterceptorBatchMethods;

constexpr size_t kMaxRequestIdChars = 128;
constexpr char kRequestIdKey[] = "x-request-id";

class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(grpc::experimental::ServerRpcInfo* info,
                  const std::vector<CallObserver*>* observers)
      : info_(info), observers_(observers), start_(absl::Now()) {
    call_.method = info->method() == nullptr ? "" : info->method();
  }

  ~CallInterceptor() override {
    call_.duration = absl::Now() - start_;
    if (!has_status_) call_.code = grpc::StatusCode::CANCELLED;
    if (call_.request_id.empty()) call_.request_id = common::Uuid::Random().ToString();
    for (CallObserver* observer : *observers_) observer->OnCallFinished(call_);
  }

  void Intercept(InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      TakeRequestId(*methods->GetRecvInitialMetadata());
      if (info_->server_context() != nullptr) call_.peer = info_->server_context()->peer();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (call_.request_id.empty()) call_.request_id = common::Uuid::Random().ToString();
      methods->GetSendInitialMetadata()->emplace(kRequestIdKey, call_.request_id);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      call_.code = status.error_code();
      call_.message = status.error_message();
      has_status_ = true;
    }
    methods->Proceed();
  }

 private:
  // Takes the client's id if usable; otherwise makes one and puts it in the call's client
  // metadata in place of the client's, for RequestIdOf. The map holds string_refs: the id
  // lives in call_, which outlives the handler.
  void TakeRequestId(std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    auto [first, last] = metadata.equal_range(kRequestIdKey);
    if (first != last && std::next(first) == last) {
      absl::string_view id(first->second.data(), first->second.size());
      if (IsUsableRequestId(id)) call_.request_id = std::string(id);
    }
    if (!call_.request_id.empty()) return;
    call_.request_id = common::Uuid::Random().ToString();
    metadata.erase(first, last);
    metadata.emplace(grpc::string_ref(kRequestIdKey), grpc::string_ref(call_.request_id));
  }

  grpc::experimental::ServerRpcInfo* const info_;
  const std::vector<CallObserver*>* const observers_;
  const absl::Time start_;
  FinishedCall call_;
  bool has_status_ = false;
};

class CallInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallInterceptorFactory(std::vector<CallObserver*> observers)
      : observers_(std::move(observers)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallInterceptor(info, &observers_);  // owned and deleted by gRPC
  }

 private:
  const std::vector<CallObserver*> observers_;
};

}  // namespace

std::string RequestIdOf(const grpc::ServerContextBase& context) {
  auto it = context.client_metadata().find(kRequestIdKey);
  if (it == context.client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

bool IsUsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdChars) return false;
  for (char c : id) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

std::string StatusCodeName(grpc::StatusCode code) {
  // gRPC and Abseil codes are numerically the same (conventions.md).
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewCallInterceptorFactory(
    std::vector<CallObserver*> observers) {
  return std::make_unique<CallInterceptorFactory>(std::move(observers));
}

}  // namespace irm::services
