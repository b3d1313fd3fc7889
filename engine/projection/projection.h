// Projection: a fold of the log, in position order, into state kept by a ProjectionStore.
//
// Apply must be deterministic: the same events in the same order give the same state, so a
// projection rebuilt from position 1 equals the incrementally built one (compared by digest).
// An event a projection does not know is ignored, never an error. Apply is called from one
// thread at a time.
#ifndef IRM_ENGINE_PROJECTION_PROJECTION_H_
#define IRM_ENGINE_PROJECTION_PROJECTION_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "engine/log/event_log.h"

namespace irm::projection {

// Read-your-writes access to one projection's state inside one commit.
class StateView {
 public:
  virtual ~StateView() = default;
  virtual absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) = 0;
  virtual void Put(absl::string_view key, absl::string_view value) = 0;
  virtual void Delete(absl::string_view key) = 0;
};

class Projection {
 public:
  virtual ~Projection() = default;
  // Stable name: the state's namespace and what `irm admin rebuild NAME` takes.
  virtual absl::string_view name() const = 0;
  // Folds one event into the state. An error stops this projection (visible in its status)
  // until the cause is fixed; it never skips the event.
  virtual absl::Status Apply(const log::EventRecord& event, StateView& state) = 0;
  // A fresh instance with the same name and nothing shared with this one, for replays that
  // run beside the live projection (irm admin replay-check). nullptr if it cannot make one:
  // the replay then pauses the live projections while it runs.
  virtual std::unique_ptr<Projection> NewInstance() const { return nullptr; }
  // The version of this projection's fold. Raise it whenever Apply changes meaning (a new
  // rule, a new field): a runner that finds state kept under another version clears it and
  // rebuilds the projection from position 1 at start (ProjectionRunner, docs/projections.md).
  virtual int version() const { return 1; }
};

}  // namespace irm::projection

#endif  // IRM_ENGINE_PROJECTION_PROJECTION_H_
