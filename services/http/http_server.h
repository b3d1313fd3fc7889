// HttpServer: irmd's HTTP side (`irmd --http HOST:PORT`), beside gRPC.
//
//   GET /                                the live dashboard (dashboard_page.h), one page
//   GET /work, /reviews/{STATE}/{CYCLE}, POST /console/...   the console
//                                        (console/console_routes.h, docs/console.md)
//   GET /api/reviews, /api/reviews/{STATE}/{CYCLE}, /api/needs   JSON (json_queries.h)
//   GET /api/events                      Server-Sent Events (sse_session.h)
//   GET /healthz                         "ok"
//   GET /login, POST /login, GET|POST /logout, GET /login.css   signing in (login_page.h):
//                                        POST /login starts a console session
//                                        (console/console_sessions.h), /logout ends it
//
// Anything else is 404, other methods 405; errors are JSON:
//   {"error":{"code":"INVALID_ARGUMENT","status":400,"message":"cycle '3' is not ..."}}
// With HttpOptions::tls_cert it serves HTTPS only (cpp-httplib's SSLServer on OpenSSL).
// Who may ask (http_access.h): with --auth, every route but /healthz, /login, /logout and
// /login.css (and the console's /console.js, /console.css) needs a token (header or
// signed-in session) unless --public-dashboard; without one /api/* answers 401, POSTs under
// /console/ 403 and pages redirect (303) to /login. Without a token and without
// --auth, or with --public-dashboard, a request gets the observer view. Connections each get a
// thread (connection_threads.h; past kMaxConnectionThreads a connection is answered 503 with
// Retry-After, never queued), so hundreds of open event streams are fine; event streams
// are capped in total and per client address (stream_slots.h) below the thread cap, idle
// keep-alive connections close after 5 s, so /healthz keeps answering under any number of
// stream requests.
//
// Thread-safe. Start() serves on its own thread until Stop(); the dependencies must outlive
// the server.
#ifndef IRM_SERVICES_HTTP_HTTP_SERVER_H_
#define IRM_SERVICES_HTTP_HTTP_SERVER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/log/event_log.h"
#include "engine/projection/projection_runner.h"
#include "engine/subscription/live_feed.h"
#include "grpcpp/channel.h"
#include "services/http/connection_stats.h"
#include "services/http/console/console_audit.h"
#include "services/http/console/console_commands.h"
#include "services/http/console/console_routes.h"
#include "services/http/console/console_sessions.h"
#include "services/http/http_access.h"
#include "services/http/json_queries.h"
#include "services/http/stream_slots.h"
#include "services/report/report_service.h"
#include "services/review/review_service.h"
#include "services/server/subscription_registry.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace irm::services::http {

// Cluster mode (docs/cluster.md, "Subscriptions that move between nodes"): how /api/events
// judges a start past this node's copy, as gRPC's Subscribe does (LogServiceClusterOptions).
// `seen_head` gives the shared log's head as this node last saw it in etcd
// (EtcdReplicator::seen_head), `connected` whether its last exchange with etcd succeeded. A
// start up to that head + 1 but past the copy waits for the copy (at most `start_wait`, with
// heartbeats, then an `error` event UNAVAILABLE); a start past it is refused with 400
// OUT_OF_RANGE while the node is connected, and waited for like the others while it is not.
// Without `seen_head` (single-node mode) none of this applies.
struct HttpClusterView {
  std::function<uint64_t()> seen_head;
  std::function<bool()> connected;
  absl::Duration start_wait = absl::Seconds(30);
};

struct HttpDependencies {
  log::EventLog* log = nullptr;
  subscription::LiveFeed* feed = nullptr;
  SubscriptionRegistry* subscriptions = nullptr;
  projection::ProjectionRunner* projections = nullptr;
  ReviewService* reviews = nullptr;
  ReportService* reports = nullptr;
  const Authenticator* auth = nullptr;          // the same as gRPC's (--auth, or open)
  const review::ReviewWorkflow* workflow = nullptr;
  // A channel to this irmd's own gRPC services (grpc::Server::InProcessChannel), through
  // which the console reads and records steps as the signed-in principal. Null: the
  // console's pages and commands answer 503.
  std::shared_ptr<grpc::Channel> channel;
  HttpClusterView cluster;  // empty in single-node mode
};

struct HttpOptions {
  // PEM certificate chain and key (--http-tls-cert/--http-tls-key): serve HTTPS. Both or
  // neither.
  std::string tls_cert;
  std::string tls_key;
  // --public-dashboard: with --auth, requests without a token get the observer view.
  bool public_dashboard = false;
  // Concurrent /api/events streams: in total and per client address. Beyond either, 503
  // with Retry-After and the connection closed. max_streams is at most
  // kMaxStreamsCeiling, so connection threads stay free for /healthz and the JSON routes.
  size_t max_streams = 1000;
  size_t max_streams_per_client = 64;
  // --http-session-idle: a console session ends after this long without a request.
  absl::Duration session_idle = absl::Minutes(30);
};

// The connection threads of the HTTP side, and how many of them event streams may take.
inline constexpr size_t kMaxConnectionThreads = 2048;
inline constexpr size_t kMaxStreamsCeiling = kMaxConnectionThreads - 256;
// Connections beyond kMaxConnectionThreads run on at most this many more threads, which
// answer 503 with Retry-After; beyond those, new connections wait in the listen backlog.
inline constexpr size_t kRefusalThreads = 16;

class HttpServer {
 public:
  // Listens on `listen` (HOST:PORT; port 0 picks one). Unavailable if it cannot;
  // InvalidArgument if the TLS files do not load.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const std::string& listen,
                                                           HttpDependencies deps,
                                                           HttpOptions options = {});
  ~HttpServer();

  // "HOST:PORT" with the real port.
  const std::string& address() const { return address_; }

  // The connection threads' counts (connection_threads.h), for metrics.
  const ConnectionStats& connections() const { return *connections_; }

  // Ends open event streams, stops listening and waits for open connections. Idempotent.
  void Stop();

 private:
  HttpServer(HttpDependencies deps, HttpOptions options, std::unique_ptr<httplib::Server> server);
  void Route();
  void RouteSignIn();
  void ServeEvents(const httplib::Request& req, httplib::Response& res);

  const HttpDependencies deps_;
  const HttpOptions options_;
  ConsoleSessions sessions_;
  HttpAccess access_;
  std::unique_ptr<ConsoleCommands> commands_;
  std::unique_ptr<ConsoleAudit> audit_;
  ConsoleRoutes console_;
  JsonQueries queries_;
  StreamSlots streams_;
  const std::shared_ptr<ConnectionStats> connections_ = std::make_shared<ConnectionStats>();
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> stopping_{false};
  std::string address_;
  std::thread thread_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_HTTP_SERVER_H_
