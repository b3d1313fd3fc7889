#include "engine/needs/needs_projection.h"

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/common/status_macros.h"
#include "engine/common/uuid.h"
#include "engine/domain/reference_data.h"
#include "engine/domain/review_stream.h"
#include "engine/review/voids.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::needs {
namespace {

namespace ev = ::irm::event::v1;

std::string ReviewKey(absl::string_view state, int cycle) {
  return absl::StrCat("review/", cycle, "/", state);
}

std::string NeedKey(absl::string_view state, int cycle, absl::string_view need_id) {
  return absl::StrCat("need/", cycle, "/", state, "/", need_id);
}

template <typename T>
absl::Status Decode(const log::EventRecord& event, T* message) {
  if (event.content_type() != ev::CONTENT_TYPE_PROTOBUF || !message->ParseFromString(event.data())) {
    return absl::DataLossError(absl::StrCat(
        "event at position ", event.position(), " (", event.type(), ", id ",
        common::UuidBytesToString(event.id()), ", in ", event.stream(),
        ") does not decode as protobuf irm.event.v1.", event.type()));
  }
  return absl::OkStatus();
}

// The stored value at `key` parsed into `message`; false if there is none.
template <typename T>
absl::StatusOr<bool> Load(projection::StateView& state, const std::string& key, T* message) {
  IRM_ASSIGN_OR_RETURN(std::optional<std::string> stored, state.Get(key));
  if (!stored.has_value()) return false;
  if (!message->ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("needs projection value ", key, " does not decode"));
  }
  return true;
}

// The region a need is counted under: its review's, else the reference data's.
std::string RegionOf(const ev::NeedsReviewRecord& review, bool known, absl::string_view state) {
  if (known && !review.region().empty()) return review.region();
  absl::StatusOr<const domain::StateParty*> party = domain::FindStateParty(state);
  return party.ok() ? std::string(domain::RegionName((*party)->region)) : "";
}

template <typename Record>
absl::StatusOr<std::vector<Record>> ScanAll(const projection::ProjectionStore& store,
                                            absl::string_view kind, int cycle) {
  std::vector<Record> records;
  bool bad = false;
  const std::string prefix = cycle == 0 ? absl::StrCat(kind, "/") : absl::StrCat(kind, "/", cycle, "/");
  IRM_RETURN_IF_ERROR(store.Scan(kNeedsProjection, prefix,
                                 [&](absl::string_view, absl::string_view value) {
                                   Record& record = records.emplace_back();
                                   bad = !record.ParseFromArray(value.data(), value.size());
                                   return !bad;
                                 }));
  if (bad) return absl::DataLossError(absl::StrCat("a ", kind, " of the needs projection does not decode"));
  return records;
}

}  // namespace

template <typename T>
absl::StatusOr<bool> NeedsProjection::DecodeUnlessVoid(const log::EventRecord& event,
                                                       T* message) const {
  absl::Status decoded = Decode(event, message);
  if (decoded.ok()) return true;
  IRM_ASSIGN_OR_RETURN(bool is_void, review::IsVoidAfterError(log_, event, decoded));
  return !is_void;
}

absl::Status NeedsProjection::Apply(const log::EventRecord& event, projection::StateView& state) {
  const std::string& type = event.type();
  if (!domain::IsReviewStream(event.stream())) return absl::OkStatus();
  if (type != "ReviewScheduled" && type != "ExecutiveSummaryIssued" && type != "NeedIdentified" &&
      type != "NeedStatusChanged") {
    return absl::OkStatus();
  }
  std::vector<absl::string_view> parts = absl::StrSplit(event.stream(), '-');
  int cycle = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[2], &cycle)) return absl::OkStatus();
  const absl::string_view code = parts[1];
  const std::string review_key = ReviewKey(code, cycle);
  ev::NeedsReviewRecord review;
  IRM_ASSIGN_OR_RETURN(bool review_known, Load(state, review_key, &review));

  if (type == "ReviewScheduled") {
    ev::ReviewScheduled e;
    IRM_ASSIGN_OR_RETURN(bool readable, DecodeUnlessVoid(event, &e));
    if (!readable) return absl::OkStatus();
    review.set_state(std::string(code));
    review.set_cycle(cycle);
    review.set_region(e.region());
    state.Put(review_key, review.SerializeAsString());
  } else if (type == "ExecutiveSummaryIssued") {
    ev::ExecutiveSummaryIssued e;
    IRM_ASSIGN_OR_RETURN(bool readable, DecodeUnlessVoid(event, &e));
    if (!readable) return absl::OkStatus();
    review.set_state(std::string(code));
    review.set_cycle(cycle);
    review.set_summary_issued_on(e.on());
    state.Put(review_key, review.SerializeAsString());
  } else if (type == "NeedIdentified") {
    ev::NeedIdentified e;
    IRM_ASSIGN_OR_RETURN(bool readable, DecodeUnlessVoid(event, &e));
    if (!readable) return absl::OkStatus();
    ev::NeedRecord need;
    need.set_need_id(e.need_id());
    need.set_state(std::string(code));
    need.set_cycle(cycle);
    need.set_region(RegionOf(review, review_known, code));
    need.set_article(e.article());
    need.set_chapter(e.chapter());
    need.set_category(e.category());
    need.set_priority(e.priority());
    need.set_identified_on(e.on());
    need.set_recorded_at_us(event.metadata().recorded_at_us());
    need.set_position(event.position());
    state.Put(NeedKey(code, cycle, e.need_id()), need.SerializeAsString());
  } else {
    ev::NeedStatusChanged e;
    IRM_ASSIGN_OR_RETURN(bool readable, DecodeUnlessVoid(event, &e));
    if (!readable) return absl::OkStatus();
    const std::string key = NeedKey(code, cycle, e.need_id());
    ev::NeedRecord need;
    IRM_ASSIGN_OR_RETURN(bool known, Load(state, key, &need));
    if (!known) return absl::OkStatus();  // the workflow refuses this; a fold ignores it
    need.set_status(e.status());
    ev::NeedStatusStep* step = need.add_history();
    step->set_on(e.on());
    step->set_status(e.status());
    step->set_provider(e.provider());
    step->set_recorded_at_us(event.metadata().recorded_at_us());
    step->set_position(event.position());
    state.Put(key, need.SerializeAsString());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ev::NeedRecord>> ReadNeedRecords(const projection::ProjectionStore& store,
                                                            int cycle) {
  return ScanAll<ev::NeedRecord>(store, "need", cycle);
}

absl::StatusOr<std::vector<ev::NeedsReviewRecord>> ReadNeedsReviews(
    const projection::ProjectionStore& store, int cycle) {
  return ScanAll<ev::NeedsReviewRecord>(store, "review", cycle);
}

}  // namespace irm::needs
