// StreamStatsProjection ("stream_stats"): per stream, its event count and last position;
// per event type, its count. A small, general projection every log has; the workflow's
// projections live beside their aggregates.
//
// State keys: "stream/<name>" -> "<count> <last position>", "type/<type>" -> "<count>".
#ifndef IRM_ENGINE_PROJECTION_STREAM_STATS_PROJECTION_H_
#define IRM_ENGINE_PROJECTION_STREAM_STATS_PROJECTION_H_

#include "engine/projection/projection.h"

namespace irm::projection {

class StreamStatsProjection final : public Projection {
 public:
  absl::string_view name() const override { return "stream_stats"; }
  absl::Status Apply(const log::EventRecord& event, StateView& state) override;
  std::unique_ptr<Projection> NewInstance() const override {
    return std::make_unique<StreamStatsProjection>();
  }
};

}  // namespace irm::projection

#endif  // IRM_ENGINE_PROJECTION_STREAM_STATS_PROJECTION_H_
