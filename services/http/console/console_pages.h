// ConsolePages: the console's server-rendered HTML (docs/console.md).
//
//   ReviewPage   /reviews/STATE/CYCLE: <html data-state data-cycle data-stage>, the review's
//                facts, a form[data-command=NAME] per step the principal may take now
//                (console_forms.h), the timeline of its events and each field's provenance.
//   MyWorkPage   /work: the steps waiting on the principal, overdue first, and the reviews
//                per cycle and stage.
//   ReviewsPage  /reviews: search and filter all reviews; the secretariat's draws.
//   AuditPage    /audit: the latest signed checkpoint and whether its signature verifies.
// Every page has an element with role=alert (id "alert") for the answer to a submitted form,
// and loads /console.js (console_script.cc) and /console.css; without script the forms still
// POST and redirect. Pure functions; thread-safe.
#ifndef IRM_SERVICES_HTTP_CONSOLE_CONSOLE_PAGES_H_
#define IRM_SERVICES_HTTP_CONSOLE_CONSOLE_PAGES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "engine/access/principal.h"
#include "irm/api/v1/review.pb.h"
#include "irm/event/v1/record.pb.h"
#include "services/http/console/console_audit.h"

namespace irm::services::http {

// Who is looking, for the page's header and forms.
struct PageContext {
  access::Principal principal;
  std::string csrf;      // the session's CSRF token, put in every form
  bool signed_in = false;  // show "Sign out" (a session under --auth)
  std::string alert;     // a message for role=alert ("" for none)
  bool alert_is_error = false;
};

std::string ReviewPage(const PageContext& context, const api::v1::ReviewHistory& history,
                       const std::string& as_of);
std::string MyWorkPage(const PageContext& context,
                       const std::vector<api::v1::ReviewStatus>& reviews);
// The filters of the reviews page (GET /reviews?...), as typed.
struct ReviewFilters {
  std::string cycle, stage, region, year, state, as_of;
  bool overdue = false;
};
// /reviews: every review matching `filters`, with links to their pages; for the secretariat
// also the draw forms (form[data-command=lots-draw-years], form[data-command=lots-draw]).
std::string ReviewsPage(const PageContext& context, const ReviewFilters& filters,
                        const std::vector<api::v1::ReviewStatus>& reviews);
// /draws/STATE/CYCLE: the review's draws of lots from its stream's events (`events`, as
// LogService.ReadStream gives them to the viewer): the review year's draw (ReviewScheduled's
// seed), each ReviewersDrawn with its seed, rule and candidate lists, and the redraw
// requests, withdrawals and deferrals between them.
std::string DrawsPage(const PageContext& context, const std::string& state, int cycle,
                      const std::vector<event::v1::EventRecord>& events);
// /audit: the latest signed checkpoint and its verification status (console_audit.h).
std::string AuditPage(const PageContext& context, const CheckpointStatus& status);
// A page that only says something (context.alert), e.g. why a review cannot be shown.
std::string MessagePage(const PageContext& context, const std::string& title);

// The script (GET /console.js), the stylesheet (GET /console.css) and the pages' CSP.
const char* ConsoleScript();
const char* ConsoleStyle();
const char* ConsoleContentSecurityPolicy();

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONSOLE_CONSOLE_PAGES_H_
