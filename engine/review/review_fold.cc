#include "engine/review/review_fold.h"

#include <functional>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;

void SetStage(ReviewState* s, absl::string_view stage, absl::string_view on) {
  s->set_stage(std::string(stage));
  s->set_last_step_on(std::string(on));
}

// Applies `message`, already decoded, to the state.
using Applier = std::function<void(const google::protobuf::Message&, ReviewState*, uint64_t)>;

template <typename T>
std::pair<const std::string, Applier> Rule(std::function<void(const T&, ReviewState*, uint64_t)> f) {
  return {T::descriptor()->name(), [f](const google::protobuf::Message& m, ReviewState* s,
                                       uint64_t position) {
            f(static_cast<const T&>(m), s, position);
          }};
}

bool AllSlotsFilled(const ReviewState& s) {
  if (s.reviewers_size() < 2) return false;
  for (const std::string& r : s.reviewers()) {
    if (r.empty()) return false;
  }
  return true;
}

const std::map<std::string, Applier>& Appliers() {
  static const auto* appliers = new std::map<std::string, Applier>{
      Rule<ev::ReviewScheduled>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_state(e.state());
        s->set_cycle(e.cycle());
        s->set_region(e.region());
        s->set_year(e.year());
        s->set_scheduled_on(e.on());
        SetStage(s, "scheduled", e.on());
      }),
      Rule<ev::ReviewersDrawn>([](const auto& e, ReviewState* s, uint64_t) {
        while (s->reviewers_size() < 2) s->add_reviewers("");
        if (e.slot() == 0) {
          for (int i = 0; i < e.reviewers_size() && i < 2; ++i) s->set_reviewers(i, e.reviewers(i));
        } else if (e.reviewers_size() > 0 && (e.slot() == 1 || e.slot() == 2)) {
          s->set_reviewers(e.slot() - 1, e.reviewers(0));
        }
        s->set_draw_round(e.draw_round());
        if (s->stage() == "scheduled" && AllSlotsFilled(*s)) SetStage(s, "reviewers_drawn", e.on());
      }),
      Rule<ev::ReviewerRedrawRequested>([](const auto& e, ReviewState* s, uint64_t) {
        while (s->reviewers_size() < 2) s->add_reviewers("");
        if (e.slot() == 1 || e.slot() == 2) s->set_reviewers(e.slot() - 1, "");
        if (!e.by_secretariat_exception()) {
          s->set_redraws_requested_by_state(s->redraws_requested_by_state() + 1);
        }
        if (s->stage() == "reviewers_drawn") s->set_stage("scheduled");
      }),
      Rule<ev::ReviewerWithdrew>([](const auto& e, ReviewState* s, uint64_t) {
        for (int i = 0; i < s->reviewers_size(); ++i) {
          if (s->reviewers(i) == e.reviewer()) s->set_reviewers(i, "");
        }
        if (s->stage() == "reviewers_drawn") s->set_stage("scheduled");
      }),
      Rule<ev::ReviewDeferred>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_year(e.to_year());
        // Issue 21: since the IRG's decision the reviewers are released and drawn again at the
        // next year's draw; an event without the field (older) keeps them, as it always did.
        if (e.reviewers_released()) {
          s->clear_reviewers();
          if (s->stage() == "reviewers_drawn") s->set_stage("scheduled");
        }
      }),
      Rule<ev::ReviewLaunched>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_launched_on(e.on());
        SetStage(s, "launched", e.on());
      }),
      Rule<ev::FocalPointAppointed>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_focal_point(e.name());
        if (s->stage() == "launched") SetStage(s, "focal_point_appointed", e.on());
      }),
      Rule<ev::KickoffCallHeld>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_checklist_due(e.checklist_due());
        s->set_kickoff_division(e.division());
        SetStage(s, "kickoff_held", e.on());
      }),
      Rule<ev::ChecklistSubmitted>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_checklist_on(e.on());
        s->set_checklist_publish_agreed(e.publish());
        SetStage(s, "checklist_submitted", e.on());
      }),
      Rule<ev::DeskReviewCompleted>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_desk_review_on(e.on());
        SetStage(s, "desk_review_done", e.on());
      }),
      Rule<ev::CountryVisitHeld>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_dialogue("country_visit");
        s->set_visit_from(e.from());
        s->set_visit_to(e.to());
        SetStage(s, "dialogue_held", e.to().empty() ? e.on() : e.to());
      }),
      Rule<ev::JointMeetingHeld>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_dialogue("joint_meeting");
        SetStage(s, "dialogue_held", e.on());
      }),
      Rule<ev::DirectDialogueDeclined>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_dialogue("none");
        SetStage(s, "dialogue_held", e.on());
      }),
      Rule<ev::CountryVisitPostponed>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_visit_postponements(s->visit_postponements() + 1);
      }),
      Rule<ev::DraftReportCirculated>([](const auto& e, ReviewState* s, uint64_t) {
        // A new draft is what the parties agree to: earlier agreements no longer hold.
        s->set_drafts(s->drafts() + 1);
        s->clear_agreements();
        SetStage(s, "draft_report", e.on());
      }),
      Rule<ev::ExecutiveSummaryApproved>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_summary_approved_on(e.on());
        SetStage(s, "summary_approved", e.on());
      }),
      Rule<ev::ExecutiveSummaryIssued>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_summary_issued_on(e.on());
        s->set_summary_symbol(e.symbol());
        SetStage(s, "completed", e.on());
      }),
      Rule<ev::FullReportPublished>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_publication("published");
      }),
      Rule<ev::PublicationDeclined>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_publication("declined");
      }),
      Rule<ev::ChecklistPublished>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_checklist_published(true);
      }),
      // Issue 21, sections 4-5: none of these changes the stage.
      Rule<ev::ReportAgreed>([](const auto& e, ReviewState* s, uint64_t position) {
        ev::PartyAgreement* agreement = s->add_agreements();
        agreement->set_party(e.party());
        agreement->set_on(e.on());
        agreement->set_on_behalf_of(e.on_behalf_of());
        agreement->set_position(position);
      }),
      Rule<ev::ChecklistCirculated>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_checklist_circulated_on(e.on());
      }),
      Rule<ev::DeskReviewTeleconferenceHeld>([](const auto& e, ReviewState* s, uint64_t) {
        s->set_desk_review_call_on(e.on());
      }),
      Rule<ev::NeedIdentified>([](const auto& e, ReviewState* s, uint64_t position) {
        ev::NeedState* need = s->add_needs();
        need->set_need_id(e.need_id());
        need->set_article(e.article());
        need->set_chapter(e.chapter());
        need->set_category(e.category());
        need->set_text(e.text());
        need->set_priority(e.priority());
        need->set_identified_on(e.on());
        need->set_position(position);
      }),
      Rule<ev::NeedStatusChanged>([](const auto& e, ReviewState* s, uint64_t) {
        for (ev::NeedState& need : *s->mutable_needs()) {
          if (need.need_id() == e.need_id()) {
            need.set_status(e.status());
            need.set_provider(e.provider());
          }
        }
      }),
      // Issue 22: an outcome changes the report the parties agreed to: their agreements lapse.
      Rule<ev::OutcomeRecorded>([](const auto& e, ReviewState* s, uint64_t position) {
        ev::OutcomeState* outcome = s->add_outcomes();
        outcome->set_outcome_id(e.outcome_id());
        outcome->set_article(e.article());
        outcome->set_chapter(e.chapter());
        outcome->set_kind(e.kind());
        outcome->set_text(e.text());
        *outcome->mutable_needs() = e.needs();
        outcome->set_recorded_on(e.on());
        outcome->set_position(position);
        s->clear_agreements();
      }),
      Rule<ev::RecommendationStatusChanged>([](const auto& e, ReviewState* s, uint64_t position) {
        for (ev::OutcomeState& outcome : *s->mutable_outcomes()) {
          if (outcome.outcome_id() != e.outcome_id()) continue;
          ev::OutcomeStatusStep* step = outcome.add_history();
          step->set_on(e.on());
          step->set_status(e.status());
          step->set_evidence(e.evidence());
          step->set_position(position);
        }
      }),
  };
  return *appliers;
}

}  // namespace

std::unique_ptr<google::protobuf::Message> NewReviewEvent(absl::string_view type) {
  if (!IsReviewEventType(type)) return nullptr;
  const google::protobuf::Descriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          absl::StrCat("irm.event.v1.", type));
  if (descriptor == nullptr) return nullptr;
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

bool IsReviewEventType(absl::string_view type) {
  return Appliers().count(std::string(type)) > 0;
}

std::vector<std::string> ReviewEventTypes() {
  std::vector<std::string> types;
  for (const auto& [type, applier] : Appliers()) types.push_back(type);
  return types;
}

absl::Status ApplyToReview(const log::EventRecord& record, ReviewState* state) {
  auto it = Appliers().find(record.type());
  if (it == Appliers().end()) {
    state->set_revision(record.revision());
    state->set_last_position(record.position());
    return absl::OkStatus();
  }
  std::unique_ptr<google::protobuf::Message> message = NewReviewEvent(record.type());
  if (record.content_type() != event::v1::CONTENT_TYPE_PROTOBUF ||
      !message->ParseFromString(record.data())) {
    return absl::DataLossError(absl::StrCat(
        "event at position ", record.position(), " (", record.type(), ", id ",
        common::UuidBytesToString(record.id()), ", in ", record.stream(),
        ") does not decode as protobuf irm.event.v1.", record.type()));
  }
  it->second(*message, state, record.position());
  state->set_revision(record.revision());
  state->set_last_position(record.position());
  return absl::OkStatus();
}

absl::StatusOr<ReviewState> FoldReview(const std::vector<log::EventRecord>& events) {
  ReviewState state;
  for (const log::EventRecord& record : events) {
    if (absl::Status s = ApplyToReview(record, &state); !s.ok()) return s;
  }
  return state;
}

}  // namespace irm::review
