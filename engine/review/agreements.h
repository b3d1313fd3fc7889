// Four eyes on the final report (issue 21 section 4): the State under review and both
// reviewing States agree to the final country review report and its executive summary, each
// with its own ReportAgreed event, before the secretariat records ExecutiveSummaryApproved.
//
// A party is named "state" (the State under review, whose principal is its focal point) or
// "reviewer:FRA" (a reviewing State, whose principal is that State's reviewer). Agreements
// count for the current draft only: a new DraftReportCirculated clears them (review_fold.cc).
// Pure functions; thread-safe.
#ifndef IRM_ENGINE_REVIEW_AGREEMENTS_H_
#define IRM_ENGINE_REVIEW_AGREEMENTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::review {

inline constexpr absl::string_view kStateParty = "state";
inline constexpr absl::string_view kReviewerPartyPrefix = "reviewer:";

// The parties whose agreement the review needs: "state", then "reviewer:X" for each
// reviewer currently holding a slot.
std::vector<std::string> RequiredParties(const event::v1::ReviewState& review);

// InvalidArgument (field "party") unless `party` is "state" or "reviewer:X" with X one of
// the review's current reviewers; the message lists the parties one may give.
absl::Status CheckParty(const event::v1::ReviewState& review, const std::string& stream,
                        absl::string_view party);

// The principal label that may agree for `party` of the review of `state`:
// "focal_point:KEN" for "state", "reviewer:FRA" for "reviewer:FRA".
std::string PartyPrincipal(absl::string_view party, absl::string_view state);

// "the State under review (KEN)" or "reviewer FRA", for messages.
std::string DescribeParty(absl::string_view party, absl::string_view state);

// The required parties that have not agreed to the current draft, in RequiredParties order.
std::vector<std::string> MissingAgreements(const event::v1::ReviewState& review);

// The agreement of `party` to the current draft, or nullptr.
const event::v1::PartyAgreement* FindAgreement(const event::v1::ReviewState& review,
                                               absl::string_view party);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_AGREEMENTS_H_
