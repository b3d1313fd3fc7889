// Confidentiality (domain.md section 2): what each principal may see of the log.
//
// Every event type of the review workflow has a visibility (the table VisibilityTable()):
//  - kPublic: the whole event is public (stages, dates, reviewers, executive summaries);
//  - kFields: the event is public but only `public_fields` of it until the review's State
//    publishes what `opened_by` names (e.g. a draft report's content until
//    FullReportPublished); fields outside the list are stripped, so a field added later is
//    restricted until someone decides otherwise;
//  - kRestricted: observers never receive the event.
// Needs: observers get aggregated needs only (no NeedIdentified/NeedStatusChanged events and
// no need entries in a review); focal points and reviewers outside the review see need
// records without their free text until the State publishes the full report.
// Outcomes (issue 22): a review's outcomes and their status changes are public once its
// executive summary (which carries them) is issued; before that observers get none and
// members get them without their texts (outcome text, evidence), as need texts.
//
// Audiences: kFull (secretariat, auditor, the review's own focal point, reviewers its State was
// drawn for) sees everything; kMember (other focal points and reviewers) and kPublic
// (observers) get redacted views. DeadlinePassed events in `deadline-` streams and the IRG
// sessions of the stream "irg-sessions" are public facts (without the actor's name). Other
// events outside `review-` streams (raw log, imports of other data) are seen only by kFull.
//
// Whether the State has published is an explicit input (ReviewPublication), supplied by the
// caller from the review's current folded state (e.g. the reviews projection): publishing
// later opens earlier events too. Pure functions; thread-safe.
#ifndef IRM_ENGINE_ACCESS_VISIBILITY_H_
#define IRM_ENGINE_ACCESS_VISIBILITY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "engine/access/principal.h"
#include "irm/event/v1/record.pb.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::access {

enum class Audience { kFull, kMember, kPublic };

enum class Visibility { kPublic, kFields, kRestricted };

// What the State has agreed to publish, as of now.
struct ReviewPublication {
  bool report_published = false;     // FullReportPublished
  bool checklist_published = false;  // ChecklistPublished
  bool summary_issued = false;       // ExecutiveSummaryIssued (issue 22: opens the outcomes)
};
enum class Opening { kNever, kReportPublished, kChecklistPublished, kSummaryIssued };

struct EventVisibility {
  absl::string_view type;                        // "ChecklistSubmitted"
  Visibility to_public = Visibility::kRestricted;  // observers
  Visibility to_members = Visibility::kRestricted; // focal points/reviewers outside the review
  std::vector<absl::string_view> public_fields;  // for kFields: proto field names kept
  Opening opened_by = Opening::kNever;           // for kFields: after it, all fields
  // After it the whole event is public to every audience, even a kRestricted one (issue 22:
  // outcomes once the executive summary is issued).
  Opening released_by = Opening::kNever;
};

// One row per event type of irm/event/v1/review_events.proto, in file order.
absl::Span<const EventVisibility> VisibilityTable();
// The row of `type`, or nullptr: an unknown type is restricted to kFull.
const EventVisibility* FindVisibility(absl::string_view type);

// The parties of one review: its State and the States currently drawn to review it.
struct ReviewParties {
  std::string state;
  std::vector<std::string> reviewers;
};
ReviewParties PartiesOf(const event::v1::ReviewState& review);
ReviewPublication PublicationOf(const event::v1::ReviewState& review);

// How `principal` sees the review of `parties`.
Audience AudienceFor(const Principal& principal, const ReviewParties& parties);
// How `principal` sees anything that belongs to no review (raw streams): kFull for
// secretariat and auditor, kPublic for observers, kMember otherwise.
Audience BaseAudience(const Principal& principal);

// What `principal` may see of one review at any position a read looks at: decided from the
// review as it stands now (`now`: its current parties and publication) and applied unchanged
// to every past state and event of it (as-of status, history, lists as of a date). Access is
// never judged on the parties of the past: a State redrawn, withdrawn or deferred away loses
// its view of the review's past with its place, one drawn later gains it, and a publication
// opens earlier events.
struct ReviewAccess {
  Audience audience = Audience::kPublic;
  ReviewPublication publication;
};
ReviewAccess AccessNow(const Principal& principal, const event::v1::ReviewState& now);

// True for the streams that principals outside the full audience may read at all (each
// event through ViewOfEvent): review- and deadline- streams and "irg-sessions". Other streams (the raw log) do
// not exist for them.
bool IsOpenStream(absl::string_view stream);

// The view of `record` for `audience`, or nullopt when it must not be sent at all.
// `publication` is that of the review the record's stream belongs to. For kFull the record
// is returned unchanged. Otherwise: events outside review- streams, unknown types, kRestricted
// types and data that does not decode are withheld; kFields data keeps only the public fields
// (protobuf or JSON content alike); metadata keeps recorded_at, the actor's role and State,
// on_behalf_of and the correlation/causation ids (no actor name, custom metadata, request id
// or import origin).
std::optional<event::v1::EventRecord> ViewOfEvent(const event::v1::EventRecord& record,
                                                  Audience audience,
                                                  const ReviewPublication& publication);

// The view of a folded review for `audience`: kFull unchanged; otherwise without the focal
// point's name; needs without their free text until the report is published (kMember) or
// none at all (kPublic: callers report aggregated counts, computed before redaction);
// outcomes unchanged once the summary is issued, else without texts (kMember) or none.
event::v1::ReviewState ViewOfReview(const event::v1::ReviewState& review, Audience audience);
// The review as it stood at a past position (`then`), for a caller whose access to the
// review is `access` (AccessNow): need texts follow the publication of now, not of then.
event::v1::ReviewState ViewOfPastReview(const event::v1::ReviewState& then,
                                        const ReviewAccess& access);

// One need for `audience`: nullopt for kPublic; for kMember no text until the review's full
// report is published (`publication`); unchanged for kFull.
std::optional<event::v1::NeedState> ViewOfNeed(const event::v1::NeedState& need,
                                               Audience audience,
                                               const ReviewPublication& publication = {});

// One outcome for `audience` (issue 22): unchanged for kFull or once the review's summary
// is issued (`publication`); before that nullopt for kPublic, without text and evidence for
// kMember.
std::optional<event::v1::OutcomeState> ViewOfOutcome(const event::v1::OutcomeState& outcome,
                                                    Audience audience,
                                                    const ReviewPublication& publication);

}  // namespace irm::access

#endif  // IRM_ENGINE_ACCESS_VISIBILITY_H_
