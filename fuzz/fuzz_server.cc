#include "fuzz/fuzz_server.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/common/clock.h"
#include "engine/needs/needs_projection.h"
#include "engine/projection/projection_runner.h"
#include "engine/projection/stream_stats_projection.h"
#include "engine/review/event_schema.h"
#include "engine/review/review_workflow.h"
#include "engine/review/reviews_projection.h"
#include "engine/store/rocksdb_event_log.h"
#include "engine/subscription/live_feed.h"
#include "services/admin/admin_service.h"
#include "services/server/authenticator.h"
#include "services/server/grpc_server.h"
#include "services/log/log_service.h"
#include "services/report/report_service.h"
#include "services/review/review_service.h"
#include "services/server/subscription_registry.h"

namespace irm::fuzz {

struct FuzzServer::Parts {
  std::unique_ptr<store::RocksDbEventLog> log;
  std::unique_ptr<subscription::LiveFeed> feed;
  std::unique_ptr<services::Authenticator> auth;  // open: every call is the secretariat
  services::SubscriptionRegistry subscriptions;
  std::unique_ptr<services::LogService> log_service;
  std::unique_ptr<projection::ProjectionRunner> projections;
  std::unique_ptr<services::AdminService> admin_service;
  std::unique_ptr<review::ReviewWorkflow> workflow;
  std::unique_ptr<services::ReviewService> review_service;
  std::unique_ptr<services::ReportService> report_service;
  std::unique_ptr<grpc::Server> server;
};

FuzzServer& FuzzServer::Get() {
  static FuzzServer* server = new FuzzServer();
  return *server;
}

// The server's folder, removed at exit (the server itself is never destroyed).
std::string* fuzz_folder = nullptr;

void RemoveFuzzFolder() {
  std::error_code error;
  if (fuzz_folder != nullptr) std::filesystem::remove_all(*fuzz_folder, error);
}

FuzzServer::FuzzServer() : parts_(std::make_unique<Parts>()) {
  std::string pattern = "/tmp/irm-fuzz-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  fuzz_folder = new std::string(pattern);
  std::atexit(RemoveFuzzFolder);
  store::RocksDbEventLogOptions log_options;
  log_options.content_check = review::CheckAppendSchema;  // as irmd does
  auto log = store::RocksDbEventLog::Open(pattern + "/data", log_options);
  if (!log.ok()) {
    std::fprintf(stderr, "fuzz server: %s\n", log.status().ToString().c_str());
    std::abort();
  }
  Parts& p = *parts_;
  p.log = std::move(*log);
  p.feed = std::make_unique<subscription::LiveFeed>(p.log.get());
  p.auth = services::Authenticator::Open();
  p.workflow = std::make_unique<review::ReviewWorkflow>(p.log.get(), common::SystemClock());
  review::ReviewWorkflow* workflow = p.workflow.get();
  p.log_service = std::make_unique<services::LogService>(
      p.log.get(), p.feed.get(), &p.subscriptions, p.auth.get(),
      [workflow](const std::string& state, int cycle) { return workflow->Load(state, cycle); });
  std::vector<std::unique_ptr<projection::Projection>> projections;
  projections.push_back(std::make_unique<projection::StreamStatsProjection>());
  projections.push_back(std::make_unique<review::ReviewsProjection>(p.log.get()));
  projections.push_back(std::make_unique<needs::NeedsProjection>(p.log.get()));
  p.projections = std::make_unique<projection::ProjectionRunner>(
      p.feed.get(), p.log->projection_store(), std::move(projections));
  p.projections->Start();
  p.admin_service = std::make_unique<services::AdminService>(
      p.log.get(), p.feed.get(), &p.subscriptions, p.projections.get(), p.auth.get());
  p.review_service = std::make_unique<services::ReviewService>(p.log.get(), p.workflow.get(),
                                                               p.projections.get(), p.auth.get());
  p.report_service = std::make_unique<services::ReportService>(p.log.get(), p.projections.get(),
                                                               p.auth.get());
  auto started = services::StartGrpcServer(
      "127.0.0.1:0", {{api::v1::LogService::service_full_name(), p.log_service.get()},
                      {api::v1::AdminService::service_full_name(), p.admin_service.get()},
                      {api::v1::ReviewService::service_full_name(), p.review_service.get()},
                      {api::v1::ReportService::service_full_name(), p.report_service.get()}});
  if (!started.ok()) {
    std::fprintf(stderr, "fuzz server: %s\n", started.status().ToString().c_str());
    std::abort();
  }
  p.server = std::move(started->server);
  grpc::ChannelArguments arguments;
  channel_ = p.server->InProcessChannel(arguments);
}

}  // namespace irm::fuzz
