// The synthetic sample data set's plan for one review: which workflow steps it goes through,
// with which business dates, and which technical-assistance needs it identifies. Clearly
// synthetic: names, e-mails and need texts say so.
//
// A plan is a pure function of (seed, cycle, State, review year, region): the same inputs
// give the same plan on every machine (own splitmix64 generator, no std distributions), so
// `irm sample load` can compare a review's current stage with its plan and do only the rest.
//
// Shape of the data (domain.md): cycle 1 launches year by year in 2010-2014 and nearly all
// reviews complete, about 8 % stopping earlier; cycle 2 launches in 2016-2019 (year 5:
// 2020), about a third complete, many are in progress, some of year 4 are not launched.
// Step dates follow the guidelines' schedule with overruns, never after 2024-06-28 (the
// sample's last day); most unfinished reviews moved recently, so only some are overdue then.
// Most checklists are circulated, many reviews hold a desk review call, and every approval
// follows the three agreements; these come from a generator of their own, so they leave the
// other choices (and the figures they make) as they were.
//
// Thread-safe (no shared state).
#ifndef IRM_CLI_ADMIN_SAMPLE_PLAN_H_
#define IRM_CLI_ADMIN_SAMPLE_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "irm/api/v1/review.pb.h"

namespace irm::cli {

struct SampleNeed {
  api::v1::ReviewCommand add;     // an AddNeed command
  std::string status;             // "" (stays identified) or the status it moves to
  api::v1::ReviewCommand change;  // the ChangeNeedStatus command, need_id left empty
};

// One party's agreement to the final report (issue 21): `slot` 0 is the State under review,
// 1 and 2 the reviewer in that slot, whose code the loader takes from the review.
struct SampleAgreement {
  int slot = 0;
  api::v1::ReviewCommand command;  // an Agree command, party and on_behalf_of left empty
};

// Issue 22: one outcome of a completed review, recorded by the secretariat between the desk
// review and the dialogue, and, for a recommendation, its status changes after the issue.
struct SampleOutcome {
  api::v1::ReviewCommand add;                    // an AddOutcome command
  std::vector<api::v1::ReviewCommand> statuses;  // ChangeRecommendationStatus, id left empty
};

struct SamplePlan {
  // In order: launch, focal point, kickoff, checklist, desk review, dialogue, draft,
  // approve, issue; cut after the last step the review reaches. steps[i] brings the review
  // to the stage of rank i + 2 (StageRank in review_text.h: launched = 2 ... completed = 10).
  std::vector<api::v1::ReviewCommand> steps;
  // CountryVisitPostponed commands to send before the country visit (step 5).
  std::vector<api::v1::ReviewCommand> postponements;
  // After approval: FullReportPublished or PublicationDeclined (or none), and
  // ChecklistPublished when the State agreed at submission.
  std::vector<api::v1::ReviewCommand> attributes;
  // For completed reviews only.
  std::vector<SampleNeed> needs;
  // Issue 21's optional steps, dated within the plan's steps (none, or one each):
  // ChecklistCirculated after the checklist and before the desk review, and
  // DeskReviewTeleconferenceHeld after the desk review.
  std::vector<api::v1::ReviewCommand> circulation;
  std::vector<api::v1::ReviewCommand> desk_review_call;
  // The agreements to the draft, sent before the approval: all three when the review reaches
  // approval, some for a review that stops at its draft.
  std::vector<SampleAgreement> agreements;
  // Issue 22, completed reviews only (from a generator of their own): several
  // recommendations, some observations, good practices and challenges, each on an article of
  // the cycle, texts labelled synthetic; some recommendations followed up after the issue.
  std::vector<SampleOutcome> outcomes;
};

// The sample's last day: no step is dated after it.
inline constexpr absl::CivilDay kSampleLastDay(2024, 6, 28);

// The business dates of the draws: `irm lots draw-years` and `irm lots draw` for a year.
std::string SampleDrawYearsDate(int cycle);
std::string SampleDrawReviewersDate(int cycle, int year);

// The sample's IRG sessions (synthetic: numbers and dates invented around the sample's draw
// dates, one session holding each draw, plus a June session each year 2016-2024 to which
// executive summaries are made available), numbered 1.. in date order.
struct SampleSession {
  int number = 0;
  std::string from;
  std::string to;
};
std::vector<SampleSession> SampleSessions();
// The number of the sample session whose days hold `date`; 0 if none.
int SampleSessionOn(const std::string& date);
// The synthetic IRG document symbol of the executive summary of a review of `cycle` in review
// year `year`, the `index`-th (from 1) of that cycle and year: CAC/COSP/IRG/II/1/1/Add.7.
std::string SampleSummarySymbol(int cycle, int year, int index);

// The plan of review (state, cycle) in review year `year` of regional group `region`.
SamplePlan PlanSampleReview(uint64_t seed, int cycle, const std::string& state, int year,
                            const std::string& region);

}  // namespace irm::cli

#endif  // IRM_CLI_ADMIN_SAMPLE_PLAN_H_
