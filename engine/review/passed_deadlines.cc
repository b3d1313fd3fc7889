#include "engine/review/passed_deadlines.h"

#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "engine/review/dates.h"
#include "engine/review/deadlines.h"
#include "engine/review/review_fold.h"

namespace irm::review {
namespace {

// The namespace of DeadlinePassed ids (a random version-4 UUID, fixed forever).
constexpr char kDeadlineIdNamespace[] = "3f0c5c8e-8f1e-4a51-9d3b-6a2f4e1c7b90";

event::v1::DeadlinePassed Passed(const ReviewState& review, const NextStep& next) {
  event::v1::DeadlinePassed passed;
  passed.set_state(review.state());
  passed.set_cycle(review.cycle());
  passed.set_step(next.event_type);
  passed.set_deadline(FormatDate(*next.deadline));
  passed.set_stage(review.stage());
  return passed;
}

bool SameNextStep(const NextStep& a, const NextStep& b) {
  return a.event_type == b.event_type && a.deadline == b.deadline;
}

}  // namespace

absl::StatusOr<std::vector<event::v1::DeadlinePassed>> PassedDeadlines(
    const ReviewHistory& history, std::optional<absl::CivilDay> today) {
  std::vector<event::v1::DeadlinePassed> passed;
  ReviewState review;
  for (const HistoryEntry& entry : history.events) {
    if (entry.voided.has_value()) continue;
    const ReviewState before = review;
    const NextStep awaited = NextStepOf(before);
    if (absl::Status s = ApplyToReview(entry.record, &review); !s.ok()) return s;
    if (!awaited.deadline.has_value() || SameNextStep(awaited, NextStepOf(review))) continue;
    absl::StatusOr<absl::CivilDay> on = ParseDate(entry.on, "business date");
    if (on.ok() && *on > *awaited.deadline) passed.push_back(Passed(before, awaited));
  }
  const NextStep awaited = NextStepOf(review);
  if (today.has_value() && awaited.deadline.has_value() && *today > *awaited.deadline) {
    passed.push_back(Passed(review, awaited));
  }
  return passed;
}

std::string DeadlineEventId(const event::v1::DeadlinePassed& passed) {
  static const common::Uuid kNamespace = *common::Uuid::Parse(kDeadlineIdNamespace);
  return common::Uuid::NameBased(kNamespace,
                                 absl::StrCat(passed.state(), "|", passed.cycle(), "|",
                                              passed.step(), "|", passed.deadline()))
      .Bytes();
}

log::ProposedEvent DeadlineEvent(const event::v1::DeadlinePassed& passed) {
  log::ProposedEvent event;
  event.id = DeadlineEventId(passed);
  event.type = kDeadlinePassedType;
  event.content_type = event::v1::CONTENT_TYPE_PROTOBUF;
  passed.SerializeToString(&event.data);  // proto3 scalars and strings: deterministic bytes
  event.metadata.mutable_actor()->set_name(kSystemActorName);
  event.metadata.mutable_actor()->set_role(kSystemActorRole);
  return event;
}

}  // namespace irm::review
