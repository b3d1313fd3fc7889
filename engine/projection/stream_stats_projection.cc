#include "engine/projection/stream_stats_projection.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/common/status_macros.h"

namespace irm::projection {

absl::Status StreamStatsProjection::Apply(const log::EventRecord& event, StateView& state) {
  const std::string stream_key = absl::StrCat("stream/", event.stream());
  IRM_ASSIGN_OR_RETURN(std::optional<std::string> stream_value, state.Get(stream_key));
  uint64_t count = 0;
  if (stream_value.has_value()) {
    std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(*stream_value, ' ');
    if (!absl::SimpleAtoi(parts.first, &count)) {
      return absl::DataLossError(absl::StrCat("malformed state under ", stream_key));
    }
  }
  state.Put(stream_key, absl::StrCat(count + 1, " ", event.position()));

  const std::string type_key = absl::StrCat("type/", event.type());
  IRM_ASSIGN_OR_RETURN(std::optional<std::string> type_value, state.Get(type_key));
  uint64_t type_count = 0;
  if (type_value.has_value() && !absl::SimpleAtoi(*type_value, &type_count)) {
    return absl::DataLossError(absl::StrCat("malformed state under ", type_key));
  }
  state.Put(type_key, absl::StrCat(type_count + 1));
  return absl::OkStatus();
}

}  // namespace irm::projection
