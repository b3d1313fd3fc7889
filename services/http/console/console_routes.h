// ConsoleRoutes: the console's routes on irmd's HTTP side (docs/console.md).
//
//   GET  /work                              My work (console_pages.h)
//   GET  /reviews/{STATE}/{CYCLE}[?as_of=]  a review page
//   POST /console/reviews/{STATE}/{CYCLE}/{COMMAND}   a step, form-encoded fields named as
//        the CLI's flags, plus `csrf`. Answers JSON to `Accept: application/json` (the
//        page's script): 200 {"ok":true,"stage":..,"event_type":..,"position":..,"message":..}
//        or the error object of every /api/ route; otherwise a 303 back to the review page, or
//        the page again with the refusal in role=alert and the refusal's status.
//   GET  /reviews?cycle=&stage=&region=&year=&state=&overdue=1&as_of=   search and filter
//   POST /console/lots/draw-years, /console/lots/draw   the secretariat's draws (fields of
//        `irm lots draw-years` / `irm lots draw`); answered like a step, the seed in the message
//   GET  /draws/{STATE}/{CYCLE}             a review's draws: seeds and candidate lists
//   GET  /audit                             the latest signed checkpoint, its verification
//   GET  /console.js, /console.css          the pages' script and style
// Reads and commands go through ConsoleCommands (irmd's own gRPC services, as the viewer).
// A POST needs a live session and its CSRF token (403 otherwise, nothing appended); pages
// need a signed-in session or a bearer token under --auth (else 303 to /login). Without
// --auth a page visit without a session starts one (for its CSRF token), acting as the
// development principal.
//
// Thread-safe; the pointers must outlive it.
#ifndef IRM_SERVICES_HTTP_CONSOLE_CONSOLE_ROUTES_H_
#define IRM_SERVICES_HTTP_CONSOLE_CONSOLE_ROUTES_H_

#include <optional>
#include <string>

#include "services/http/console/console_audit.h"
#include "services/http/console/console_commands.h"
#include "services/http/console/console_pages.h"
#include "services/http/console/console_sessions.h"
#include "services/http/http_access.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace irm::services::http {

class ConsoleRoutes {
 public:
  // `commands` may be null (no in-process channel): pages and commands answer 503.
  // `audit` may be null like `commands`.
  ConsoleRoutes(const HttpAccess* access, ConsoleSessions* sessions,
                const ConsoleCommands* commands, const ConsoleAudit* audit, bool secure)
      : access_(access), sessions_(sessions), commands_(commands), audit_(audit),
        secure_(secure) {}

  // Adds the routes; call before any catch-all route.
  void Install(httplib::Server& server) const;

 private:
  // The viewer of a page, starting an open server's session if needed; nullopt when the
  // response is already made (a redirect to /login or an error).
  std::optional<Viewer> PageViewer(const httplib::Request& req, httplib::Response& res) const;
  PageContext ContextOf(const Viewer& viewer) const;
  void ServeWork(const httplib::Request& req, httplib::Response& res) const;
  void ServeReview(const httplib::Request& req, httplib::Response& res) const;
  void ServeDraws(const httplib::Request& req, httplib::Response& res) const;
  void ServeCommand(const httplib::Request& req, httplib::Response& res) const;
  void ServeReviews(const httplib::Request& req, httplib::Response& res) const;
  void ServeDraw(const httplib::Request& req, httplib::Response& res) const;
  // The viewer of a POST if it carries a live session and its CSRF token; otherwise answers
  // 403 and returns nullopt.
  std::optional<Viewer> PostViewer(const httplib::Request& req, httplib::Response& res) const;
  // The reviews page for `viewer` with `context`, answered with `status`.
  void SendReviews(httplib::Response& res, int status, const Viewer& viewer,
                   const PageContext& context, const httplib::Request& req) const;
  // The review page with `context` (its alert), answered with `status`.
  void SendReview(httplib::Response& res, int status, const Viewer& viewer, PageContext context,
                  const std::string& state, int cycle, const std::string& as_of) const;

  const HttpAccess* const access_;
  ConsoleSessions* const sessions_;
  const ConsoleCommands* const commands_;
  const ConsoleAudit* const audit_;
  const bool secure_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONSOLE_CONSOLE_ROUTES_H_
