#include "engine/access/visibility.h"

#include <map>
#include <memory>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::access {
namespace {

namespace pb = google::protobuf;
using FieldSet = std::set<std::string>;

const pb::FileDescriptor* EventsFile() { return event::v1::ReviewScheduled::descriptor()->file(); }

// An event of `type` with every field set, in a record of stream review-KEN-2.
event::v1::EventRecord FullRecord(const std::string& type) {
  const pb::Descriptor* descriptor = EventsFile()->FindMessageTypeByName(type);
  std::unique_ptr<pb::Message> message(
      pb::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
  const pb::Reflection* r = message->GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const pb::FieldDescriptor* f = descriptor->field(i);
    std::string text = "secret-" + f->name();
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_STRING:
        f->is_repeated() ? r->AddString(message.get(), f, text) : r->SetString(message.get(), f, text);
        break;
      case pb::FieldDescriptor::CPPTYPE_INT32:
        f->is_repeated() ? r->AddInt32(message.get(), f, 7) : r->SetInt32(message.get(), f, 7);
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        f->is_repeated() ? r->AddUInt64(message.get(), f, 7) : r->SetUInt64(message.get(), f, 7);
        break;
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        f->is_repeated() ? r->AddBool(message.get(), f, true) : r->SetBool(message.get(), f, true);
        break;
      default:
        ADD_FAILURE() << type << "." << f->name() << ": field kind not covered by this test";
    }
  }
  event::v1::EventRecord record;
  record.set_position(9);
  record.set_stream("review-KEN-2");
  record.set_type(type);
  record.set_content_type(event::v1::CONTENT_TYPE_PROTOBUF);
  record.set_data(message->SerializeAsString());
  record.mutable_metadata()->set_recorded_at_us(1234);
  record.mutable_metadata()->mutable_actor()->set_name("Ana Ruiz");
  record.mutable_metadata()->mutable_actor()->set_role("focal_point");
  record.mutable_metadata()->mutable_actor()->set_state("KEN");
  record.mutable_metadata()->set_custom_json("{\"note\":\"secret\"}");
  return record;
}

// The names of the fields set in `record`'s data.
FieldSet FieldsOf(const event::v1::EventRecord& record) {
  const pb::Descriptor* descriptor = EventsFile()->FindMessageTypeByName(record.type());
  std::unique_ptr<pb::Message> message(
      pb::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
  EXPECT_TRUE(message->ParseFromString(record.data()));
  std::vector<const pb::FieldDescriptor*> set;
  message->GetReflection()->ListFields(*message, &set);
  FieldSet names;
  for (const auto* f : set) names.insert(f->name());
  return names;
}

FieldSet AllFields(const std::string& type) {
  const pb::Descriptor* descriptor = EventsFile()->FindMessageTypeByName(type);
  FieldSet names;
  for (int i = 0; i < descriptor->field_count(); ++i) names.insert(descriptor->field(i)->name());
  return names;
}

// The policy, written out independently of the table: what reaches an observer before and
// after the State publishes, and what reaches a member (focal point/reviewer outside the
// review). "*": every field; "-": no event at all.
struct Expected {
  FieldSet observer;
  FieldSet observer_published;
  FieldSet member;
};
const FieldSet kAll = {"*"};
const FieldSet kNone = {"-"};

const std::map<std::string, Expected>& Policy() {
  static const auto* policy = new std::map<std::string, Expected>{
      {"ReviewScheduled", {kAll, kAll, kAll}},
      {"ReviewersDrawn", {kAll, kAll, kAll}},
      {"ReviewLaunched", {kAll, kAll, kAll}},
      {"FocalPointAppointed", {{"on"}, {"on"}, {"on"}}},
      {"KickoffCallHeld", {kAll, kAll, kAll}},
      {"ChecklistSubmitted", {{"on", "publish"}, kAll, {"on", "publish"}}},
      {"DeskReviewCompleted", {{"on"}, kAll, {"on"}}},
      {"CountryVisitHeld", {kAll, kAll, kAll}},
      {"JointMeetingHeld", {kAll, kAll, kAll}},
      {"DirectDialogueDeclined", {kAll, kAll, kAll}},
      {"CountryVisitPostponed", {{"on"}, {"on"}, {"on"}}},
      {"DraftReportCirculated", {{"on"}, kAll, {"on"}}},
      {"ExecutiveSummaryApproved", {kAll, kAll, kAll}},
      {"ExecutiveSummaryIssued", {kAll, kAll, kAll}},
      {"FullReportPublished", {kAll, kAll, kAll}},
      {"PublicationDeclined", {kAll, kAll, kAll}},
      {"ChecklistPublished", {kAll, kAll, kAll}},
      {"ReviewerRedrawRequested", {kAll, kAll, kAll}},
      {"ReviewerWithdrew", {kAll, kAll, kAll}},
      {"ReviewDeferred", {kAll, kAll, kAll}},
      {"NeedIdentified",
       {kNone, kNone, {"on", "need_id", "article", "chapter", "category", "priority"}}},
      {"NeedStatusChanged", {kNone, kNone, kAll}},
      {"ReportAgreed", {kAll, kAll, kAll}},
      {"ChecklistCirculated", {kAll, kAll, kAll}},
      {"DeskReviewTeleconferenceHeld", {kAll, kAll, kAll}},
      // Issue 22: until the summary is issued (publication does not open them).
      {"OutcomeRecorded",
       {kNone, kNone,
        {"on", "outcome_id", "article", "chapter", "kind", "needs", "agreements_voided"}}},
      {"RecommendationStatusChanged", {kNone, kNone, {"on", "outcome_id", "status"}}},
  };
  return *policy;
}

// Checks the view of every event type for one audience against `want`.
void CheckView(const std::string& type, Audience audience, const ReviewPublication& publication,
               const FieldSet& want) {
  SCOPED_TRACE(type);
  std::optional<event::v1::EventRecord> view = ViewOfEvent(FullRecord(type), audience, publication);
  if (want == kNone) {
    EXPECT_FALSE(view.has_value());
    return;
  }
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(FieldsOf(*view), want == kAll ? AllFields(type) : want);
  EXPECT_EQ(view->metadata().actor().name(), "");
  EXPECT_EQ(view->metadata().actor().role(), "focal_point");
  EXPECT_EQ(view->metadata().custom_json(), "");
  EXPECT_EQ(view->metadata().recorded_at_us(), 1234);
}

TEST(VisibilityTest, EveryEventTypeHasAVisibilityAndAPolicy) {
  const pb::FileDescriptor* file = EventsFile();
  for (int i = 0; i < file->message_type_count(); ++i) {
    const std::string type = file->message_type(i)->name();
    const EventVisibility* row = FindVisibility(type);
    EXPECT_NE(row, nullptr) << type << " has no visibility: add a row to VisibilityTable()";
    EXPECT_EQ(Policy().count(type), 1u) << type << " has no expected policy in this test";
  }
  EXPECT_EQ(VisibilityTable().size(), static_cast<size_t>(file->message_type_count()));
  for (const EventVisibility& row : VisibilityTable()) {
    const pb::Descriptor* descriptor = file->FindMessageTypeByName(std::string(row.type));
    ASSERT_NE(descriptor, nullptr) << row.type << " is no message of review_events.proto";
    for (absl::string_view field : row.public_fields) {
      EXPECT_NE(descriptor->FindFieldByName(std::string(field)), nullptr)
          << row.type << " has no field " << field;
    }
  }
}

TEST(VisibilityTest, ObserversBeforePublication) {
  for (const auto& [type, expected] : Policy()) {
    CheckView(type, Audience::kPublic, ReviewPublication{}, expected.observer);
  }
}

TEST(VisibilityTest, ObserversAfterPublication) {
  for (const auto& [type, expected] : Policy()) {
    CheckView(type, Audience::kPublic, ReviewPublication{true, true},
              expected.observer_published);
  }
}

TEST(VisibilityTest, ChecklistAndReportOpenSeparately) {
  CheckView("ChecklistSubmitted", Audience::kPublic, ReviewPublication{true, false},
            {"on", "publish"});
  CheckView("DraftReportCirculated", Audience::kPublic, ReviewPublication{false, true}, {"on"});
}

TEST(VisibilityTest, MembersOutsideTheReview) {
  for (const auto& [type, expected] : Policy()) {
    CheckView(type, Audience::kMember, ReviewPublication{}, expected.member);
  }
}

TEST(VisibilityTest, OutcomesArePublicOnceTheSummaryIsIssued) {
  ReviewPublication issued;
  issued.summary_issued = true;
  for (const char* type : {"OutcomeRecorded", "RecommendationStatusChanged"}) {
    CheckView(type, Audience::kPublic, issued, kAll);
    CheckView(type, Audience::kMember, issued, kAll);
  }
  // Issuing the summary opens nothing else.
  CheckView("NeedIdentified", Audience::kPublic, issued, kNone);
  CheckView("DraftReportCirculated", Audience::kPublic, issued, {"on"});

  event::v1::ReviewState review;
  review.set_state("KEN");
  event::v1::OutcomeState* outcome = review.add_outcomes();
  outcome->set_outcome_id("KEN-2-R1");
  outcome->set_text("t");
  outcome->add_history()->set_evidence("e");
  EXPECT_EQ(ViewOfReview(review, Audience::kPublic).outcomes_size(), 0);
  event::v1::ReviewState member = ViewOfReview(review, Audience::kMember);
  ASSERT_EQ(member.outcomes_size(), 1);
  EXPECT_EQ(member.outcomes(0).outcome_id(), "KEN-2-R1");
  EXPECT_EQ(member.outcomes(0).text(), "");
  EXPECT_EQ(member.outcomes(0).history(0).evidence(), "");
  EXPECT_EQ(ViewOfReview(review, Audience::kFull).outcomes(0).text(), "t");
  review.set_summary_issued_on("2017-01-10");
  EXPECT_EQ(ViewOfReview(review, Audience::kPublic).outcomes(0).text(), "t");
  EXPECT_EQ(ViewOfReview(review, Audience::kPublic).outcomes(0).history(0).evidence(), "e");
  // A past view follows the summary of now.
  ReviewAccess access;
  access.audience = Audience::kPublic;
  review.clear_summary_issued_on();
  EXPECT_EQ(ViewOfPastReview(review, access).outcomes_size(), 0);
  access.publication.summary_issued = true;
  EXPECT_EQ(ViewOfPastReview(review, access).outcomes_size(), 1);
}

TEST(VisibilityTest, MembersSeeNeedTextOncePublished) {
  CheckView("NeedIdentified", Audience::kMember, ReviewPublication{true, false}, kAll);
  CheckView("NeedIdentified", Audience::kMember, ReviewPublication{false, true},
            {"on", "need_id", "article", "chapter", "category", "priority"});
  CheckView("NeedIdentified", Audience::kPublic, ReviewPublication{true, true}, kNone);
  event::v1::NeedState need;
  need.set_text("t");
  EXPECT_EQ(ViewOfNeed(need, Audience::kMember, ReviewPublication{true, false})->text(), "t");
  EXPECT_EQ(ViewOfNeed(need, Audience::kMember)->text(), "");
}

TEST(VisibilityTest, FullAudienceGetsRecordUnchanged) {
  for (const auto& [type, expected] : Policy()) {
    event::v1::EventRecord record = FullRecord(type);
    auto view = ViewOfEvent(record, Audience::kFull, ReviewPublication{});
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->SerializeAsString(), record.SerializeAsString()) << type;
  }
}

TEST(VisibilityTest, UnknownTypesAndOtherStreamsAreWithheld) {
  event::v1::EventRecord record = FullRecord("ReviewLaunched");
  record.set_type("SomethingNew");
  EXPECT_FALSE(ViewOfEvent(record, Audience::kPublic, {}).has_value());
  EXPECT_FALSE(ViewOfEvent(record, Audience::kMember, {}).has_value());
  record = FullRecord("ReviewLaunched");
  record.set_stream("notes");
  EXPECT_FALSE(ViewOfEvent(record, Audience::kPublic, {}).has_value());
  EXPECT_TRUE(ViewOfEvent(record, Audience::kFull, {}).has_value());
}

TEST(VisibilityTest, JsonContentKeepsOnlyPublicKeys) {
  event::v1::EventRecord record = FullRecord("DraftReportCirculated");
  record.set_content_type(event::v1::CONTENT_TYPE_JSON);
  record.set_data("{\"on\":\"2020-01-02\",\"content\":\"secret draft\"}");
  auto view = ViewOfEvent(record, Audience::kPublic, {});
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->data(), "{\"on\":\"2020-01-02\"}");
  record.set_data("not json");
  EXPECT_FALSE(ViewOfEvent(record, Audience::kPublic, {}).has_value());
}

TEST(VisibilityTest, AudiencesFollowRolesAndParties) {
  ReviewParties ken{"KEN", {"FRA", "UGA"}};
  EXPECT_EQ(AudienceFor({"s", Role::kSecretariat, ""}, ken), Audience::kFull);
  EXPECT_EQ(AudienceFor({"a", Role::kAuditor, ""}, ken), Audience::kFull);
  EXPECT_EQ(AudienceFor({"o", Role::kObserver, ""}, ken), Audience::kPublic);
  EXPECT_EQ(AudienceFor({"f", Role::kFocalPoint, "KEN"}, ken), Audience::kFull);
  EXPECT_EQ(AudienceFor({"f", Role::kFocalPoint, "FRA"}, ken), Audience::kMember);
  EXPECT_EQ(AudienceFor({"r", Role::kReviewer, "UGA"}, ken), Audience::kFull);
  EXPECT_EQ(AudienceFor({"r", Role::kReviewer, "KEN"}, ken), Audience::kMember);
  EXPECT_EQ(AudienceFor({"r", Role::kReviewer, "BRA"}, ken), Audience::kMember);
}

TEST(VisibilityTest, ReviewViews) {
  event::v1::ReviewState review;
  review.set_state("KEN");
  review.add_reviewers("FRA");
  review.add_reviewers("");
  review.set_focal_point("Ana Ruiz");
  review.set_publication("published");
  event::v1::NeedState* need = review.add_needs();
  need->set_need_id("KEN-2-1");
  need->set_text("secret text");
  EXPECT_EQ(PartiesOf(review).reviewers, std::vector<std::string>{"FRA"});
  EXPECT_TRUE(PublicationOf(review).report_published);
  EXPECT_FALSE(PublicationOf(review).checklist_published);

  event::v1::ReviewState pub = ViewOfReview(review, Audience::kPublic);
  EXPECT_EQ(pub.focal_point(), "");
  EXPECT_EQ(pub.needs_size(), 0);
  EXPECT_EQ(pub.state(), "KEN");
  EXPECT_EQ(pub.reviewers_size(), 2);
  event::v1::ReviewState member = ViewOfReview(review, Audience::kMember);
  ASSERT_EQ(member.needs_size(), 1);
  EXPECT_EQ(member.needs(0).need_id(), "KEN-2-1");
  EXPECT_EQ(member.needs(0).text(), "secret text");  // the report is published
  review.set_publication("declined");
  EXPECT_EQ(ViewOfReview(review, Audience::kMember).needs(0).text(), "");
  EXPECT_EQ(ViewOfReview(review, Audience::kFull).SerializeAsString(),
            review.SerializeAsString());
  EXPECT_FALSE(ViewOfNeed(review.needs(0), Audience::kPublic).has_value());
}

// A history in which FRA was drawn for KEN-2 when restricted facts were recorded (the focal
// point's name, a need's text, the checklist, a draft report) and withdrew later; BRA was
// drawn in its place. Every view of that past, at every position, is judged on the review
// as it stands now: FRA sees what any other reviewer sees, BRA what a party sees.
TEST(VisibilityTest, AccessToThePastIsJudgedOnThePartiesOfNow) {
  const Principal fra{"Remy Fournier", Role::kReviewer, "FRA"};
  const Principal bra{"Bruna Alves", Role::kReviewer, "BRA"};
  event::v1::ReviewState then;  // as it stood at the as-of position
  then.set_state("KEN");
  then.add_reviewers("UGA");
  then.add_reviewers("FRA");
  then.set_focal_point("Ana Ruiz");
  event::v1::NeedState* need = then.add_needs();
  need->set_need_id("KEN-2-1");
  need->set_text("secret need text");
  event::v1::ReviewState now = then;  // FRA withdrew, BRA was drawn
  now.set_reviewers(1, "BRA");
  now.set_revision(then.revision() + 2);
  // The trap: judged on the parties of then, FRA would see everything.
  ASSERT_EQ(AudienceFor(fra, PartiesOf(then)), Audience::kFull);

  const ReviewAccess fra_now = AccessNow(fra, now);
  EXPECT_EQ(fra_now.audience, Audience::kMember);
  const event::v1::ReviewState fra_view = ViewOfPastReview(then, fra_now);
  EXPECT_EQ(fra_view.focal_point(), "");
  ASSERT_EQ(fra_view.needs_size(), 1);
  EXPECT_EQ(fra_view.needs(0).text(), "") << "the report is not published now";
  for (const char* type : {"FocalPointAppointed", "NeedIdentified"}) {
    const event::v1::EventRecord record = FullRecord(type);
    std::optional<event::v1::EventRecord> seen =
        ViewOfEvent(record, fra_now.audience, fra_now.publication);
    if (!seen.has_value()) continue;
    EXPECT_NE(seen->data(), record.data()) << type << ": restricted fields kept for a former party";
    EXPECT_EQ(seen->metadata().actor().name(), "") << type;
  }

  const ReviewAccess bra_now = AccessNow(bra, now);
  EXPECT_EQ(bra_now.audience, Audience::kFull) << "drawn now: sees the review's whole past";
  EXPECT_EQ(ViewOfPastReview(then, bra_now).focal_point(), "Ana Ruiz");

  // A publication recorded after the as-of position opens the past for members too.
  now.set_publication("published");
  EXPECT_EQ(ViewOfPastReview(then, AccessNow(fra, now)).needs(0).text(), "secret need text");
  EXPECT_EQ(ViewOfPastReview(then, AccessNow(fra, now)).focal_point(), "");
}

}  // namespace
}  // namespace irm::access
