// The rules of IRG sessions (issue 21 section 3, docs/workflow.md "IRG sessions"): what a
// session record must hold, when a lot draw may name a session, what a summary symbol looks
// like. Decided against the sessions recorded so far (irg_projection.h). Pure; thread-safe.
#ifndef IRM_ENGINE_REVIEW_IRG_RULES_H_
#define IRM_ENGINE_REVIEW_IRG_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "irm/event/v1/irg_events.pb.h"

namespace irm::review {

inline constexpr size_t kMaxPlaceLength = 200;
inline constexpr size_t kMaxSymbolLength = 80;
inline constexpr size_t kMaxOutsideReasonLength = 2000;

// A new session against those recorded (`recorded`): InvalidArgument naming number, from, to
// or place (a number below 1, a malformed date, from after to, a place too long or with
// control characters); AlreadyExists for a number already recorded (naming its dates);
// FailedPrecondition for dates overlapping another session's (naming it).
absl::Status CheckNewSession(const event::v1::IrgSessionRecorded& session,
                             const std::vector<event::v1::IrgSessionRecorded>& recorded);

// May a lot draw dated `on` name `session` (0: none) with `outside_reason` ("" if none)?
// Without a session and a reason: OK (an unattributed draw, as before sessions were kept).
// A reason: OK whatever the session (InvalidArgument if too long or with control
// characters). Otherwise NotFound for a session not recorded, FailedPrecondition for a date
// outside its days; both say how to fix it. `found` is the session if recorded.
absl::Status CheckDrawSession(int session, const std::string& outside_reason, absl::CivilDay on,
                              const std::optional<event::v1::IrgSessionRecorded>& found);

// The shape of an executive summary's document symbol for a review of `cycle`:
// InvalidArgument (field "issue_summary.symbol") unless it starts with "CAC/COSP/IRG/", has
// at most kMaxSymbolLength characters from A-Z a-z 0-9 / . - and, when its fourth part is
// the cycle in roman numerals (I or II), that part matches `cycle`.
absl::Status CheckSummarySymbol(const std::string& symbol, int cycle);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_IRG_RULES_H_
