#include "services/review/review_command_events.h"

#include "engine/common/error_details.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::services {
namespace {

namespace ev = ::irm::event::v1;
using Command = api::v1::ReviewCommand;
using Event = std::unique_ptr<google::protobuf::Message>;

template <typename T>
std::unique_ptr<T> WithDate(const Command& command) {
  auto event = std::make_unique<T>();
  event->set_on(command.on());
  return event;
}

}  // namespace

absl::StatusOr<Event> EventForCommand(const Command& command) {
  switch (command.command_case()) {
    case Command::kSchedule: {
      auto e = WithDate<ev::ReviewScheduled>(command);
      e->set_year(command.schedule().year());
      return Event(std::move(e));
    }
    case Command::kLaunch:
      return Event(WithDate<ev::ReviewLaunched>(command));
    case Command::kFocalPoint: {
      auto e = WithDate<ev::FocalPointAppointed>(command);
      e->set_name(command.focal_point().name());
      e->set_email(command.focal_point().email());
      return Event(std::move(e));
    }
    case Command::kKickoff: {
      auto e = WithDate<ev::KickoffCallHeld>(command);
      e->set_checklist_due(command.kickoff().checklist_due());
      for (const std::string& language : command.kickoff().languages()) e->add_languages(language);
      e->set_division(command.kickoff().division());
      return Event(std::move(e));
    }
    case Command::kChecklist: {
      auto e = WithDate<ev::ChecklistSubmitted>(command);
      e->set_publish(command.checklist().publish());
      return Event(std::move(e));
    }
    case Command::kDeskReview:
      return Event(WithDate<ev::DeskReviewCompleted>(command));
    case Command::kVisit: {
      auto e = WithDate<ev::CountryVisitHeld>(command);
      e->set_from(command.visit().from());
      e->set_to(command.visit().to());
      return Event(std::move(e));
    }
    case Command::kJointMeeting:
      return Event(WithDate<ev::JointMeetingHeld>(command));
    case Command::kNoDialogue:
      return Event(WithDate<ev::DirectDialogueDeclined>(command));
    case Command::kPostponeVisit: {
      auto e = WithDate<ev::CountryVisitPostponed>(command);
      e->set_reason(command.postpone_visit().reason());
      return Event(std::move(e));
    }
    case Command::kDraft:
      return Event(WithDate<ev::DraftReportCirculated>(command));
    case Command::kApproveSummary:
      return Event(WithDate<ev::ExecutiveSummaryApproved>(command));
    case Command::kIssueSummary: {
      auto e = WithDate<ev::ExecutiveSummaryIssued>(command);
      e->set_symbol(command.issue_summary().symbol());
      return Event(std::move(e));
    }
    case Command::kPublish:
      return Event(WithDate<ev::FullReportPublished>(command));
    case Command::kDeclinePublication:
      return Event(WithDate<ev::PublicationDeclined>(command));
    case Command::kPublishChecklist:
      return Event(WithDate<ev::ChecklistPublished>(command));
    case Command::kWithdraw: {
      auto e = WithDate<ev::ReviewerWithdrew>(command);
      e->set_reviewer(command.withdraw().reviewer());
      return Event(std::move(e));
    }
    case Command::kDefer: {
      auto e = WithDate<ev::ReviewDeferred>(command);
      e->set_to_year(command.defer().year());
      return Event(std::move(e));
    }
    case Command::kAddNeed: {
      auto e = WithDate<ev::NeedIdentified>(command);
      e->set_article(command.add_need().article());
      e->set_category(command.add_need().category());
      e->set_text(command.add_need().text());
      e->set_priority(command.add_need().priority());
      return Event(std::move(e));
    }
    case Command::kNeedStatus: {
      auto e = WithDate<ev::NeedStatusChanged>(command);
      e->set_need_id(command.need_status().need_id());
      e->set_status(command.need_status().status());
      e->set_provider(command.need_status().provider());
      return Event(std::move(e));
    }
    case Command::kAgree: {
      auto e = WithDate<ev::ReportAgreed>(command);
      e->set_party(command.agree().party());
      return Event(std::move(e));
    }
    case Command::kCirculateChecklist:
      return Event(WithDate<ev::ChecklistCirculated>(command));
    case Command::kDeskReviewCall:
      return Event(WithDate<ev::DeskReviewTeleconferenceHeld>(command));
    case Command::kAddOutcome: {
      auto e = WithDate<ev::OutcomeRecorded>(command);
      e->set_article(command.add_outcome().article());
      e->set_kind(command.add_outcome().kind());
      e->set_text(command.add_outcome().text());
      *e->mutable_needs() = command.add_outcome().needs();
      return Event(std::move(e));
    }
    case Command::kRecommendationStatus: {
      auto e = WithDate<ev::RecommendationStatusChanged>(command);
      e->set_outcome_id(command.recommendation_status().outcome_id());
      e->set_status(command.recommendation_status().status());
      e->set_evidence(command.recommendation_status().evidence());
      return Event(std::move(e));
    }
    case Command::kAssignReviewers:
    case Command::kRedraw:
      return Event();
    case Command::COMMAND_NOT_SET:
      break;
  }
  return common::InvalidField(
      "command", "VALUE_REQUIRED",
      "the command is empty: set one of schedule, launch, checklist, ... (see review.proto)");
}

}  // namespace irm::services
