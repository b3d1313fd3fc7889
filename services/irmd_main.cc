// irmd: the irm server. See ServerUsage() for the contract.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/needs/needs_projection.h"
#include "engine/projection/projection_runner.h"
#include "engine/projection/stream_stats_projection.h"
#include "engine/review/review_workflow.h"
#include "engine/review/reviews_projection.h"
#include "engine/store/rocksdb_event_log.h"
#include "engine/subscription/live_feed.h"
#include "services/admin_service.h"
#include "services/authenticator.h"
#include "services/grpc_server.h"
#include "services/http/http_server.h"
#include "services/log_service.h"
#include "services/report_service.h"
#include "services/review_service.h"
#include "services/server_config.h"
#include "services/tls.h"

namespace irm::services {
namespace {

int Fail(const absl::Status& status, int exit_code) {
  std::fprintf(stderr, "irmd: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               std::string(status.message()).c_str());
  return exit_code;
}

absl::Status RefuseUnbuiltFeatures(const ServerConfig& config) {
  const std::pair<const char*, const std::string*> features[] = {
      {"--metrics", &config.metrics_listen}, {"--signing-key", &config.signing_key},
  };
  for (const auto& [flag, value] : features) {
    if (!value->empty()) {
      return absl::UnimplementedError(
          absl::StrCat(flag, " is not available in this build of irmd yet; start without it"));
    }
  }
  return absl::OkStatus();
}

int Run(int argc, char** argv) {
  // Termination signals are taken by sigwait below, never by another thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);  // reloads the --auth file
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<ServerConfig> config =
      ParseServerConfig(std::vector<std::string>(argv + 1, argv + argc));
  if (!config.ok()) return Fail(config.status(), 2);
  if (config->help) {
    std::fputs(ServerUsage(), stdout);
    return 0;
  }
  if (absl::Status s = RefuseUnbuiltFeatures(*config); !s.ok()) return Fail(s, 2);

  std::error_code error;
  std::filesystem::create_directories(config->data_dir, error);
  if (error) {
    return Fail(absl::UnavailableError(absl::StrCat("cannot create data folder ",
                                                    config->data_dir, ": ", error.message())),
                1);
  }
  store::RocksDbEventLogOptions log_options;
  log_options.limits.max_event_data_bytes = config->max_event_bytes;
  auto log = store::RocksDbEventLog::Open(config->data_dir, log_options);
  if (!log.ok()) return Fail(log.status(), 1);

  std::unique_ptr<Authenticator> auth = Authenticator::Open();
  if (!config->auth_file.empty()) {
    auto loaded = Authenticator::FromFile(config->auth_file);
    if (!loaded.ok()) return Fail(loaded.status(), 2);
    auth = std::move(*loaded);
  }
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (!config->tls_cert.empty()) {
    auto tls = TlsServerCredentials(config->tls_cert, config->tls_key, config->tls_client_ca);
    if (!tls.ok()) return Fail(tls.status(), 2);
    credentials = *std::move(tls);
  }
  subscription::LiveFeed feed(log->get());
  SubscriptionRegistry subscriptions;
  review::ReviewWorkflow workflow(log->get(), common::SystemClock());
  LogService log_service(log->get(), &feed, &subscriptions, auth.get(),
                         [&workflow](const std::string& state, int cycle) {
                           return workflow.Load(state, cycle);
                         });
  std::vector<std::unique_ptr<projection::Projection>> projections;
  projections.push_back(std::make_unique<projection::StreamStatsProjection>());
  projections.push_back(std::make_unique<review::ReviewsProjection>());
  projections.push_back(std::make_unique<needs::NeedsProjection>());
  projection::ProjectionRunner projection_runner(&feed, (*log)->projection_store(),
                                                 std::move(projections));
  projection_runner.Start();
  AdminService admin_service(&feed, &subscriptions, &projection_runner, auth.get());
  ReviewService review_service(log->get(), &workflow, &projection_runner, auth.get());
  ReportService report_service(log->get(), &projection_runner, auth.get());
  auto started = StartGrpcServer(
      config->listen, {&log_service, &admin_service, &review_service, &report_service},
      credentials);
  if (!started.ok()) return Fail(started.status(), 1);
  std::unique_ptr<http::HttpServer> http_server;
  if (!config->http_listen.empty()) {
    auto http = http::HttpServer::Start(
        config->http_listen, {log->get(), &feed, &subscriptions, &projection_runner,
                              &review_service, &report_service, auth.get(), &workflow});
    if (!http.ok()) return Fail(http.status(), 1);
    http_server = *std::move(http);
    std::fprintf(stderr, "irmd http listening on %s\n", http_server->address().c_str());
  }
  std::fprintf(stderr, "irmd listening on %s\n", started->address.c_str());
  std::fflush(stderr);

  int signal_number = 0;
  for (;;) {
    sigwait(&stop_signals, &signal_number);
    if (signal_number != SIGHUP) break;
    absl::StatusOr<size_t> reloaded = auth->Reload();
    if (auth->open()) {
      std::fprintf(stderr, "irmd: SIGHUP: no --auth file to reload\n");
    } else if (reloaded.ok()) {
      std::fprintf(stderr, "irmd: SIGHUP: auth file reloaded, %zu principals\n", *reloaded);
    } else {
      std::fprintf(stderr, "irmd: SIGHUP: auth file not reloaded, keeping the old one: %s\n",
                   std::string(reloaded.status().message()).c_str());
    }
    std::fflush(stderr);
  }
  std::fprintf(stderr, "irmd: %s received, draining in-flight calls\n",
               signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  started->server->GetHealthCheckService()->SetServingStatus(false);
  log_service.StartDraining();
  feed.Stop();  // ends live subscriptions with UNAVAILABLE, naming where to resume
  if (http_server) http_server->Stop();  // event streams end; browsers reconnect later
  // Calls already on the wire reach a handler and get UNAVAILABLE, not gRPC's CANCELLED.
  absl::SleepFor(absl::Milliseconds(300));
  started->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  started->server->Wait();
  projection_runner.Stop();
  (*log)->Close();
  std::fprintf(stderr, "irmd: stopped; head position %llu\n",
               static_cast<unsigned long long>((*log)->HeadPosition()));
  return 0;
}

}  // namespace
}  // namespace irm::services

int main(int argc, char** argv) { return irm::services::Run(argc, argv); }
