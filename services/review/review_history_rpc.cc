// ReviewService::GetReviewHistory: one review's events up to a point in history, the review
// folded from them, and which event last changed each field (docs/audit-history.md).
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "engine/access/visibility.h"
#include "engine/common/error_details.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "engine/review/dates.h"
#include "engine/review/deadlines.h"
#include "engine/review/review_history.h"
#include "engine/review/review_provenance.h"
#include "google/protobuf/util/time_util.h"
#include "services/server/grpc_status.h"
#include "services/review/history_point.h"
#include "services/review/review_service.h"

namespace irm::services {
namespace {

namespace ev = ::irm::event::v1;

void AddProvenance(const review::ReviewHistory& history, const std::string& field,
                   const std::string& value, const std::string& derived_from,
                   api::v1::ReviewHistory* response) {
  api::v1::FieldProvenance* p = response->add_provenance();
  p->set_field(field);
  p->set_value(value);
  p->set_derived_from(derived_from);
  const std::string& source = derived_from.empty() ? field : derived_from;
  if (auto it = history.set_by.find(source); it != history.set_by.end()) {
    p->set_position(it->second);
  }
}

}  // namespace

absl::StatusOr<review::ReviewHistory> ReviewService::ReadHistory(
    const std::string& state, int cycle, const std::string& as_of, const std::string& known_at,
    bool with_provenance, absl::CivilDay* judge_on) const {
  IRM_RETURN_IF_ERROR(common::WithField(domain::FindStateParty(state).status(), "state"));
  IRM_RETURN_IF_ERROR(common::WithField(domain::CheckCycle(cycle), "cycle"));
  absl::StatusOr<HistoryPoint> point = ParseHistoryPoint(as_of, known_at);
  if (!point.ok()) return point.status();
  absl::StatusOr<review::ReviewHistory> history =
      review::ReadReviewHistory(*log_, state, cycle, point->cut, with_provenance);
  if (!history.ok()) return history.status();
  *judge_on = JudgeDay(*point, *log_, *history, workflow_->Today());
  return history;
}

grpc::ServerUnaryReactor* ReviewService::GetReviewHistory(
    grpc::CallbackServerContext* context, const api::v1::GetReviewHistoryRequest* request,
    api::v1::ReviewHistory* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  return FinishUnary(context, ReviewHistoryAs(*caller, request, response));
}

grpc::Status ReviewService::ReviewHistoryAs(const access::Principal& caller,
                                            const api::v1::GetReviewHistoryRequest* request,
                                            api::v1::ReviewHistory* response) {
  absl::CivilDay judge_on;
  absl::StatusOr<review::ReviewHistory> history =
      ReadHistory(request->state(), request->cycle(), request->as_of(), request->known_at(),
                  /*with_provenance=*/true, &judge_on);
  if (!history.ok()) return ToGrpcStatus(history.status());
  // Who sees what (engine/access/visibility.h): events and field values a caller may not see
  // are left out, as on every other read path.
  const access::Audience audience =
      access::AudienceFor(caller, access::PartiesOf(history->state));
  const access::ReviewPublication publication = access::PublicationOf(history->state);
  const ev::ReviewState visible_state = access::ViewOfReview(history->state, audience);
  *response->mutable_status() = ToStatusFor(caller, history->state, judge_on);
  for (const review::HistoryEntry& entry : history->events) {
    std::optional<ev::EventRecord> record =
        access::ViewOfEvent(entry.record, audience, publication);
    if (!record.has_value()) continue;
    api::v1::HistoryEvent* e = response->add_events();
    e->set_position(record->position());
    e->set_revision(record->revision());
    e->set_type(record->type());
    e->set_on(entry.on);
    *e->mutable_recorded_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        record->metadata().recorded_at_us());
    *e->mutable_actor() = record->metadata().actor();
    e->set_on_behalf_of(record->metadata().on_behalf_of());
    if (entry.voided.has_value()) {
      api::v1::EventVoid* voided = e->mutable_voided();
      voided->set_position(entry.voided->position);
      voided->set_reason(entry.voided->voided.reason());
      *voided->mutable_by() = entry.voided->by;
      *voided->mutable_recorded_at() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(entry.voided->recorded_at_us);
    }
  }
  for (const std::string& field : review::ProvenanceFields(visible_state)) {
    AddProvenance(*history, field, review::FieldValueText(visible_state, field), "", response);
  }
  const api::v1::ReviewStatus& status = response->status();
  const std::string basis = review::DeadlineBasis(history->state);
  AddProvenance(*history, "next_step", status.next_step(), "stage", response);
  AddProvenance(*history, "next_deadline", status.next_deadline(), basis, response);
  AddProvenance(*history, "overdue", status.overdue() ? "true" : "false", basis, response);
  return grpc::Status::OK;
}

}  // namespace irm::services
