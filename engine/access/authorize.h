// Authorisation (domain.md section 2): which principal may record which step.
//
//  - secretariat: every workflow command, the draws, the raw log append (never into a
//    review- stream or the stream "voided"), imports (which may write those streams) and
//    voiding an unreadable event (irm admin void, docs/void.md);
//  - focal_point:<S>: its own State's review only: appoint the focal point, submit the
//    checklist, publish or decline, request a redraw (not the secretariat's exception) or a
//    deferral, identify needs and change their status, agree to the final report, change
//    the implementation status of its recommendations;
//  - reviewer:<S>: only reviews its State is drawn for: desk review, draft report, agreement
//    to the final report, its own withdrawal, the review's outcomes (issue 22);
//  - agreements to the final report (`agree`, issue 21): each party's own principal (the
//    focal point for "state", reviewer:<S> for "reviewer:<S>"), or the secretariat on its
//    behalf (on_behalf_of naming that principal), see AuthorizeAgreement;
//  - auditor, observer: never write.
// The approval of the summary, once all three parties agreed, is the secretariat's. Only the
// secretariat records on behalf of someone else.
//
// Every refusal is PermissionDenied naming the principal, what it tried and who may.
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_ACCESS_AUTHORIZE_H_
#define IRM_ENGINE_ACCESS_AUTHORIZE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "engine/access/principal.h"
#include "engine/access/visibility.h"

namespace irm::access {

// Who may give a workflow command, by the name of the command (the field name of the
// irm.api.v1.ReviewCommand oneof: "schedule", "checklist", "desk_review", ...; a redraw the
// secretariat grants as an exception is "redraw_exception"). Unknown commands: secretariat.
struct CommandRights {
  bool focal_point = false;  // the State under review
  bool reviewer = false;     // a State drawn to review it
};
CommandRights RightsOf(absl::string_view command);

// May `principal` give `command` on the review of `parties`? `parties.reviewers` must be the
// review's current reviewers; for a review not scheduled yet pass only the State.
absl::Status AuthorizeReviewCommand(const Principal& principal, absl::string_view command,
                                    const ReviewParties& parties,
                                    absl::string_view on_behalf_of);

// The `agree` command, besides AuthorizeReviewCommand: may `principal` record the agreement of
// `party` ("state" or "reviewer:FRA") to the report of `state`? InvalidArgument for a party
// that is not one or an `on_behalf_of` that is not that party's principal ("focal_point:KEN"
// for "state"); PermissionDenied for a focal point or reviewer agreeing for another party, or
// the secretariat without on_behalf_of (it never agrees itself).
absl::Status AuthorizeAgreement(const Principal& principal, absl::string_view state,
                                absl::string_view party, absl::string_view on_behalf_of);

// Drawing lots (years or reviewers for a whole cycle year): secretariat only.
absl::Status AuthorizeDraw(const Principal& principal);

// The raw log: `import` is `irm import` (secretariat; any stream); otherwise an append
// (secretariat; never a stream starting with "review-", nor "voided", which only
// irm admin void writes, nor "irg-sessions", which only irm irg session add writes).
absl::Status AuthorizeAppend(const Principal& principal, absl::string_view stream, bool import);

// Declaring an event void (irm admin void): secretariat only.
absl::Status AuthorizeVoid(const Principal& principal);

// Admin calls that change server state (projection rebuilds): secretariat only.
absl::Status AuthorizeAdmin(const Principal& principal, absl::string_view what);

// Oversight reads (subscription and projection lag, replay checks, the events' full bytes
// for audit, signing a checkpoint on request): the secretariat and auditors.
absl::Status AuthorizeOversight(const Principal& principal, absl::string_view what);

}  // namespace irm::access

#endif  // IRM_ENGINE_ACCESS_AUTHORIZE_H_
