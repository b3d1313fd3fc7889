#include "engine/review/voids.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "engine/common/status_macros.h"
#include "engine/review/event_schema.h"
#include "engine/review/review_fold.h"

namespace irm::review {
namespace {

// `error` with how to void the event it is about.
absl::Status WithVoidAdvice(const absl::Status& error, const log::EventRecord& record) {
  return absl::Status(error.code(),
                      absl::StrCat(error.message(), "; void it to let the folds go past it: irm "
                                                    "admin void ",
                                   record.position(), " --reason TEXT (docs/void.md)"));
}

}  // namespace

absl::StatusOr<Voids> ReadVoids(const log::EventLog& log) {
  Voids voids;
  IRM_RETURN_IF_ERROR(log::ForEachStreamEvent(
      log, std::string(kVoidedStream), [&](log::EventRecord& record) -> absl::StatusOr<bool> {
        voids.last_revision = record.revision();
        VoidNote note;
        if (record.type() != kEventVoidedType ||
            record.content_type() != event::v1::CONTENT_TYPE_PROTOBUF ||
            !note.voided.ParseFromString(record.data())) {
          return true;  // voids nothing
        }
        note.position = record.position();
        note.by = record.metadata().actor();
        note.recorded_at_us = record.metadata().recorded_at_us();
        voids.notes.push_back(std::move(note));
        return true;
      }));
  return voids;
}

absl::StatusOr<std::optional<VoidNote>> FindVoid(const log::EventLog& log,
                                                 absl::string_view event_id) {
  IRM_ASSIGN_OR_RETURN(Voids voids, ReadVoids(log));
  for (VoidNote& note : voids.notes) {
    if (note.voided.event_id() == event_id) return std::optional<VoidNote>(std::move(note));
  }
  return std::optional<VoidNote>();
}

absl::StatusOr<log::AppendRequest> PrepareVoid(const log::EventLog& log, uint64_t position,
                                               absl::string_view reason,
                                               const event::v1::Principal& actor) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(reason);
  if (trimmed.empty()) {
    return absl::InvalidArgumentError(
        "void: the reason is empty; give --reason TEXT saying why the event is void (auditors "
        "read it)");
  }
  if (trimmed.size() > kMaxVoidReasonLength) {
    return absl::InvalidArgumentError(absl::StrCat("void: the reason is ", trimmed.size(),
                                                   " bytes long; at most ",
                                                   kMaxVoidReasonLength, " are allowed"));
  }
  for (char c : trimmed) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          "void: the reason contains a control character (a line break, tab or NUL); give "
          "one line of text");
    }
  }
  const uint64_t head = log.HeadPosition();
  if (position == 0 || position > head) {
    return absl::NotFoundError(absl::StrCat("void: no event at position ", position,
                                            "; the log holds positions 1 to ", head));
  }
  log::ReadAllOptions options;
  options.from_position = position;
  options.max_count = 1;
  IRM_ASSIGN_OR_RETURN(std::vector<log::EventRecord> events, log.ReadAll(options));
  if (events.empty() || events[0].position() != position) {
    return absl::NotFoundError(absl::StrCat("void: no event at position ", position));
  }
  const log::EventRecord& target = events[0];
  const std::string what = absl::StrCat("the event at position ", position, " (", target.type(),
                                        " in ", target.stream(), ", id ",
                                        common::UuidBytesToString(target.id()), ")");
  IRM_ASSIGN_OR_RETURN(Voids voids, ReadVoids(log));
  for (const VoidNote& note : voids.notes) {
    if (note.voided.event_id() != target.id()) continue;
    return absl::AlreadyExistsError(absl::StrCat(
        "void: ", what, " is void already: by ", note.by.name(), " (", note.by.role(),
        ") at position ", note.position, " of stream ", kVoidedStream, ", reason: ",
        note.voided.reason()));
  }
  if (absl::Status fits = CheckRecordSchema(target); fits.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "void: ", what,
        " is readable by every fold, so there is nothing to void; only an event that "
        "no fold can read (one in a review- stream that does not fit its schema) may be "
        "voided. A recorded step is corrected by recording another step"));
  }
  event::v1::EventVoided voided;
  voided.set_position(position);
  voided.set_event_id(target.id());
  voided.set_stream(target.stream());
  voided.set_event_type(target.type());
  voided.set_reason(std::string(trimmed));
  log::AppendRequest request;
  request.stream = std::string(kVoidedStream);
  request.expected = voids.last_revision.has_value()
                         ? log::ExpectedRevision::Exact(*voids.last_revision)
                         : log::ExpectedRevision::NoStream();
  log::ProposedEvent& event = request.events.emplace_back();
  event.type = std::string(kEventVoidedType);
  event.content_type = event::v1::CONTENT_TYPE_PROTOBUF;
  event.data = voided.SerializeAsString();
  *event.metadata.mutable_actor() = actor;
  return request;
}

absl::Status ApplyToReviewUnlessVoid(const log::EventLog* log, const log::EventRecord& record,
                                     event::v1::ReviewState* state,
                                     std::optional<VoidNote>* note) {
  const absl::Status applied = ApplyToReview(record, state);
  if (log == nullptr) return applied;
  if (applied.ok()) {
    // A type the fold ignores may be void too; only a caller showing events asks.
    if (note != nullptr && !IsReviewEventType(record.type())) {
      IRM_ASSIGN_OR_RETURN(*note, FindVoid(*log, record.id()));
    }
    return applied;
  }
  if (!absl::IsDataLoss(applied)) return applied;
  IRM_ASSIGN_OR_RETURN(std::optional<VoidNote> found, FindVoid(*log, record.id()));
  if (!found.has_value()) return WithVoidAdvice(applied, record);
  state->set_revision(record.revision());
  state->set_last_position(record.position());
  if (note != nullptr) *note = std::move(found);
  return absl::OkStatus();
}

absl::StatusOr<bool> IsVoidAfterError(const log::EventLog* log, const log::EventRecord& record,
                                      const absl::Status& error) {
  if (log == nullptr) return error;
  IRM_ASSIGN_OR_RETURN(std::optional<VoidNote> found, FindVoid(*log, record.id()));
  if (!found.has_value()) return WithVoidAdvice(error, record);
  return true;
}

absl::StatusOr<std::vector<UnreadableEvent>> FindUnreadableEvents(const log::EventLog& log,
                                                                  size_t max) {
  IRM_ASSIGN_OR_RETURN(Voids voids, ReadVoids(log));
  absl::flat_hash_set<std::string> voided;
  for (const VoidNote& note : voids.notes) voided.insert(note.voided.event_id());
  std::vector<UnreadableEvent> found;
  const uint64_t head = log.HeadPosition();
  log::ReadAllOptions options;
  options.from_position = 1;
  options.max_count = 1000;
  for (uint64_t next = 1; next <= head && found.size() < max;) {
    options.from_position = next;
    IRM_ASSIGN_OR_RETURN(std::vector<log::EventRecord> events, log.ReadAll(options));
    if (events.empty()) break;
    next = events.back().position() + 1;
    for (log::EventRecord& record : events) {
      if (!HasSchema(record.stream())) continue;
      absl::Status s = CheckRecordSchema(record);
      if (s.ok() || voided.contains(record.id())) continue;
      found.push_back({record.position(), record.stream(), record.type(), record.id(),
                       std::string(s.message())});
      if (found.size() >= max) break;
    }
  }
  return found;
}

}  // namespace irm::review
