// IrgProjection ("irg"): what the IRG sessions need from the log (issue 21 section 3), kept
// current by the ProjectionRunner:
//  - "session/<number>": every IrgSessionRecorded of the stream "irg-sessions" (the first
//    record of a number wins; `irm irg session add` never writes a second);
//  - "draw/<session>/<cycle>/<kind>/<year>/<seed>/<on>": the lot draws that named a session
//    or gave a reason for being outside one, one record per draw with its count of events;
//  - "summary/<on>/<state>/<cycle>": every ExecutiveSummaryIssued, with its symbol;
//  - "symbol/<symbol>": the review holding each document symbol (the first to use it), which
//    is what makes `irm review issue-summary --symbol` unique across the log.
// Void events are skipped, as in the reviews projection. Reads return what the projection
// has applied: callers wait for it first (ProjectionRunner::WaitUntilApplied).
#ifndef IRM_ENGINE_REVIEW_IRG_PROJECTION_H_
#define IRM_ENGINE_REVIEW_IRG_PROJECTION_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "engine/projection/projection.h"
#include "engine/projection/projection_store.h"
#include "irm/event/v1/irg_events.pb.h"

namespace irm::review {

inline constexpr absl::string_view kIrgProjection = "irg";

class IrgProjection final : public projection::Projection {
 public:
  // `log` (not owned; may be null) is where voids are looked up, as in ReviewsProjection.
  explicit IrgProjection(const log::EventLog* log = nullptr) : log_(log) {}

  absl::string_view name() const override { return kIrgProjection; }
  absl::Status Apply(const log::EventRecord& event, projection::StateView& state) override;
  std::unique_ptr<projection::Projection> NewInstance() const override {
    return std::make_unique<IrgProjection>(log_);
  }

 private:
  const log::EventLog* const log_;
};

// Every recorded session, by number.
absl::StatusOr<std::vector<event::v1::IrgSessionState>> ReadIrgSessions(
    const projection::ProjectionStore& store);
// Session `number`, if recorded.
absl::StatusOr<std::optional<event::v1::IrgSessionState>> ReadIrgSession(
    const projection::ProjectionStore& store, int number);
// Every draw that named a session or a reason, by session (0 first), cycle, kind, year.
absl::StatusOr<std::vector<event::v1::IrgDrawRecord>> ReadIrgDraws(
    const projection::ProjectionStore& store);
// Every executive summary issued, by date.
absl::StatusOr<std::vector<event::v1::IrgSummaryRecord>> ReadIrgSummaries(
    const projection::ProjectionStore& store);
// The summary holding `symbol`, if any.
absl::StatusOr<std::optional<event::v1::IrgSummaryRecord>> FindSummarySymbol(
    const projection::ProjectionStore& store, const std::string& symbol);

// The sessions as the stream "irg-sessions" holds them now (read from the log, not the
// projection: what `irm irg session add` and the draws decide on), and the stream's last
// revision (nullopt while it has no events). Records that do not parse are left out.
struct SessionLog {
  std::vector<event::v1::IrgSessionRecorded> sessions;
  std::optional<uint64_t> last_revision;
};
absl::StatusOr<SessionLog> ReadSessionLog(const log::EventLog& log);

}  // namespace irm::review

#endif  // IRM_ENGINE_REVIEW_IRG_PROJECTION_H_
