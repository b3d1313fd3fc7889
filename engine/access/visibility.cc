#include "engine/access/visibility.h"

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "engine/domain/irg_sessions.h"
#include "engine/domain/review_stream.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "irm/event/v1/review_events.pb.h"
#include "nlohmann/json.hpp"

namespace irm::access {
namespace {

constexpr Visibility kPub = Visibility::kPublic;
constexpr Visibility kFld = Visibility::kFields;
constexpr Visibility kRes = Visibility::kRestricted;

std::vector<EventVisibility> BuildTable() {
  return {
      {"ReviewScheduled", kPub, kPub, {}, Opening::kNever},
      {"ReviewersDrawn", kPub, kPub, {}, Opening::kNever},
      {"ReviewLaunched", kPub, kPub, {}, Opening::kNever},
      // The focal point's name and e-mail are personal data.
      {"FocalPointAppointed", kFld, kFld, {"on"}, Opening::kNever},
      {"KickoffCallHeld", kPub, kPub, {}, Opening::kNever},
      // The checklist's content (any field but the date and the publish decision) is the
      // State's until it publishes the checklist.
      {"ChecklistSubmitted", kFld, kFld, {"on", "publish"}, Opening::kChecklistPublished},
      // The desk review and the draft report are part of the report: confidential until the
      // State publishes the full report.
      {"DeskReviewCompleted", kFld, kFld, {"on"}, Opening::kReportPublished},
      {"CountryVisitHeld", kPub, kPub, {}, Opening::kNever},
      {"JointMeetingHeld", kPub, kPub, {}, Opening::kNever},
      {"DirectDialogueDeclined", kPub, kPub, {}, Opening::kNever},
      // Why a visit was postponed is free text between the State and the reviewers.
      {"CountryVisitPostponed", kFld, kFld, {"on"}, Opening::kNever},
      {"DraftReportCirculated", kFld, kFld, {"on"}, Opening::kReportPublished},
      {"ExecutiveSummaryApproved", kPub, kPub, {}, Opening::kNever},
      {"ExecutiveSummaryIssued", kPub, kPub, {}, Opening::kNever},
      {"FullReportPublished", kPub, kPub, {}, Opening::kNever},
      {"PublicationDeclined", kPub, kPub, {}, Opening::kNever},
      {"ChecklistPublished", kPub, kPub, {}, Opening::kNever},
      {"ReviewerRedrawRequested", kPub, kPub, {}, Opening::kNever},
      {"ReviewerWithdrew", kPub, kPub, {}, Opening::kNever},
      {"ReviewDeferred", kPub, kPub, {}, Opening::kNever},
      // Observers get aggregated needs only; members see the record without its free text
      // until the State publishes the full report (which sets the needs out).
      {"NeedIdentified", kRes, kFld,
       {"on", "need_id", "article", "chapter", "category", "priority"},
       Opening::kReportPublished},
      {"NeedStatusChanged", kRes, kPub, {}, Opening::kNever},
      // Issue 21, sections 4-5: who agreed to the final report, and when, is as public as the
      // approval it leads to; circulation and the desk review call are dates only.
      {"ReportAgreed", kPub, kPub, {}, Opening::kNever},
      {"ChecklistCirculated", kPub, kPub, {}, Opening::kNever},
      {"DeskReviewTeleconferenceHeld", kPub, kPub, {}, Opening::kNever},
      // Issue 22: outcomes are public once the executive summary that carries them is
      // issued; before that observers get none and members no texts, as for needs.
      {"OutcomeRecorded", kRes, kFld,
       {"on", "outcome_id", "article", "chapter", "kind", "needs", "agreements_voided"},
       Opening::kSummaryIssued, Opening::kSummaryIssued},
      {"RecommendationStatusChanged", kRes, kFld, {"on", "outcome_id", "status"},
       Opening::kSummaryIssued, Opening::kSummaryIssued},
  };
}

bool Opened(Opening opening, const ReviewPublication& publication) {
  switch (opening) {
    case Opening::kNever:
      return false;
    case Opening::kReportPublished:
      return publication.report_published;
    case Opening::kChecklistPublished:
      return publication.checklist_published;
    case Opening::kSummaryIssued:
      return publication.summary_issued;
  }
  return false;
}

bool Kept(const EventVisibility& row, absl::string_view field) {
  return std::find(row.public_fields.begin(), row.public_fields.end(), field) !=
         row.public_fields.end();
}

// The data of a protobuf event with only the row's public fields; nullopt if it does not decode.
std::optional<std::string> StripProto(const EventVisibility& row, const std::string& data) {
  const google::protobuf::FileDescriptor* file =
      event::v1::ReviewScheduled::descriptor()->file();
  const google::protobuf::Descriptor* descriptor =
      file->FindMessageTypeByName(std::string(row.type));
  if (descriptor == nullptr) return std::nullopt;
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  if (!message->ParseFromString(data)) return std::nullopt;
  const google::protobuf::Reflection* reflection = message->GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (!Kept(row, field->name())) reflection->ClearField(message.get(), field);
  }
  reflection->MutableUnknownFields(message.get())->Clear();
  return message->SerializeAsString();
}

std::optional<std::string> StripJson(const EventVisibility& row, const std::string& data) {
  nlohmann::ordered_json value =
      nlohmann::ordered_json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  nlohmann::ordered_json kept = nlohmann::ordered_json::object();
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (Kept(row, it.key())) kept[it.key()] = it.value();
  }
  return kept.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void RedactMetadata(event::v1::EventMetadata* metadata) {
  metadata->mutable_actor()->clear_name();
  metadata->clear_custom_json();
  metadata->clear_request_id();
  metadata->clear_imported_from();
}

}  // namespace

absl::Span<const EventVisibility> VisibilityTable() {
  static const std::vector<EventVisibility>* table =
      new std::vector<EventVisibility>(BuildTable());
  return *table;
}

const EventVisibility* FindVisibility(absl::string_view type) {
  for (const EventVisibility& row : VisibilityTable()) {
    if (row.type == type) return &row;
  }
  return nullptr;
}

ReviewParties PartiesOf(const event::v1::ReviewState& review) {
  ReviewParties parties;
  parties.state = review.state();
  for (const std::string& reviewer : review.reviewers()) {
    if (!reviewer.empty()) parties.reviewers.push_back(reviewer);
  }
  return parties;
}

ReviewPublication PublicationOf(const event::v1::ReviewState& review) {
  ReviewPublication publication;
  publication.report_published = review.publication() == "published";
  publication.checklist_published = review.checklist_published();
  publication.summary_issued = !review.summary_issued_on().empty();
  return publication;
}

Audience BaseAudience(const Principal& principal) {
  switch (principal.role) {
    case Role::kSecretariat:
    case Role::kAuditor:
      return Audience::kFull;
    case Role::kObserver:
      return Audience::kPublic;
    case Role::kFocalPoint:
    case Role::kReviewer:
      return Audience::kMember;
  }
  return Audience::kPublic;
}

Audience AudienceFor(const Principal& principal, const ReviewParties& parties) {
  if (principal.role == Role::kFocalPoint && !parties.state.empty() &&
      principal.state == parties.state) {
    return Audience::kFull;
  }
  if (principal.role == Role::kReviewer && !principal.state.empty() &&
      std::find(parties.reviewers.begin(), parties.reviewers.end(), principal.state) !=
          parties.reviewers.end()) {
    return Audience::kFull;
  }
  return BaseAudience(principal);
}

bool IsOpenStream(absl::string_view stream) {
  return domain::IsReviewStream(stream) || domain::IsDeadlineStream(stream) ||
         domain::IsIrgSessionsStream(stream);
}

std::optional<event::v1::EventRecord> ViewOfEvent(const event::v1::EventRecord& record,
                                                  Audience audience,
                                                  const ReviewPublication& publication) {
  if (audience == Audience::kFull) return record;
  // Deadlines passed (whose step was due when, docs/deadlines.md) and IRG sessions (issue 21
  // section 3) are public facts; who recorded them is not.
  const bool deadline = domain::IsDeadlineStream(record.stream());
  if (deadline && record.type() != "DeadlinePassed") return std::nullopt;  // review::kDeadlinePassedType
  if (deadline || domain::IsIrgSessionsStream(record.stream())) {
    event::v1::EventRecord view = record;
    RedactMetadata(view.mutable_metadata());
    return view;
  }
  if (!domain::IsReviewStream(record.stream())) return std::nullopt;
  const EventVisibility* row = FindVisibility(record.type());
  if (row == nullptr) return std::nullopt;
  Visibility visibility = audience == Audience::kPublic ? row->to_public : row->to_members;
  if (row->released_by != Opening::kNever && Opened(row->released_by, publication)) {
    visibility = Visibility::kPublic;
  }
  if (visibility == Visibility::kFields && Opened(row->opened_by, publication)) {
    visibility = Visibility::kPublic;
  }
  if (visibility == Visibility::kRestricted) return std::nullopt;
  event::v1::EventRecord view = record;
  RedactMetadata(view.mutable_metadata());
  if (visibility == Visibility::kPublic) return view;
  std::optional<std::string> data;
  switch (record.content_type()) {
    case event::v1::CONTENT_TYPE_PROTOBUF:
      data = StripProto(*row, record.data());
      break;
    case event::v1::CONTENT_TYPE_JSON:
      data = StripJson(*row, record.data());
      break;
    default:
      break;
  }
  if (!data.has_value()) return std::nullopt;
  view.set_data(*std::move(data));
  return view;
}

ReviewAccess AccessNow(const Principal& principal, const event::v1::ReviewState& now) {
  ReviewAccess access;
  access.audience = AudienceFor(principal, PartiesOf(now));
  access.publication = PublicationOf(now);
  return access;
}

namespace {

event::v1::ReviewState ViewOfReviewWith(const event::v1::ReviewState& review, Audience audience,
                                        const ReviewPublication& publication) {
  if (audience == Audience::kFull) return review;
  event::v1::ReviewState view = review;
  view.clear_focal_point();
  view.clear_needs();
  if (audience == Audience::kMember) {
    for (const event::v1::NeedState& need : review.needs()) {
      if (auto kept = ViewOfNeed(need, audience, publication)) {
        *view.add_needs() = *std::move(kept);
      }
    }
  }
  if (!publication.summary_issued) {
    view.clear_outcomes();
    if (audience == Audience::kMember) {
      for (const event::v1::OutcomeState& outcome : review.outcomes()) {
        *view.add_outcomes() = ViewOfOutcome(outcome, audience, publication).value();
      }
    }
  }
  return view;
}

}  // namespace

event::v1::ReviewState ViewOfReview(const event::v1::ReviewState& review, Audience audience) {
  return ViewOfReviewWith(review, audience, PublicationOf(review));
}

event::v1::ReviewState ViewOfPastReview(const event::v1::ReviewState& then,
                                        const ReviewAccess& access) {
  return ViewOfReviewWith(then, access.audience, access.publication);
}

std::optional<event::v1::OutcomeState> ViewOfOutcome(const event::v1::OutcomeState& outcome,
                                                    Audience audience,
                                                    const ReviewPublication& publication) {
  if (audience == Audience::kFull || publication.summary_issued) return outcome;
  if (audience == Audience::kPublic) return std::nullopt;
  event::v1::OutcomeState view = outcome;
  view.clear_text();
  for (event::v1::OutcomeStatusStep& step : *view.mutable_history()) step.clear_evidence();
  return view;
}

std::optional<event::v1::NeedState> ViewOfNeed(const event::v1::NeedState& need,
                                               Audience audience,
                                               const ReviewPublication& publication) {
  if (audience == Audience::kPublic) return std::nullopt;
  event::v1::NeedState view = need;
  if (audience == Audience::kMember && !publication.report_published) view.clear_text();
  return view;
}

}  // namespace irm::access
