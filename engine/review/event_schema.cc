#include "engine/review/event_schema.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/uuid.h"
#include "engine/log/event_log.h"
#include "engine/domain/review_stream.h"
#include "engine/review/passed_deadlines.h"
#include "engine/review/review_fold.h"
#include "engine/review/review_names.h"
#include "engine/domain/irg_sessions.h"
#include "irm/event/v1/event_voided.pb.h"
#include "irm/event/v1/irg_events.pb.h"

namespace irm::review {
namespace {

absl::Status CheckVoidRecord(absl::string_view type, event::v1::ContentType content_type,
                             absl::string_view data) {
  if (type != kEventVoidedType) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stream ", kVoidedStream, " holds only ", kEventVoidedType,
        " records, written by irm admin void (docs/void.md); not ", type));
  }
  event::v1::EventVoided voided;
  if (content_type != event::v1::CONTENT_TYPE_PROTOBUF ||
      !voided.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "its data does not parse as irm.event.v1.", kEventVoidedType,
        " (content type protobuf, proto/irm/event/v1/event_voided.proto)"));
  }
  if (voided.event_id().size() != common::Uuid::kSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "its event_id is ", voided.event_id().size(),
        " bytes long; a void names the voided event by its 16-byte id"));
  }
  if (voided.reason().empty()) {
    return absl::InvalidArgumentError("its reason is empty; a void says why the event is void");
  }
  return absl::OkStatus();
}

absl::Status CheckDeadlineRecord(absl::string_view stream, absl::string_view type,
                                 event::v1::ContentType content_type, absl::string_view data) {
  std::string state;
  int cycle = 0;
  if (!domain::ParseDeadlineStream(stream, &state, &cycle)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stream ", stream, " is not a deadline stream name; they are named ",
        domain::kDeadlineStreamPrefix, "STATE-CYCLE, e.g. ", domain::DeadlineStreamName("KEN", 2)));
  }
  if (type != kDeadlinePassedType) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stream ", stream, " holds only ", kDeadlinePassedType,
        " records, written by irmd itself (docs/deadlines.md); not ", type));
  }
  event::v1::DeadlinePassed passed;
  if (content_type != event::v1::CONTENT_TYPE_PROTOBUF ||
      !passed.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "its data does not parse as irm.event.v1.", kDeadlinePassedType,
        " (content type protobuf, proto/irm/event/v1/deadline_events.proto)"));
  }
  if (passed.state() != state || passed.cycle() != cycle) {
    return absl::InvalidArgumentError(absl::StrCat(
        "it records a deadline of ", passed.state(), " cycle ", passed.cycle(), ", not of ",
        state, " cycle ", cycle, "; it belongs in ",
        domain::DeadlineStreamName(passed.state(), passed.cycle())));
  }
  return absl::OkStatus();
}

// Issue 21 section 3: the stream of IRG sessions holds only IrgSessionRecorded records.
absl::Status CheckIrgSessionRecord(absl::string_view type, event::v1::ContentType content_type,
                                   absl::string_view data) {
  if (type != domain::kIrgSessionRecordedType) {
    return absl::InvalidArgumentError(absl::StrCat(
        "stream ", domain::kIrgSessionsStream, " holds only ", domain::kIrgSessionRecordedType,
        " records, written by irm irg session add; not ", type));
  }
  event::v1::IrgSessionRecorded session;
  if (content_type != event::v1::CONTENT_TYPE_PROTOBUF ||
      !session.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "its data does not parse as irm.event.v1.", domain::kIrgSessionRecordedType,
        " (content type protobuf, proto/irm/event/v1/irg_events.proto)"));
  }
  return absl::OkStatus();
}

}  // namespace

bool HasSchema(absl::string_view stream) {
  return absl::StartsWith(stream, kReviewStreamPrefix) || stream == kVoidedStream ||
         domain::IsDeadlineStream(stream) || domain::IsIrgSessionsStream(stream);
}

absl::Status CheckEventSchema(absl::string_view stream, absl::string_view type,
                              event::v1::ContentType content_type, absl::string_view data) {
  if (stream == kVoidedStream) return CheckVoidRecord(type, content_type, data);
  if (domain::IsDeadlineStream(stream)) return CheckDeadlineRecord(stream, type, content_type, data);
  if (domain::IsIrgSessionsStream(stream)) return CheckIrgSessionRecord(type, content_type, data);
  if (!absl::StartsWith(stream, kReviewStreamPrefix)) return absl::OkStatus();
  std::unique_ptr<google::protobuf::Message> message = NewReviewEvent(type);
  if (message == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "type ", type, " is not an event of the review workflow; ", kReviewStreamPrefix,
        " streams hold only ", absl::StrJoin(ReviewEventTypes(), ", "),
        " (proto/irm/event/v1/review_events.proto)"));
  }
  if (content_type != event::v1::CONTENT_TYPE_PROTOBUF) {
    return absl::InvalidArgumentError(absl::StrCat(
        "its content type is ", log::ContentTypeName(content_type), "; ", kReviewStreamPrefix,
        " streams hold protobuf events: content type protobuf, data the serialized "
        "irm.event.v1.",
        type));
  }
  if (!message->ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("its data (", data.size(), " bytes) does not parse as irm.event.v1.", type,
                     "; send the serialized message its type names "
                     "(proto/irm/event/v1/review_events.proto)"));
  }
  return absl::OkStatus();
}

absl::Status CheckRecordSchema(const log::EventRecord& record) {
  return CheckEventSchema(record.stream(), record.type(), record.content_type(), record.data());
}

absl::Status CheckAppendSchema(const log::AppendRequest& request) {
  if (!HasSchema(request.stream)) return absl::OkStatus();
  for (size_t i = 0; i < request.events.size(); ++i) {
    const log::ProposedEvent& e = request.events[i];
    absl::Status s = CheckEventSchema(request.stream, e.type, e.content_type, e.data);
    if (s.ok()) continue;
    const std::string id =
        e.id.empty() ? "no id" : absl::StrCat("id ", common::UuidBytesToString(e.id));
    return absl::InvalidArgumentError(absl::StrCat("event ", i, " (", id, ", type ", e.type,
                                                   ") of the append to ", request.stream, ": ",
                                                   s.message(), "; nothing was appended"));
  }
  return absl::OkStatus();
}

}  // namespace irm::review
