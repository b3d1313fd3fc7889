// Fuzz target: workflow commands checked by the review rules. The input picks a workflow
// event type, a review state (any bytes parsed as ReviewState: states the fold never makes
// included), the State and cycle, and the event's fields (any bytes parsed as that event).
// PrepareStep must refuse with one of its documented codes or accept; an accepted event,
// stored as the workflow stores it, must fold into the state without error.
//
// Layout: [type][flags: bit0 exists, bit1 cycle 2][state index][len lo][len hi]
//         [len bytes of ReviewState][the rest: the event message]
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "engine/review/review_fold.h"
#include "engine/review/review_rules.h"
#include "fuzz/fuzz_check.h"

namespace {

constexpr const char* kTypes[] = {
    "ReviewScheduled",        "ReviewersDrawn",          "ReviewLaunched",
    "FocalPointAppointed",    "KickoffCallHeld",         "ChecklistSubmitted",
    "DeskReviewCompleted",    "CountryVisitHeld",        "JointMeetingHeld",
    "DirectDialogueDeclined", "CountryVisitPostponed",   "DraftReportCirculated",
    "ExecutiveSummaryApproved", "ExecutiveSummaryIssued", "FullReportPublished",
    "PublicationDeclined",    "ChecklistPublished",      "ReviewerRedrawRequested",
    "ReviewerWithdrew",       "ReviewDeferred",          "NeedIdentified",
    "NeedStatusChanged",      "ReportAgreed",            "ChecklistCirculated",
    "DeskReviewTeleconferenceHeld",
};
constexpr const char* kStates[] = {"KEN", "FRA", "BRA", "CHN", "XXX", "", "ken", "K\xff"};

bool Allowed(absl::StatusCode code) {
  return code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kNotFound ||
         code == absl::StatusCode::kFailedPrecondition;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 5) return 0;
  const char* type = kTypes[data[0] % (sizeof(kTypes) / sizeof(kTypes[0]))];
  const bool exists = data[1] & 1;
  const int cycle = (data[1] & 2) ? 2 : 1;
  const std::string state_code = kStates[data[2] % (sizeof(kStates) / sizeof(kStates[0]))];
  const size_t state_len = std::min<size_t>(size - 5, data[3] | (data[4] << 8));
  irm::review::ReviewState review;
  if (!review.ParseFromArray(data + 5, static_cast<int>(state_len))) return 0;
  std::unique_ptr<google::protobuf::Message> event = irm::review::NewReviewEvent(type);
  FUZZ_CHECK(event != nullptr, type);
  const size_t rest = size - 5 - state_len;
  if (!event->ParseFromArray(data + 5 + state_len, static_cast<int>(rest))) return 0;

  irm::review::StepContext ctx;
  ctx.today = absl::CivilDay(2026, 11, 30);
  ctx.actor.set_name("fuzz");
  ctx.actor.set_role("secretariat");
  absl::Status prepared =
      irm::review::PrepareStep(review, exists, state_code, cycle, event.get(), ctx);
  (void)irm::review::AllowedNext(review);
  if (!prepared.ok()) {
    FUZZ_CHECK(Allowed(prepared.code()), prepared.ToString());
    return 0;
  }
  irm::log::EventRecord record;
  record.set_position(1);
  record.set_stream("review-" + state_code + "-" + std::to_string(cycle));
  record.set_type(type);
  record.set_content_type(irm::event::v1::CONTENT_TYPE_PROTOBUF);
  record.set_data(event->SerializeAsString());
  absl::Status folded = irm::review::ApplyToReview(record, &review);
  FUZZ_CHECK(folded.ok(), folded.ToString());
  (void)irm::review::AllowedNext(review);
  return 0;
}
