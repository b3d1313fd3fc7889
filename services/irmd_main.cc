// irmd: the irm server. See ServerUsage() for the contract.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "engine/audit/checkpointer.h"
#include "engine/cluster/etcd_client.h"
#include "engine/cluster/etcd_replicator.h"
#include "engine/common/clock.h"
#include "engine/audit/ed25519.h"
#include "engine/needs/needs_projection.h"
#include "engine/projection/projection_runner.h"
#include "engine/projection/stream_stats_projection.h"
#include "engine/review/event_schema.h"
#include "engine/review/review_workflow.h"
#include "engine/review/deadline_recorder.h"
#include "engine/review/irg_projection.h"
#include "engine/review/reviews_projection.h"
#include "engine/review/voids.h"
#include "engine/store/backup.h"
#include "engine/store/rocksdb_event_log.h"
#include "engine/subscription/live_feed.h"
#include "services/admin/admin_service.h"
#include "services/audit/audit_service.h"
#include "services/server/call_interceptor.h"
#include "services/server/cluster_heads.h"
#include "services/server/call_log.h"
#include "services/server/authenticator.h"
#include "services/server/grpc_server.h"
#include "services/server/json_log.h"
#include "services/http/http_server.h"
#include "services/log/log_service.h"
#include "services/server/memory_collector.h"
#include "services/server/metered_event_log.h"
#include "services/server/metrics_server.h"
#include "services/report/report_service.h"
#include "services/review/review_service.h"
#include "services/server/server_config.h"
#include "services/server/server_metrics.h"
#include "services/server/state_collector.h"
#include "services/server/tls.h"

namespace irm::services {
namespace {

int Fail(const absl::Status& status, int exit_code) {
  std::fprintf(stderr, "irmd: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               std::string(status.message()).c_str());
  return exit_code;
}

// A restored backup holds what the log held when it was taken, including events an older
// irmd accepted that no fold can read (docs/void.md): restore keeps them (the log is
// immutable), and each is reported here with the command that voids it.
void ReportUnreadableEvents(const log::EventLog& log, JsonLog& json_log) {
  constexpr size_t kMaxReported = 20;
  absl::StatusOr<std::vector<review::UnreadableEvent>> found =
      review::FindUnreadableEvents(log, kMaxReported);
  if (!found.ok()) {
    json_log.Write(LogLevel::kError, "restored log not scanned for unreadable events",
                   {{"error", std::string(found.status().message())}});
    return;
  }
  for (const review::UnreadableEvent& event : *found) {
    json_log.Write(LogLevel::kWarning,
                   "restored log holds an event no fold can read; projections stop there "
                   "until it is voided",
                   {{"position", event.position},
                    {"stream", event.stream},
                    {"type", event.type},
                    {"reason", event.reason},
                    {"fix", absl::StrCat("irm admin void ", event.position, " --reason TEXT")}});
  }
}

// glibc malloc keeps freed memory for reuse: in per-thread arenas (up to 8 per core), and
// below a threshold that grows, after each large free, up to 32 MiB. Under a crowd of 1 MiB
// appends that kept ~20% more resident than needed, never given back (docs/reliability.md,
// "Memory"). A fixed threshold serves every allocation of 128 KiB or more (event data,
// requests, write batches) from its own mapping, returned to the system when freed; four
// arenas keep threads from contending while bounding what small allocations retain. Must
// run before any thread starts.
void LimitRetainedMemory() {
  mallopt(M_MMAP_THRESHOLD, 128 << 10);
  mallopt(M_ARENA_MAX, 4);
}

int Run(int argc, char** argv) {
  LimitRetainedMemory();
  // Termination signals are taken by sigwait below, never by another thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);  // reloads the --auth file
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
#ifdef NDEBUG
  // Debian's Abseil checks lock order on every Mutex lock (2-4% of irmd's CPU under load).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif

  absl::StatusOr<ServerConfig> config =
      ParseServerConfig(std::vector<std::string>(argv + 1, argv + argc));
  if (!config.ok()) return Fail(config.status(), 2);
  if (config->help) {
    std::fputs(ServerUsage(), stdout);
    return 0;
  }
  JsonLog json_log(stderr, ParseLogLevel(config->log_level).value_or(LogLevel::kInfo));
  for (const std::string& listener : config->plaintext_token_listeners) {
    json_log.Write(LogLevel::kWarning,
                   "bearer tokens travel in clear text: --allow-plaintext-tokens serves --auth "
                   "without TLS on a non-local address; anyone on the network path can read "
                   "and replay them",
                   {{"listener", listener}});
  }
  CallLog call_log(&json_log);
  auto metrics = std::make_shared<ServerMetrics>();
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewCallInterceptorFactory({&call_log, metrics.get()}));

  if (!config->restore_from.empty()) {
    auto restored = store::RestoreLatestBackup(config->restore_from, config->data_dir);
    if (!restored.ok()) return Fail(restored.status(), 1);
    json_log.Write(LogLevel::kInfo, "restored backup",
                   {{"backup_id", restored->backup_id},
                    {"from", config->restore_from},
                    {"data", config->data_dir}});
  }
  std::error_code error;
  std::filesystem::create_directories(config->data_dir, error);
  if (error) {
    return Fail(absl::UnavailableError(absl::StrCat("cannot create data folder ",
                                                    config->data_dir, ": ", error.message())),
                1);
  }
  std::unique_ptr<audit::SigningKey> signing_key;
  if (!config->signing_key.empty()) {
    auto key = audit::SigningKey::FromPemFile(config->signing_key);
    if (!key.ok()) return Fail(key.status(), 2);
    signing_key = std::move(*key);
  }
  store::RocksDbEventLogOptions log_options;
  log_options.limits.max_event_bytes = config->max_event_bytes;
  log_options.min_free_bytes = config->min_free_bytes;
  const MemoryBudget budget = MemoryBudgetOf(*config);
  log_options.max_buffered_bytes = budget.append_bytes;
  // Every append path (commands, raw appends, imports) checks review- and voided streams.
  log_options.content_check = review::CheckAppendSchema;
  // Cluster mode (docs/cluster.md): the log in etcd is authoritative, --data is this node's
  // copy. The client outlives the replicator, which outlives the log's use of it.
  std::unique_ptr<cluster::EtcdClient> etcd;
  std::unique_ptr<cluster::EtcdReplicator> replicator;
  if (!config->cluster_etcd.empty()) {
    cluster::EtcdClientOptions etcd_options;
    etcd_options.endpoints = config->cluster_etcd;
    etcd_options.tls_ca_file = config->etcd_tls_ca;
    etcd_options.tls_cert_file = config->etcd_tls_cert;
    etcd_options.tls_key_file = config->etcd_tls_key;
    etcd_options.user = config->etcd_user;
    if (!config->etcd_password_file.empty()) {
      std::ifstream in(config->etcd_password_file);
      std::string password;
      if (!in || !std::getline(in, password)) {
        return Fail(absl::InvalidArgumentError(absl::StrCat(
                        "--etcd-password-file ", config->etcd_password_file,
                        " cannot be read; give a file whose first line is the password")),
                    2);
      }
      etcd_options.password = password;
    }
    auto client = cluster::EtcdClient::Create(etcd_options);
    if (!client.ok()) return Fail(client.status(), 2);
    etcd = *std::move(client);
    replicator = std::make_unique<cluster::EtcdReplicator>(etcd.get());
    log_options.replicator = replicator.get();
  }
  auto log = store::RocksDbEventLog::Open(config->data_dir, log_options);
  if (!log.ok()) {
    return Fail(log.status(), log.status().code() == absl::StatusCode::kDataLoss ? 3 : 1);
  }
  if (replicator) {
    // A copy that is not a prefix of the cluster's log must never serve or write.
    if (absl::Status s = replicator->CheckCopy(**log); !s.ok()) return Fail(s, 1);
    replicator->Start(log->get());
    // Every answer says how far behind this node's copy may be (docs/cluster.md).
    interceptors.push_back(NewClusterHeadsInterceptorFactory(
        {[log = log->get()] { return log->HeadPosition(); },
         [r = replicator.get()] { return r->seen_head(); },
         [r = replicator.get()] { return r->connected(); }}));
    json_log.Write(LogLevel::kInfo, "cluster node",
                   {{"node", config->node_name},
                    {"etcd", absl::StrJoin(config->cluster_etcd, ",")},
                    {"head_position", (*log)->HeadPosition()}});
  }
  if (!config->restore_from.empty()) ReportUnreadableEvents(**log, json_log);
  // Appends from every service go through the metered log (irm_append_* series).
  MeteredEventLog metered_log(log->get(), [&metrics](size_t events, absl::Duration took,
                                                     absl::StatusCode code) {
    metrics->OnAppend(events, took, code);
  });

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
  subscription::LiveFeedOptions feed_options;
  feed_options.handoff_bytes = budget.feed_handoff_bytes;
  feed_options.ring_bytes = budget.feed_ring_bytes;
  subscription::LiveFeed feed(log->get(), feed_options);
  SubscriptionRegistry subscriptions;
  // The business day: the real date, or frozen at --today (tests, demonstrations).
  std::unique_ptr<common::FakeClock> frozen_day;
  const common::Clock* business_clock = common::SystemClock();
  if (!config->today.empty()) {
    absl::CivilDay day;
    absl::ParseCivilTime(config->today, &day);  // checked by ParseServerConfig
    frozen_day = std::make_unique<common::FakeClock>(
        absl::FromCivil(absl::CivilSecond(day) + 12 * 3600, absl::UTCTimeZone()));
    business_clock = frozen_day.get();
  }
  review::ReviewWorkflow workflow(&metered_log, business_clock);
  LogService log_service(&metered_log, &feed, &subscriptions, auth.get(),
                         [&workflow](const std::string& state, int cycle) {
                           return workflow.Load(state, cycle);
                         },
                         replicator ? LogServiceClusterOptions{
                                          [r = replicator.get()] { return r->seen_head(); },
                                          [r = replicator.get()] { return r->connected(); }}
                                    : LogServiceClusterOptions{});
  std::vector<std::unique_ptr<projection::Projection>> projections;
  projections.push_back(std::make_unique<projection::StreamStatsProjection>());
  projections.push_back(std::make_unique<review::ReviewsProjection>(log->get()));
  projections.push_back(std::make_unique<needs::NeedsProjection>(log->get()));
  projections.push_back(std::make_unique<review::IrgProjection>(log->get()));
  projection::ProjectionRunner projection_runner(&feed, (*log)->projection_store(),
                                                 std::move(projections));
  projection_runner.Start();
  AdminService admin_service(&metered_log, &feed, &subscriptions, &projection_runner, auth.get());
  admin_service.SetBackupHandler([&log](const std::string& dir) { return (*log)->Backup(dir); },
                                 [&log] { (*log)->CancelBackups(); });
  ReviewService review_service(log->get(), &workflow, &projection_runner, auth.get());
  // DeadlinePassed events (docs/deadlines.md): a sweep now, at each change of date, on
  // `irm admin check-deadlines`; a review's history after each of its commands.
  review::DeadlineRecorder deadline_recorder(
      &metered_log, &projection_runner, business_clock, [&json_log](const absl::Status& s) {
        json_log.Write(LogLevel::kWarning, "deadline check failed; the next one retries",
                       {{"error", std::string(s.message())}});
      });
  review_service.SetOnRecorded([&deadline_recorder](const std::string& state, int cycle) {
    deadline_recorder.Nudge(state, cycle);
  });
  admin_service.SetDeadlineRecorder(&deadline_recorder);
  deadline_recorder.Start();
  ReportService report_service(log->get(), &projection_runner, auth.get());
  std::unique_ptr<audit::Checkpointer> checkpointer;
  if (signing_key) {
    checkpointer = std::make_unique<audit::Checkpointer>(
        (*log)->audit_store(), signing_key.get(), common::SystemClock(), config->checkpoint_interval);
    checkpointer->Start();
  }
  AuditService audit_service((*log)->audit_store(), checkpointer.get(), auth.get());
  std::unique_ptr<http::HttpServer> http_server;
  std::atomic<const http::HttpServer*> served_http{nullptr};  // for scrapes; set once it serves
  std::unique_ptr<MetricsServer> metrics_server;
  if (!config->metrics_listen.empty()) {
    auto state = std::make_shared<StateCollector>(log->get(), &subscriptions, &projection_runner,
                                                  config->data_dir);
    auto memory = std::make_shared<MemoryCollector>([&log, &feed, &served_http, budget] {
      MemoryUse use;
      const store::BufferedAppends appends = (*log)->buffered_appends();
      use.buffers.push_back({"append_queue", appends.max_bytes, true, appends.bytes,
                             appends.refused});
      const subscription::HandoffUse handoff = feed.handoff();
      use.buffers.push_back({"feed_handoff", handoff.max_bytes, true, handoff.bytes,
                             handoff.dropped});
      use.buffers.push_back({"feed_ring", budget.feed_ring_bytes});
      use.buffers.push_back({"grpc_quota", budget.grpc_quota_bytes});
      if (const http::HttpServer* http = served_http.load(); http != nullptr) {
        use.has_http = true;
        use.http_connections = http->connections().serving.load();
        use.http_connections_limit = http::kMaxConnectionThreads;
        use.http_connections_refused = http->connections().refused.load();
      }
      return use;
    });
    auto served = MetricsServer::Start(config->metrics_listen,
                                       {metrics->registry(), state, memory});
    if (!served.ok()) return Fail(served.status(), 1);
    metrics_server = std::move(*served);
    json_log.Write(LogLevel::kInfo, "metrics listening",
                   {{"address", metrics_server->address()},
                    {"url", absl::StrCat("http://", metrics_server->address(), "/metrics")}});
  }
  auto started = StartGrpcServer(
      config->listen,
      {{api::v1::LogService::service_full_name(), &log_service},
       {api::v1::AdminService::service_full_name(), &admin_service},
       {api::v1::ReviewService::service_full_name(), &review_service},
       {api::v1::ReportService::service_full_name(), &report_service},
       {api::v1::AuditService::service_full_name(), &audit_service}},
      credentials, std::move(interceptors),
      {budget.grpc_quota_bytes, budget.grpc_max_streams_per_connection});
  if (!started.ok()) return Fail(started.status(), 1);
  if (replicator) {
    // Writes need etcd: "irm.cluster.writes" is NOT_SERVING while this node cannot reach it
    // (reads, "" and the API services stay SERVING: they answer from the local copy).
    grpc::HealthCheckServiceInterface* health = started->server->GetHealthCheckService();
    replicator->SetConnectivityListener([health, &json_log](bool connected) {
      health->SetServingStatus("irm.cluster.writes", connected);
      json_log.Write(connected ? LogLevel::kInfo : LogLevel::kWarning,
                     connected ? "etcd reachable: taking appends"
                               : "etcd unreachable: appends answer UNAVAILABLE, reads go on",
                     {});
    });
    health->SetServingStatus("irm.cluster.writes", replicator->connected());
  }
  if (!config->http_listen.empty()) {
    http::HttpDependencies http_deps;
    http_deps.log = log->get();
    http_deps.feed = &feed;
    http_deps.subscriptions = &subscriptions;
    http_deps.projections = &projection_runner;
    http_deps.reviews = &review_service;
    http_deps.reports = &report_service;
    http_deps.auth = auth.get();
    http_deps.workflow = &workflow;
    http_deps.channel = started->server->InProcessChannel(grpc::ChannelArguments());
    if (replicator) {
      // /api/events waits for this node's copy like gRPC's Subscribe (docs/cluster.md).
      http_deps.cluster.seen_head = [r = replicator.get()] { return r->seen_head(); };
      http_deps.cluster.connected = [r = replicator.get()] { return r->connected(); };
    }
    auto http = http::HttpServer::Start(
        config->http_listen, std::move(http_deps),
        {config->http_tls_cert, config->http_tls_key, config->public_dashboard,
         config->http_max_streams, config->http_max_streams_per_client,
         config->http_session_idle});
    if (!http.ok()) {
      return Fail(http.status(), http.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1);
    }
    http_server = *std::move(http);
    served_http.store(http_server.get());
    std::fprintf(stderr, "irmd http listening on %s\n", http_server->address().c_str());
  }
  std::fprintf(stderr, "irmd listening on %s\n", started->address.c_str());
  std::fflush(stderr);
  json_log.Write(LogLevel::kInfo, "serving",
                 {{"address", started->address},
                  {"data", config->data_dir},
                  {"head_position", (*log)->HeadPosition()},
                  {"config", config->config_file},
                  {"log_level", config->log_level}});

  int signal_number = 0;
  for (;;) {
    sigwait(&stop_signals, &signal_number);
    if (signal_number != SIGHUP) break;
    if (auth->open()) {
      json_log.Write(LogLevel::kWarning, "SIGHUP: no --auth file to reload", {});
      continue;
    }
    absl::StatusOr<size_t> reloaded = auth->Reload();
    if (reloaded.ok()) {
      json_log.Write(LogLevel::kInfo, "SIGHUP: auth file reloaded", {{"principals", *reloaded}});
    } else {
      json_log.Write(LogLevel::kError, "SIGHUP: auth file not reloaded, keeping the old one",
                     {{"error", std::string(reloaded.status().message())}});
    }
  }
  json_log.Write(LogLevel::kInfo, "draining in-flight calls",
                 {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
  // NOT_SERVING at once, to Check and to every open Health/Watch; later updates are ignored.
  if (replicator) replicator->SetConnectivityListener(nullptr);
  started->server->GetHealthCheckService()->Shutdown();
  log_service.StartDraining();
  // Rebuilds, replay checks and backups in progress stop after their current chunk and
  // answer UNAVAILABLE; their threads are joined here.
  admin_service.Stop();
  deadline_recorder.Stop();  // answers a pending check-deadlines UNAVAILABLE
  feed.Stop();  // ends live subscriptions with UNAVAILABLE, naming where to resume
  if (http_server) http_server->Stop();  // event streams end; browsers reconnect later
  // Calls already on the wire reach a handler and get UNAVAILABLE, not gRPC's CANCELLED.
  absl::SleepFor(absl::Milliseconds(300));
  // Unary calls finish well within the deadline; what is still open after it (an open
  // Health/Watch, which never ends by itself) is cancelled, so irmd exits within ~2 s.
  started->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  started->server->Wait();
  metrics_server.reset();  // scrapes read the projections and the log
  projection_runner.Stop();
  if (replicator) replicator->Stop();  // the tail writes into the log
  (*log)->Close();
  if (checkpointer) {
    checkpointer->Stop();
    if (auto last = checkpointer->SignNow(); !last.ok()) Fail(last.status(), 1);
  }
  json_log.Write(LogLevel::kInfo, "stopped", {{"head_position", (*log)->HeadPosition()}});
  return 0;
}

}  // namespace
}  // namespace irm::services

int main(int argc, char** argv) { return irm::services::Run(argc, argv); }
