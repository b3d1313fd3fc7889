#include "services/http/console/console_routes.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "services/http/http_status.h"
#include "services/http/login_page.h"

namespace irm::services::http {
namespace {

using Json = nlohmann::ordered_json;

void Secure(httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "same-origin");
}

void SendHtml(httplib::Response& res, int status, const std::string& page) {
  Secure(res);
  res.status = status;
  res.set_header("Content-Security-Policy", ConsoleContentSecurityPolicy());
  res.set_content(page, "text/html; charset=utf-8");
}

void SendJson(httplib::Response& res, int status, const Json& body) {
  Secure(res);
  res.status = status;
  res.set_content(body.dump() + "\n", "application/json; charset=utf-8");
}

Json ErrorJson(const absl::Status& status) {
  const int http = HttpStatusOf(status.code());
  return {{"error",
           {{"code", absl::StatusCodeToString(status.code())},
            {"status", http},
            {"message", std::string(status.message())}}}};
}

bool WantsJson(const httplib::Request& req) {
  return absl::StrContains(req.get_header_value("Accept"), "application/json");
}

absl::StatusOr<int> CycleOf(const std::string& text) {
  int cycle = 0;
  if (!absl::SimpleAtoi(text, &cycle) || (cycle != 1 && cycle != 2)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cycle '", text, "' is not a review cycle: use 1 or 2"));
  }
  return cycle;
}

absl::Status Unavailable() {
  return absl::UnavailableError("the console is not connected to irmd's services");
}

}  // namespace

void ConsoleRoutes::Install(httplib::Server& http) const {
  http.Get("/console.js", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(ConsoleScript(), "text/javascript; charset=utf-8");
  });
  http.Get("/console.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(ConsoleStyle(), "text/css; charset=utf-8");
  });
  http.Get("/work", [this](const httplib::Request& req, httplib::Response& res) {
    ServeWork(req, res);
  });
  http.Get("/audit", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<Viewer> viewer = PageViewer(req, res);
    if (!viewer.has_value()) return;
    PageContext context = ContextOf(*viewer);
    if (audit_ == nullptr) {
      context.alert = std::string(Unavailable().message());
      return SendHtml(res, 503, MessagePage(context, "Console unavailable"));
    }
    SendHtml(res, 200, AuditPage(context, audit_->Latest(viewer->authorization)));
  });
  http.Get("/reviews", [this](const httplib::Request& req, httplib::Response& res) {
    ServeReviews(req, res);
  });
  http.Post(R"(/console/lots/(draw|draw-years))",
            [this](const httplib::Request& req, httplib::Response& res) { ServeDraw(req, res); });
  http.Get(R"(/draws/([^/]+)/([^/]+))",
           [this](const httplib::Request& req, httplib::Response& res) { ServeDraws(req, res); });
  http.Get(R"(/reviews/([^/]+)/([^/]+))",
           [this](const httplib::Request& req, httplib::Response& res) { ServeReview(req, res); });
  http.Post(R"(/console/reviews/([^/]+)/([^/]+)/([^/]+))",
            [this](const httplib::Request& req, httplib::Response& res) {
              ServeCommand(req, res);
            });
}

std::optional<Viewer> ConsoleRoutes::PageViewer(const httplib::Request& req,
                                                httplib::Response& res) const {
  absl::StatusOr<Viewer> viewer = access_->ConsoleViewerOf(req.get_header_value("Authorization"),
                                                           req.get_header_value("Cookie"));
  if (!viewer.ok()) {
    if (access_->ChecksTokens() && req.get_header_value("Authorization").empty()) {
      res.status = 303;
      res.set_header("Location", "/login");
      res.set_header("Cache-Control", "no-store");
    } else {
      SendJson(res, HttpStatusOf(viewer.status().code()), ErrorJson(viewer.status()));
    }
    return std::nullopt;
  }
  if (!access_->ChecksTokens() && !viewer->session.has_value()) {
    // The open server: a session only to carry the CSRF token of its forms.
    viewer->session = sessions_->Create(viewer->principal, "");
    res.set_header("Set-Cookie",
                   SessionCookie(viewer->session->id,
                                 absl::ToInt64Seconds(sessions_->options().lifetime), secure_));
  }
  return *std::move(viewer);
}

PageContext ConsoleRoutes::ContextOf(const Viewer& viewer) const {
  PageContext context;
  context.principal = viewer.principal;
  context.csrf = viewer.session.has_value() ? viewer.session->csrf : "";
  context.signed_in = viewer.session.has_value() && access_->ChecksTokens();
  return context;
}

void ConsoleRoutes::ServeWork(const httplib::Request& req, httplib::Response& res) const {
  std::optional<Viewer> viewer = PageViewer(req, res);
  if (!viewer.has_value()) return;
  PageContext context = ContextOf(*viewer);
  if (commands_ == nullptr) {
    context.alert = std::string(Unavailable().message());
    return SendHtml(res, 503, MessagePage(context, "Console unavailable"));
  }
  absl::StatusOr<api::v1::ListReviewsResponse> list =
      commands_->List(viewer->authorization, api::v1::ListReviewsRequest());
  if (!list.ok()) {
    context.alert = std::string(list.status().message());
    context.alert_is_error = true;
    return SendHtml(res, HttpStatusOf(list.status().code()), MessagePage(context, "My work"));
  }
  std::vector<api::v1::ReviewStatus> reviews(list->reviews().begin(), list->reviews().end());
  SendHtml(res, 200, MyWorkPage(context, reviews));
}

void ConsoleRoutes::ServeReview(const httplib::Request& req, httplib::Response& res) const {
  std::optional<Viewer> viewer = PageViewer(req, res);
  if (!viewer.has_value()) return;
  PageContext context = ContextOf(*viewer);
  absl::StatusOr<int> cycle = CycleOf(req.matches[2]);
  if (!cycle.ok()) {
    context.alert = std::string(cycle.status().message());
    context.alert_is_error = true;
    return SendHtml(res, 400, MessagePage(context, "No such review"));
  }
  SendReview(res, 200, *viewer, std::move(context), req.matches[1], *cycle,
             req.get_param_value("as_of"));
}

void ConsoleRoutes::ServeDraws(const httplib::Request& req, httplib::Response& res) const {
  std::optional<Viewer> viewer = PageViewer(req, res);
  if (!viewer.has_value()) return;
  PageContext context = ContextOf(*viewer);
  const std::string state = req.matches[1];
  absl::StatusOr<int> cycle = CycleOf(req.matches[2]);
  absl::StatusOr<std::vector<event::v1::EventRecord>> events = absl::UnknownError("not run");
  if (!cycle.ok()) {
    events = cycle.status();
  } else if (commands_ == nullptr) {
    events = Unavailable();
  } else {
    // A review's stream holds a few dozen events; the bound keeps a page's read small.
    events = commands_->ReadStream(viewer->authorization,
                                   absl::StrCat("review-", state, "-", *cycle), 10000);
  }
  if (!events.ok()) {
    context.alert = std::string(events.status().message());
    context.alert_is_error = true;
    return SendHtml(res, HttpStatusOf(events.status().code()),
                    MessagePage(context, absl::StrCat("Draws for ", state)));
  }
  SendHtml(res, 200, DrawsPage(context, state, *cycle, *events));
}

void ConsoleRoutes::SendReview(httplib::Response& res, int status, const Viewer& viewer,
                               PageContext context, const std::string& state, int cycle,
                               const std::string& as_of) const {
  if (commands_ == nullptr) {
    context.alert = std::string(Unavailable().message());
    return SendHtml(res, 503, MessagePage(context, "Console unavailable"));
  }
  absl::StatusOr<api::v1::ReviewHistory> history =
      commands_->History(viewer.authorization, state, cycle, as_of);
  if (!history.ok()) {
    if (!context.alert.empty()) absl::StrAppend(&context.alert, " ");
    absl::StrAppend(&context.alert, history.status().message());
    context.alert_is_error = true;
    const int code = HttpStatusOf(history.status().code());
    return SendHtml(res, status == 200 ? code : status,
                    MessagePage(context, absl::StrCat("Review of ", state, ", cycle ", cycle)));
  }
  SendHtml(res, status, ReviewPage(context, *history, as_of));
}

std::optional<Viewer> ConsoleRoutes::PostViewer(const httplib::Request& req,
                                                httplib::Response& res) const {
  absl::StatusOr<Viewer> viewer = access_->ConsoleViewerOf(req.get_header_value("Authorization"),
                                                           req.get_header_value("Cookie"));
  const std::string csrf = req.get_param_value("csrf");
  absl::Status refusal;
  if (!viewer.ok() || !viewer->session.has_value() || csrf.empty() ||
      !SameSecret(csrf, viewer->session->csrf)) {
    refusal = absl::PermissionDeniedError(
        "a change needs a signed-in session and the CSRF token of its page: sign in at /login "
        "and submit the form from the console's page");
  } else if (req.target.find('?') != std::string::npos) {
    refusal = absl::InvalidArgumentError(
        "a step's fields go in the form-encoded body, never in the address");
  }
  if (!refusal.ok()) {
    SendJson(res, HttpStatusOf(refusal.code()), ErrorJson(refusal));
    return std::nullopt;
  }
  return *std::move(viewer);
}

void ConsoleRoutes::ServeReviews(const httplib::Request& req, httplib::Response& res) const {
  std::optional<Viewer> viewer = PageViewer(req, res);
  if (!viewer.has_value()) return;
  SendReviews(res, 200, *viewer, ContextOf(*viewer), req);
}

void ConsoleRoutes::SendReviews(httplib::Response& res, int status, const Viewer& viewer,
                                const PageContext& context_in,
                                const httplib::Request& req) const {
  PageContext context = context_in;
  ReviewFilters filters;
  // A draw's POST carries no filters: its answer lists every review.
  if (req.method == "GET") {
    filters = {req.get_param_value("cycle"), req.get_param_value("stage"),
               req.get_param_value("region"), req.get_param_value("year"),
               req.get_param_value("state"), req.get_param_value("as_of"),
               !req.get_param_value("overdue").empty()};
  }
  api::v1::ListReviewsRequest request;
  absl::Status bad;
  int number = 0;
  if (!filters.cycle.empty()) {
    if (absl::SimpleAtoi(filters.cycle, &number)) {
      request.set_cycle(number);
    } else {
      bad = absl::InvalidArgumentError(absl::StrCat("cycle '", filters.cycle, "' is not 1 or 2"));
    }
  }
  if (!filters.year.empty()) {
    if (absl::SimpleAtoi(filters.year, &number)) {
      request.set_year(number);
    } else {
      bad = absl::InvalidArgumentError(absl::StrCat("year '", filters.year, "' is not 1 to 5"));
    }
  }
  request.set_stage(filters.stage);
  request.set_region(filters.region);
  request.set_state(filters.state);
  request.set_as_of(filters.as_of);
  request.set_overdue_only(filters.overdue);
  absl::StatusOr<api::v1::ListReviewsResponse> list = absl::UnknownError("not run");
  if (!bad.ok()) {
    list = bad;
  } else if (commands_ == nullptr) {
    list = Unavailable();
  } else {
    list = commands_->List(viewer.authorization, request);
  }
  std::vector<api::v1::ReviewStatus> reviews;
  if (!list.ok()) {
    if (!context.alert.empty()) absl::StrAppend(&context.alert, " ");
    absl::StrAppend(&context.alert, list.status().message());
    context.alert_is_error = true;
    if (status == 200) status = HttpStatusOf(list.status().code());
  } else {
    reviews.assign(list->reviews().begin(), list->reviews().end());
  }
  SendHtml(res, status, ReviewsPage(context, filters, reviews));
}

void ConsoleRoutes::ServeDraw(const httplib::Request& req, httplib::Response& res) const {
  std::optional<Viewer> viewer = PostViewer(req, res);
  if (!viewer.has_value()) return;
  FormFields fields;
  for (const auto& [key, value] : req.params) {
    if (key != "csrf") fields[key] = value;
  }
  const bool years = req.matches[1] == "draw-years";
  absl::StatusOr<api::v1::DrawResult> result = absl::UnknownError("not run");
  if (commands_ == nullptr) {
    result = Unavailable();
  } else if (years) {
    absl::StatusOr<api::v1::DrawYearsRequest> request = DrawYearsOf(fields);
    result = request.ok() ? commands_->DrawYears(viewer->authorization, *request)
                          : absl::StatusOr<api::v1::DrawResult>(request.status());
  } else {
    absl::StatusOr<api::v1::DrawReviewersRequest> request = DrawReviewersOf(fields);
    result = request.ok() ? commands_->DrawReviewers(viewer->authorization, *request)
                          : absl::StatusOr<api::v1::DrawResult>(request.status());
  }
  PageContext context = ContextOf(*viewer);
  if (!result.ok()) {
    if (WantsJson(req)) {
      return SendJson(res, HttpStatusOf(result.status().code()), ErrorJson(result.status()));
    }
    context.alert = std::string(result.status().message());
    context.alert_is_error = true;
    return SendReviews(res, HttpStatusOf(result.status().code()), *viewer, context, req);
  }
  const std::string message =
      absl::StrCat(years ? "Review years drawn" : "Reviewers drawn", " for ",
                   result->results_size(), " reviews with seed ", result->seed(),
                   " (recorded in each event with the candidate lists).");
  if (WantsJson(req)) {
    Json drawn = Json::array();
    for (const api::v1::CommandResult& r : result->results()) {
      drawn.push_back({{"stream", r.stream()},
                       {"event_type", r.event_type()},
                       {"position", r.position()},
                       {"stage", r.status().review().stage()}});
    }
    return SendJson(res, 200,
                    {{"ok", true}, {"seed", result->seed()}, {"drawn", drawn}, {"message", message}});
  }
  context.alert = message;
  SendReviews(res, 200, *viewer, context, req);
}

void ConsoleRoutes::ServeCommand(const httplib::Request& req, httplib::Response& res) const {
  const bool json = WantsJson(req);
  auto refuse = [&](const absl::Status& status) {
    SendJson(res, HttpStatusOf(status.code()), ErrorJson(status));
  };
  std::optional<Viewer> viewer = PostViewer(req, res);
  if (!viewer.has_value()) return;
  const std::string state = req.matches[1];
  const std::string name = req.matches[3];
  PageContext context = ContextOf(*viewer);
  context.alert_is_error = true;
  absl::StatusOr<int> cycle = CycleOf(req.matches[2]);
  absl::StatusOr<api::v1::CommandResult> result = absl::UnknownError("not run");
  if (!cycle.ok()) {
    result = cycle.status();
  } else {
    FormFields fields;
    for (const auto& [key, value] : req.params) {
      if (key != "csrf") fields[key] = value;
    }
    absl::StatusOr<api::v1::ReviewCommand> command = CommandOf(name, state, *cycle, fields);
    if (!command.ok()) {
      result = command.status();
    } else if (commands_ == nullptr) {
      result = Unavailable();
    } else {
      result = commands_->Execute(viewer->authorization, *command);
    }
  }
  if (!result.ok()) {
    if (json || !cycle.ok()) return refuse(result.status());
    context.alert = std::string(result.status().message());
    return SendReview(res, HttpStatusOf(result.status().code()), *viewer, std::move(context),
                      state, *cycle, "");
  }
  std::string message = absl::StrCat("Recorded ", result->event_type(), " (position ",
                                     result->position(), ")");
  if (!result->need_id().empty()) absl::StrAppend(&message, ": need ", result->need_id());
  if (!result->outcome_id().empty()) absl::StrAppend(&message, ": outcome ", result->outcome_id());
  absl::StrAppend(&message, ".");
  if (json) {
    Json answer = {{"ok", true},
                   {"stage", result->status().review().stage()},
                   {"event_type", result->event_type()},
                   {"position", result->position()},
                   {"message", message}};
    if (!result->need_id().empty()) answer["need_id"] = result->need_id();
    if (!result->outcome_id().empty()) answer["outcome_id"] = result->outcome_id();
    return SendJson(res, 200, answer);
  }
  res.status = 303;
  res.set_header("Location", absl::StrCat("/reviews/", state, "/", *cycle));
  res.set_header("Cache-Control", "no-store");
}

}  // namespace irm::services::http
