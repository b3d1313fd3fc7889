// NeedsProjection ("needs"): every identified technical-assistance need as a NeedRecord
// (proto/irm/event/v1/need_record.proto) with its State, cycle, regional group, article,
// chapter, category, business date, recorded time and status history, plus per review its
// region and the date its executive summary was issued. The needs report
// (needs_tables.h) is computed from it, never by replaying streams per request.
//
// Keys: "need/<cycle>/<STATE>/<need_id>" and "review/<cycle>/<STATE>". Apply is
// deterministic (the runner's contract); a NeedStatusChanged only appends to a record's
// history, so a need once identified is never removed.
#ifndef IRM_ENGINE_NEEDS_NEEDS_PROJECTION_H_
#define IRM_ENGINE_NEEDS_NEEDS_PROJECTION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "engine/projection/projection.h"
#include "engine/projection/projection_store.h"
#include "irm/event/v1/need_record.pb.h"

namespace irm::needs {

inline constexpr absl::string_view kNeedsProjection = "needs";

class NeedsProjection final : public projection::Projection {
 public:
  // `log` (not owned; may be null: then nothing is void) is where voids are looked up
  // (engine/review/voids.h).
  explicit NeedsProjection(const log::EventLog* log = nullptr) : log_(log) {}

  absl::string_view name() const override { return kNeedsProjection; }
  // Folds ReviewScheduled, ExecutiveSummaryIssued, NeedIdentified and NeedStatusChanged of
  // "review-<STATE>-<CYCLE>" streams; ignores everything else. One of those that does not
  // decode as protobuf is skipped if it is void, otherwise DataLoss naming it.
  absl::Status Apply(const log::EventRecord& event, projection::StateView& state) override;
  std::unique_ptr<projection::Projection> NewInstance() const override {
    return std::make_unique<NeedsProjection>(log_);
  }

 private:
  // Decode(event, message), or false for a void event that does not decode.
  template <typename T>
  absl::StatusOr<bool> DecodeUnlessVoid(const log::EventRecord& event, T* message) const;

  const log::EventLog* const log_;
};

// Every need of `cycle` (0: both) in key order. DataLoss if a value does not decode.
absl::StatusOr<std::vector<event::v1::NeedRecord>> ReadNeedRecords(
    const projection::ProjectionStore& store, int cycle);

// Every review of `cycle` (0: both) the projection knows, in key order.
absl::StatusOr<std::vector<event::v1::NeedsReviewRecord>> ReadNeedsReviews(
    const projection::ProjectionStore& store, int cycle);

}  // namespace irm::needs

#endif  // IRM_ENGINE_NEEDS_NEEDS_PROJECTION_H_
