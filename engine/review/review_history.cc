#include "engine/review/review_history.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/status_macros.h"
#include "engine/review/dates.h"
#include "engine/review/review_fold.h"
#include "engine/review/review_names.h"
#include "engine/review/review_provenance.h"
#include "google/protobuf/descriptor.h"

namespace irm::review {
namespace {

std::string RecordedText(const log::EventRecord& record) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixMicros(record.metadata().recorded_at_us()),
                          absl::UTCTimeZone());
}

bool InCut(const AsOf& as_of, const log::EventRecord& record, const std::string& on) {
  if (record.position() > as_of.position) return false;
  if (absl::FromUnixMicros(record.metadata().recorded_at_us()) >= as_of.recorded_before) {
    return false;
  }
  if (as_of.business_day.has_value()) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(on, "on");
    // An undecodable date cannot be placed in time: it is left out of a dated cut.
    if (!day.ok() || *day > *as_of.business_day) return false;
  }
  return true;
}

}  // namespace

std::string AsOf::Describe() const {
  std::vector<std::string> parts;
  if (position != UINT64_MAX) parts.push_back(absl::StrCat("position ", position));
  if (business_day.has_value()) {
    parts.push_back(absl::StrCat("business date ", FormatDate(*business_day)));
  }
  if (recorded_before != absl::InfiniteFuture()) {
    parts.push_back(absl::StrCat(
        "recorded before ",
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", recorded_before, absl::UTCTimeZone())));
  }
  return parts.empty() ? "now" : absl::StrJoin(parts, ", ");
}

std::string BusinessDate(const log::EventRecord& record) {
  if (record.content_type() == event::v1::CONTENT_TYPE_PROTOBUF) {
    std::unique_ptr<google::protobuf::Message> message = NewReviewEvent(record.type());
    if (message != nullptr && message->ParseFromString(record.data())) {
      const google::protobuf::FieldDescriptor* on = message->GetDescriptor()->FindFieldByName("on");
      if (on != nullptr && on->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
        std::string text = message->GetReflection()->GetString(*message, on);
        if (!text.empty()) return text;
      }
    }
  }
  return FormatDate(DayOf(absl::FromUnixMicros(record.metadata().recorded_at_us())));
}

absl::StatusOr<ReviewHistory> ReadReviewHistory(const log::EventLog& log,
                                                const std::string& state, int cycle,
                                                const AsOf& as_of, bool with_provenance) {
  ReviewHistory history;
  history.stream = ReviewStream(state, cycle);
  std::optional<HistoryEntry> first;  // the stream's first event not void, in the cut or not
  bool any_in_cut = false;             // an event not void is in the cut
  ProvenanceTracker tracker;
  IRM_RETURN_IF_ERROR(log::ForEachStreamEvent(
      log, history.stream, [&](log::EventRecord& record) -> absl::StatusOr<bool> {
        // The stream's revisions follow log order, so past the position cut nothing is in.
        if (record.position() > as_of.position && first.has_value()) return false;
        HistoryEntry entry{std::move(record), "", std::nullopt};
        entry.on = BusinessDate(entry.record);
        if (!InCut(as_of, entry.record, entry.on)) {
          if (!first.has_value()) {
            // Only to tell whether it is void: its effect is not kept, nor its error.
            event::v1::ReviewState scratch;
            std::optional<VoidNote> voided;
            absl::Status s = ApplyToReviewUnlessVoid(&log, entry.record, &scratch, &voided);
            if (!s.ok() || !voided.has_value()) first = entry;
          }
          return true;
        }
        if (with_provenance) {
          const event::v1::ReviewState before = history.state;
          IRM_RETURN_IF_ERROR(
              ApplyToReviewUnlessVoid(&log, entry.record, &history.state, &entry.voided));
          if (!entry.voided.has_value()) {
            tracker.Note(before, history.state, entry.record.position());
          }
        } else {
          IRM_RETURN_IF_ERROR(
              ApplyToReviewUnlessVoid(&log, entry.record, &history.state, &entry.voided));
        }
        if (!entry.voided.has_value()) {
          if (!first.has_value()) first = entry;
          any_in_cut = true;
        }
        history.events.push_back(std::move(entry));
        return true;
      }));
  if (!any_in_cut) {
    if (!first.has_value()) {
      return absl::NotFoundError(absl::StrCat("no review ", history.stream,
                                              "; schedule it with irm review schedule"));
    }
    return absl::NotFoundError(absl::StrCat(
        "review ", history.stream, " did not exist yet as of ", as_of.Describe(),
        ": its first event is at position ", first->record.position(), " (",
        first->record.type(), " on ", first->on, ", recorded ", RecordedText(first->record),
        ")"));
  }
  history.set_by = tracker.set_by();
  return history;
}

}  // namespace irm::review
