#include "services/http/http_server.h"

#include <sys/socket.h>

#include <algorithm>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/codec/event_json.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "httplib.h"
#include "services/http/connection_threads.h"
#include "services/http/dashboard_page.h"
#include "services/http/http_status.h"
#include "services/http/login_page.h"
#include "services/http/sse_session.h"

namespace irm::services::http {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kRetryAfterSeconds = 5;
constexpr uint64_t kCheckpointInterval = 1000;
constexpr int kListenBacklog = 1024;

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(codec::DumpCompact(body) + "\n", "application/json; charset=utf-8");
}

// The refusal as ErrorBody (http_status.h) says, with Retry-After when the status holds a
// retry delay and WWW-Authenticate on 401.
void SendError(httplib::Response& res, const absl::Status& status) {
  const int http_status = HttpStatusOf(status.code());
  if (http_status == 401) res.set_header("WWW-Authenticate", "Bearer");
  if (std::optional<int> seconds = RetryAfterSeconds(status)) {
    res.set_header("Retry-After", std::to_string(*seconds));
  }
  SendJson(res, http_status, ErrorBody(status));
}

void Send(httplib::Response& res, const absl::StatusOr<Json>& answer) {
  if (answer.ok()) {
    SendJson(res, 200, *answer);
  } else {
    SendError(res, answer.status());
  }
}

// "Bearer TOKEN" -> the header as is; the access layer judges it.
std::string Authorization(const httplib::Request& req) {
  return req.get_header_value("Authorization");
}

std::string Cookie(const httplib::Request& req) { return req.get_header_value("Cookie"); }

// Routes anyone may ask for, even when --auth requires a token for everything else.
bool OpenToAnyone(const std::string& path) {
  return path == "/healthz" || path == "/login" || path == "/logout" || path == "/login.css" ||
         path == "/console.css" || path == "/console.js" || path == "/favicon.ico";
}

void SendLoginPage(httplib::Response& res, int status, absl::string_view problem) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Security-Policy", LoginContentSecurityPolicy());
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_content(LoginPage(problem), "text/html; charset=utf-8");
}

void RedirectTo(httplib::Response& res, const std::string& location) {
  res.status = 303;
  res.set_header("Location", location);
  res.set_header("Cache-Control", "no-store");
}

// HOST:PORT -> host (brackets of an IPv6 literal removed) and port.
absl::Status SplitHostPort(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http '", listen, "' is not HOST:PORT; e.g. 127.0.0.1:8080"));
  }
  *host = listen.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return absl::OkStatus();
}

}  // namespace

HttpServer::HttpServer(HttpDependencies deps, HttpOptions options,
                       std::unique_ptr<httplib::Server> server)
    : deps_(deps),
      options_(std::move(options)),
      sessions_(ConsoleSessionOptions{options_.session_idle}),
      access_(deps.auth, deps.workflow, options_.public_dashboard, &sessions_),
      commands_(deps.channel ? std::make_unique<ConsoleCommands>(deps.channel) : nullptr),
      audit_(deps.channel ? std::make_unique<ConsoleAudit>(deps.channel) : nullptr),
      console_(&access_, &sessions_, commands_.get(), audit_.get(), !options_.tls_cert.empty()),
      queries_(deps.log, deps.reviews, deps.reports),
      streams_(std::min(options_.max_streams, kMaxStreamsCeiling), options_.max_streams_per_client),
      server_(std::move(server)) {}

HttpServer::~HttpServer() { Stop(); }

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& listen,
                                                              HttpDependencies deps,
                                                              HttpOptions options) {
  std::string host;
  int port = 0;
  if (absl::Status s = SplitHostPort(listen, &host, &port); !s.ok()) return s;
  std::unique_ptr<httplib::Server> transport;
  if (options.tls_cert.empty()) {
    transport = std::make_unique<httplib::Server>();
  } else {
    auto tls = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(),
                                                    options.tls_key.c_str());
    if (!tls->is_valid()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cannot serve HTTPS with --http-tls-cert ", common::Quote(options.tls_cert),
          " and --http-tls-key ", common::Quote(options.tls_key),
          ": a file is missing, unreadable, not PEM, or the key does not match the "
          "certificate"));
    }
    transport = std::move(tls);
  }
  std::unique_ptr<HttpServer> server(new HttpServer(deps, options, std::move(transport)));
  server->Route();
  httplib::Server& http = *server->server_;
  http.new_task_queue = [stats = server->connections_] {
    return new ConnectionThreads(kMaxConnectionThreads, kRefusalThreads, stats);
  };
  http.set_write_timeout(30, 0);
  http.set_read_timeout(30, 0);
  http.set_keep_alive_timeout(5);  // bounds how long Stop() waits for idle connections
  // cpp-httplib 0.11 listens with a backlog of 5, so a burst of connections (hundreds of
  // browsers reconnecting their event streams at once) would see dropped SYNs and seconds of
  // retries. Remember the listening socket and widen its backlog once it listens.
  auto listen_socket = std::make_shared<int>(-1);
  http.set_socket_options([listen_socket](socket_t sock) {
    httplib::default_socket_options(sock);
    *listen_socket = sock;
  });
  int bound = port;
  if (port == 0) {
    bound = http.bind_to_any_port(host);
  } else if (!http.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen for HTTP on ", listen, ": the address is in use or not available here"));
  }
  if (*listen_socket >= 0) ::listen(*listen_socket, kListenBacklog);
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  server->address_ = absl::StrCat(shown_host, ":", bound);
  server->thread_ = std::thread([&http] { http.listen_after_bind(); });
  return server;
}

void HttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void HttpServer::RouteSignIn() {
  httplib::Server& http = *server_;
  const bool secure = !options_.tls_cert.empty();
  // With --auth (and no --public-dashboard), nothing but the open routes without a token.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (ConnectionThreads::Refusing()) {
      // Every connection thread is busy: refuse rather than queue (connection_threads.h).
      res.set_header("Connection", "close");
      SendError(res, common::WithRetryDelay(
                         absl::UnavailableError(absl::StrCat(
                             "irmd is serving its most HTTP connections (", kMaxConnectionThreads,
                             ") already; retry after ", kRetryAfterSeconds, " s")),
                         absl::Seconds(kRetryAfterSeconds)));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!access_.SignInRequired() || OpenToAnyone(req.path)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    // A console POST without a session is the console's to refuse: 403, never a redirect.
    if (req.method == "POST" && absl::StartsWith(req.path, "/console/")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    absl::StatusOr<Viewer> viewer = access_.ViewerOf(Authorization(req), Cookie(req));
    if (viewer.ok()) return httplib::Server::HandlerResponse::Unhandled;
    if (req.path == "/api" || absl::StartsWith(req.path, "/api/")) {
      SendError(res, viewer.status());
    } else {
      RedirectTo(res, "/login");
    }
    return httplib::Server::HandlerResponse::Handled;
  });
  http.Get("/login.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(LoginStyle(), "text/css; charset=utf-8");
  });
  http.Get("/login", [this](const httplib::Request&, httplib::Response& res) {
    if (!access_.ChecksTokens()) return RedirectTo(res, "/work");  // nothing to sign in to
    SendLoginPage(res, 200, "");
  });
  http.Post("/login", [this, secure](const httplib::Request& req, httplib::Response& res) {
    if (!access_.ChecksTokens()) return RedirectTo(res, "/work");
    // The token comes in the form's body only: a URL ends up in logs and browser history.
    if (req.target.find('?') != std::string::npos) {
      return SendLoginPage(res, 400,
                           "Sign in with the form: a token never goes in the address.");
    }
    const std::string token = req.get_param_value("token");
    if (token.empty()) return SendLoginPage(res, 400, "Type your token, then sign in.");
    absl::StatusOr<access::Principal> principal = access_.SignIn(token);
    if (!principal.ok()) {
      return SendLoginPage(res, 401, "That token is not known to this irmd. Check it and try again.");
    }
    // The browser gets only the session's random id; the token stays on the server.
    const ConsoleSession session = sessions_.Create(*principal, token);
    res.set_header("Set-Cookie",
                   SessionCookie(session.id, absl::ToInt64Seconds(sessions_.options().lifetime),
                                 secure));
    RedirectTo(res, "/work");
  });
  auto sign_out = [this, secure](const httplib::Request& req, httplib::Response& res) {
    sessions_.End(SessionIdOf(Cookie(req)));
    res.set_header("Set-Cookie", ClearedSessionCookie(secure));
    RedirectTo(res, access_.ChecksTokens() ? "/login" : "/");
  };
  http.Get("/logout", sign_out);
  http.Post("/logout", sign_out);
}

void HttpServer::Route() {
  RouteSignIn();
  httplib::Server& http = *server_;
  console_.Install(http);
  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_header("Content-Security-Policy", DashboardContentSecurityPolicy());
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(DashboardPage(), "text/html; charset=utf-8");
  });
  http.Get("/favicon.ico", [](const httplib::Request&, httplib::Response& res) {
    res.status = 204;  // no icon; answered so browsers do not log a 404
  });
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  http.Get("/api/reviews", [this](const httplib::Request& req, httplib::Response& res) {
    absl::StatusOr<Viewer> viewer = access_.ViewerOf(Authorization(req), Cookie(req));
    if (!viewer.ok()) return SendError(res, viewer.status());
    absl::StatusOr<QueryParams> params = QueryParams::Check(
        req, "/api/reviews", {"cycle", "stage", "region", "year", "state", "overdue", "as_of"});
    if (!params.ok()) return SendError(res, params.status());
    Send(res, queries_.Reviews(*params, *viewer));
  });
  http.Get(R"(/api/reviews/([^/]+)/([^/]+))",
           [this](const httplib::Request& req, httplib::Response& res) {
             absl::StatusOr<Viewer> viewer = access_.ViewerOf(Authorization(req), Cookie(req));
             if (!viewer.ok()) return SendError(res, viewer.status());
             absl::StatusOr<QueryParams> params =
                 QueryParams::Check(req, "/api/reviews/{STATE}/{CYCLE}", {"as_of"});
             if (!params.ok()) return SendError(res, params.status());
             Send(res, queries_.Review(req.matches[1], req.matches[2], *params, *viewer));
           });
  http.Get("/api/needs", [this](const httplib::Request& req, httplib::Response& res) {
    absl::StatusOr<Viewer> viewer = access_.ViewerOf(Authorization(req), Cookie(req));
    if (!viewer.ok()) return SendError(res, viewer.status());
    absl::StatusOr<QueryParams> params = QueryParams::Check(
        req, "/api/needs", {"cycle", "by", "chapter", "as_of", "compare"});
    if (!params.ok()) return SendError(res, params.status());
    Send(res, queries_.Needs(*params, *viewer));
  });
  http.Get("/api/outcomes", [this](const httplib::Request& req, httplib::Response& res) {
    absl::StatusOr<Viewer> viewer = access_.ViewerOf(Authorization(req), Cookie(req));
    if (!viewer.ok()) return SendError(res, viewer.status());
    absl::StatusOr<QueryParams> params = QueryParams::Check(
        req, "/api/outcomes", {"cycle", "kind", "by", "as_of", "compare"});
    if (!params.ok()) return SendError(res, params.status());
    Send(res, queries_.Outcomes(*params, *viewer));
  });
  http.Get("/api/events", [this](const httplib::Request& req, httplib::Response& res) {
    ServeEvents(req, res);
  });
  http.Get(".*", [](const httplib::Request& req, httplib::Response& res) {
    SendError(res, absl::NotFoundError(absl::StrCat(
                       "no page ", req.path,
                       "; irmd serves /, /work, /reviews, /reviews/{STATE}/{CYCLE}, /audit, "
                       "/api/reviews, /api/reviews/{STATE}/{CYCLE}, /api/needs, /api/outcomes "
                       "and /api/events")));
  });
  auto read_only = [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Allow", "GET");
    SendJson(res, 405,
             {{"error",
               {{"code", "UNIMPLEMENTED"},
                {"status", 405},
                {"message", absl::StrCat(req.method, " ", req.path,
                                         ": not a route that changes anything; the console "
                                         "records steps with POST /console/reviews/{STATE}/"
                                         "{CYCLE}/{COMMAND}, irm over gRPC does the rest")}}}});
  };
  http.Post(".*", read_only);
  http.Put(".*", read_only);
  http.Patch(".*", read_only);
  http.Delete(".*", read_only);
}

void HttpServer::ServeEvents(const httplib::Request& req, httplib::Response& res) {
  absl::StatusOr<Viewer> viewer = access_.ViewerOf(Authorization(req), Cookie(req));
  if (!viewer.ok()) return SendError(res, viewer.status());
  absl::StatusOr<QueryParams> params = QueryParams::Check(
      req, "/api/events", {"from", "stream_prefix", "type", "heartbeat"}, {"type"});
  if (!params.ok()) return SendError(res, params.status());
  // Where to start: Last-Event-ID (a reconnect) wins over ?from=, which defaults to the end.
  uint64_t from = deps_.feed->acknowledged_head() + 1;
  const std::string last_event_id = req.get_header_value("Last-Event-ID");
  const std::string from_text = params->Get("from");
  if (!last_event_id.empty()) {
    uint64_t last = 0;
    if (!absl::SimpleAtoi(last_event_id, &last)) {
      return SendError(res, absl::InvalidArgumentError(absl::StrCat(
                                "Last-Event-ID ", common::Quote(last_event_id),
                                " is not a log position; it is the id: of an event sent")));
    }
    from = last + 1;
  } else if (from_text == "start") {
    from = 1;
  } else if (!from_text.empty() && from_text != "end") {
    absl::StatusOr<uint64_t> position = params->Number("from", 0);
    if (!position.ok()) {
      return SendError(res, absl::InvalidArgumentError(absl::StrCat(
                                "from ", common::Quote(from_text),
                                " is not start, end or a log position (e.g. from=42)")));
    }
    from = std::max<uint64_t>(*position, 1);
  }
  const bool cluster = static_cast<bool>(deps_.cluster.seen_head);
  if (cluster) {
    // Cluster mode: a position from a node further ahead is waited for (the session below);
    // only one past the shared log's head as last seen in etcd is refused, and only while
    // this node reaches etcd (cut off, its last view may be stale). As gRPC's Subscribe.
    const uint64_t local = deps_.log->HeadPosition();
    const uint64_t shared = std::max(deps_.cluster.seen_head(), local);
    if (from > shared + 1 && (!deps_.cluster.connected || deps_.cluster.connected())) {
      const std::string asked = !last_event_id.empty()
                                    ? absl::StrCat("Last-Event-ID ", last_event_id)
                                    : absl::StrCat("from=", from_text);
      return SendError(
          res, common::WithReason(
                   absl::OutOfRangeError(absl::StrCat(
                       asked, " starts at position ", from, ", beyond the cluster's head ",
                       shared, " (as this node last saw it in etcd; its own copy is at ", local,
                       "); start from at most ", shared + 1,
                       " (the next event to be appended, Last-Event-ID ", shared,
                       "), or from=end")),
                   "BEYOND_CLUSTER_HEAD",
                   {{"start", absl::StrCat(from)},
                    {"cluster_head", absl::StrCat(shared)},
                    {"local_head", absl::StrCat(local)}}));
    }
  }
  absl::StatusOr<uint64_t> heartbeat = params->Number("heartbeat", 15);
  if (!heartbeat.ok() || *heartbeat < 1 || *heartbeat > 300) {
    return SendError(res, absl::InvalidArgumentError(
                              "heartbeat must be a number of seconds from 1 to 300"));
  }
  absl::StatusOr<subscription::EventFilter> filter = subscription::EventFilter::Create(
      "", params->Get("stream_prefix"), params->All("type"));
  if (!filter.ok()) return SendError(res, filter.status());
  // A place among the capped streams, held for the stream's life (by the content provider).
  absl::StatusOr<std::unique_ptr<StreamSlots::Slot>> slot = streams_.Acquire(req.remote_addr);
  if (!slot.ok()) {
    res.set_header("Connection", "close");
    return SendError(res, common::WithRetryDelay(slot.status(), absl::Seconds(kRetryAfterSeconds)));
  }
  std::shared_ptr<StreamSlots::Slot> held = *std::move(slot);
  std::string description = absl::StrCat("http events as ", viewer->label());
  if (!params->Get("stream_prefix").empty()) {
    absl::StrAppend(&description, " stream_prefix=", params->Get("stream_prefix"));
  }
  if (!params->All("type").empty()) {
    absl::StrAppend(&description, " types=", absl::StrJoin(params->All("type"), ","));
  }
  SseSession::Options options;
  options.heartbeat = absl::Seconds(*heartbeat);
  if (cluster) {
    options.start_wait = deps_.cluster.start_wait;
    options.cluster_head = deps_.cluster.seen_head;
  }
  auto session = std::make_shared<SseSession>(
      deps_.feed, deps_.subscriptions, access_.EventView(*viewer), viewer->label(),
      subscription::SubscriptionCursor(deps_.feed, *std::move(filter), from, kCheckpointInterval,
                                       /*wait_for_start=*/cluster),
      std::move(description), &stopping_, options);
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [session, held](size_t /*offset*/, httplib::DataSink& sink) { return session->Pump(sink); });
}

}  // namespace irm::services::http
