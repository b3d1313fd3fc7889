#include "cli/admin/sample_plan.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "cli/review/review_args.h"
#include "engine/domain/reference_data.h"

namespace irm::cli {
namespace {

using api::v1::ReviewCommand;

// No step of the sample is dated after this day.
constexpr absl::CivilDay kLastDay = kSampleLastDay;

// splitmix64: a small generator whose output is the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) { return lo + static_cast<int>(Next() % (hi - lo + 1)); }
  // True with probability percent / 100.
  bool Percent(int percent) { return Between(0, 99) < percent; }

 private:
  uint64_t state_;
};

uint64_t Fnv1a(const std::string& text) {
  uint64_t hash = 0xCBF29CE484222325ull;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001B3ull;
  return hash;
}

// Dates move forward only and stop at kLastDay.
class Calendar {
 public:
  explicit Calendar(absl::CivilDay start) : day_(std::min(start, kLastDay)) {}
  absl::CivilDay day() const { return day_; }
  // Moves to max(current, `day`), capped; returns the new day.
  absl::CivilDay AtLeast(absl::CivilDay day) {
    day_ = std::min(std::max(day_, day), kLastDay);
    return day_;
  }
  absl::CivilDay Plus(int days) { return AtLeast(day_ + days); }

 private:
  absl::CivilDay day_;
};

// Maps every date of `command` through `map`.
template <typename Map>
void MapDates(ReviewCommand& command, const Map& map) {
  auto apply = [&map](std::string* text) {
    absl::CivilDay day;
    if (!text->empty() && ParseDay(*text, &day)) *text = FormatDay(map(day));
  };
  apply(command.mutable_on());
  if (command.has_kickoff()) apply(command.mutable_kickoff()->mutable_checklist_due());
  if (command.has_visit()) {
    apply(command.mutable_visit()->mutable_from());
    apply(command.mutable_visit()->mutable_to());
  }
}

// Days from the launch by which the step after a review's last stage is due (domain.md's
// indicative schedule), indexed by the review's final rank; 0 where the deadline runs from
// the last step instead of the launch.
constexpr int kDueDaysAfterLaunch[] = {0, 0, 21, 30, 60, 0, 120, 150, 180, 0};

// Most unfinished reviews are on schedule on the sample's last day: their steps are moved
// (and compressed if they took longer than the schedule allows) so that the last one is a few
// days before kLastDay and the next step is not yet due. About one in eight stalled: those
// keep their original dates and show as overdue. Order and gaps' proportions are kept.
void PutUnfinishedReviewOnSchedule(Rng& rng, int final_rank, SamplePlan& plan) {
  if (plan.steps.empty() || rng.Percent(12)) return;
  absl::CivilDay launch;
  ParseDay(plan.steps.front().on(), &launch);
  absl::CivilDay last = launch;
  for (const auto* steps : {&plan.steps, &plan.postponements}) {
    for (const ReviewCommand& step : *steps) {
      absl::CivilDay day;
      if (ParseDay(step.on(), &day)) last = std::max(last, day);
    }
  }
  const int gap = rng.Between(3, 14);  // days from the last step to kLastDay
  const int elapsed = static_cast<int>(last - launch);
  int allowed = elapsed;
  if (kDueDaysAfterLaunch[final_rank] > 0) {
    allowed = std::min(elapsed, kDueDaysAfterLaunch[final_rank] - gap - rng.Between(1, 10));
  }
  allowed = std::max(allowed, 0);
  const double scale = elapsed > 0 ? static_cast<double>(allowed) / elapsed : 1.0;
  const absl::CivilDay new_launch = kLastDay - gap - allowed;
  auto map = [&](absl::CivilDay day) {
    return std::min(new_launch + static_cast<int>((day - launch) * scale), kLastDay);
  };
  for (auto* steps : {&plan.steps, &plan.postponements, &plan.attributes}) {
    for (ReviewCommand& step : *steps) MapDates(step, map);
  }
  // A checklist due date never falls before the kickoff call plus a month.
  for (ReviewCommand& step : plan.steps) {
    if (!step.has_kickoff()) continue;
    absl::CivilDay kickoff, due;
    ParseDay(step.on(), &kickoff);
    ParseDay(step.kickoff().checklist_due(), &due);
    step.mutable_kickoff()->set_checklist_due(FormatDay(std::max(due, kickoff + 30)));
  }
}

ReviewCommand Base(int cycle, const std::string& state, absl::CivilDay on) {
  ReviewCommand command;
  command.set_state(state);
  command.set_cycle(cycle);
  command.set_on(FormatDay(on));
  return command;
}

std::vector<std::string> Languages(const std::string& region) {
  if (region == "african") return {"en", "fr"};
  if (region == "latin_american_caribbean") return {"es", "en"};
  if (region == "eastern_european") return {"en", "ru"};
  if (region == "asia_pacific") return {"en", "ar"};
  return {"en", "fr"};
}

// How far the review gets: the rank of its last stage, 1 (not launched) to 10 (completed).
int FinalRank(Rng& rng, int cycle, int year) {
  if (cycle == 1) return rng.Percent(8) ? rng.Between(2, 9) : 10;
  static constexpr int kCompleted[] = {0, 75, 45, 20, 0, 0};  // percent, by year
  static constexpr int kNotLaunched[] = {0, 0, 0, 5, 25, 100};
  year = std::clamp(year, 1, 5);
  int roll = rng.Between(0, 99);
  if (roll < kCompleted[year]) return 10;
  if (roll < kCompleted[year] + kNotLaunched[year]) return 1;
  return rng.Between(2, 9);
}

void PlanNeeds(Rng& rng, int cycle, const std::string& state, absl::CivilDay issued,
               SamplePlan& plan) {
  if (cycle == 2 && rng.Percent(40)) return;  // many cycle-2 States identified no needs
  absl::Span<const absl::string_view> categories = domain::NeedCategories(cycle);
  std::vector<int> articles;
  for (const domain::Article& article : domain::AllArticles()) {
    if (article.cycle == cycle) articles.push_back(article.number);
  }
  int count = rng.Between(1, 6);
  for (int i = 0; i < count; ++i) {
    int article = articles[rng.Next() % articles.size()];
    absl::string_view category = categories[rng.Next() % categories.size()];
    const domain::Article* info = *domain::FindArticle(article);
    std::string category_text(category);
    std::replace(category_text.begin(), category_text.end(), '_', ' ');
    SampleNeed need;
    need.add = Base(cycle, state, issued);
    need.add.set_on_behalf_of(absl::StrCat("focal_point:", state));
    api::v1::AddNeed* add = need.add.mutable_add_need();
    add->set_article(article);
    add->set_category(std::string(category));
    add->set_text(absl::StrCat("Synthetic: ", category_text, " for article ", article, " (",
                               info->title, ")"));
    static constexpr const char* kPriorities[] = {"", "", "high", "medium", "low"};
    add->set_priority(kPriorities[rng.Next() % 5]);
    int roll = rng.Between(0, 99);
    if (cycle == 1) {
      need.status = roll < 40 ? "addressed" : roll < 55 ? "current" : roll < 65 ? "unmet" : "";
    } else {
      need.status = roll < 20   ? "current"
                    : roll < 30 ? "anticipated"
                    : roll < 35 ? "addressed"
                                : "";
    }
    if (!need.status.empty()) {
      Calendar calendar(issued);
      need.change = Base(cycle, state, calendar.Plus(rng.Between(60, 720)));
      need.change.mutable_need_status()->set_status(need.status);
      if (need.status == "addressed") {
        static constexpr const char* kProviders[] = {"UNODC", "UNDP", "Synthetic donor agency"};
        need.change.mutable_need_status()->set_provider(kProviders[rng.Next() % 3]);
      }
    }
    plan.needs.push_back(std::move(need));
  }
}

// Issue 21's optional steps and the agreements, dated between the plan's (final) steps.
void PlanExtras(uint64_t seed, int cycle, const std::string& state, SamplePlan& plan) {
  Rng rng(seed ^ (Fnv1a(state) * 37 + static_cast<uint64_t>(cycle)) ^ 0x2104ull);
  auto day_of = [&plan](size_t step) {
    absl::CivilDay day;
    ParseDay(plan.steps[step].on(), &day);
    return day;
  };
  // steps[3] is the checklist, [4] the desk review, [6] the draft, [7] the approval.
  const size_t reached = plan.steps.size();
  if (reached >= 4 && rng.Percent(85)) {
    absl::CivilDay on = std::min(day_of(3) + rng.Between(3, 20), kLastDay);
    if (reached >= 5) on = std::min(on, day_of(4));
    plan.circulation.push_back(Base(cycle, state, on));
    plan.circulation.back().mutable_circulate_checklist();
  }
  if (reached >= 5 && rng.Percent(60)) {
    absl::CivilDay on = std::min(day_of(4) + rng.Between(3, 20), kLastDay);
    if (reached >= 6) on = std::max(std::min(on, day_of(5)), day_of(4));
    plan.desk_review_call.push_back(Base(cycle, state, on));
    plan.desk_review_call.back().mutable_desk_review_call();
  }
  if (reached >= 7) {
    const absl::CivilDay draft = day_of(6);
    const absl::CivilDay until = reached >= 8 ? day_of(7) : std::min(draft + 60, kLastDay);
    const int agreements = reached >= 8 ? 3 : rng.Between(0, 2);
    const int span = std::max(0, static_cast<int>(until - draft));
    for (int slot = 0; slot < agreements; ++slot) {
      SampleAgreement agreement;
      agreement.slot = slot;
      agreement.command = Base(cycle, state, draft + span * (slot + 1) / 3);
      agreement.command.mutable_agree();
      plan.agreements.push_back(std::move(agreement));
    }
  }
}

// Issue 22: the outcomes of a completed review, dated between its desk review (steps[4]) and
// its dialogue (steps[5]); statuses after the issue (steps[8]), in date order.
void PlanOutcomes(uint64_t seed, int cycle, const std::string& state, SamplePlan& plan) {
  if (plan.steps.size() < 9) return;
  Rng rng(seed ^ (Fnv1a(state) * 41 + static_cast<uint64_t>(cycle)) ^ 0x2200ull);
  absl::CivilDay desk, dialogue, issued;
  ParseDay(plan.steps[4].on(), &desk);
  ParseDay(plan.steps[5].on(), &dialogue);
  ParseDay(plan.steps[8].on(), &issued);
  std::vector<int> articles;
  for (const domain::Article& article : domain::AllArticles()) {
    if (article.cycle == cycle) articles.push_back(article.number);
  }
  std::vector<std::string> kinds;
  for (int i = rng.Between(2, 3); i > 0; --i) kinds.push_back("recommendation");
  for (int i = rng.Between(0, 1); i > 0; --i) kinds.push_back("observation");
  for (int i = rng.Between(0, 1); i > 0; --i) kinds.push_back("good_practice");
  for (int i = rng.Between(0, 1); i > 0; --i) kinds.push_back("challenge");
  const int span = std::max(0, static_cast<int>(dialogue - desk));
  for (size_t i = 0; i < kinds.size(); ++i) {
    const int article = articles[rng.Next() % articles.size()];
    const domain::Article* info = *domain::FindArticle(article);
    std::string kind_text = kinds[i];
    std::replace(kind_text.begin(), kind_text.end(), '_', ' ');
    SampleOutcome outcome;
    outcome.add = Base(cycle, state, desk + span * static_cast<int>(i) / static_cast<int>(kinds.size()));
    api::v1::AddOutcome* add = outcome.add.mutable_add_outcome();
    add->set_article(article);
    add->set_kind(kinds[i]);
    add->set_text(absl::StrCat("Synthetic: ", kind_text, " on article ", article, " (",
                               info->title, ")"));
    if (kinds[i] == "recommendation" && rng.Percent(50)) {
      Calendar calendar(issued);
      const int roll = rng.Between(0, 99);
      std::vector<std::string> statuses;
      if (roll < 45) {
        statuses = {"partially_implemented"};
      } else if (roll < 60) {
        statuses = {"partially_implemented", "implemented"};
      } else if (roll < 85) {
        statuses = {"implemented"};
      } else if (roll < 93) {
        statuses = {"not_started"};
      } else {
        statuses = {"no_longer_relevant"};
      }
      for (const std::string& status : statuses) {
        ReviewCommand change = Base(cycle, state, calendar.Plus(rng.Between(180, 900)));
        change.set_on_behalf_of(absl::StrCat("focal_point:", state));
        change.mutable_recommendation_status()->set_status(status);
        change.mutable_recommendation_status()->set_evidence(
            "Synthetic: reported by the State under review");
        outcome.statuses.push_back(std::move(change));
      }
    }
    plan.outcomes.push_back(std::move(outcome));
  }
}

}  // namespace

std::string SampleDrawYearsDate(int cycle) { return cycle == 1 ? "2010-06-28" : "2015-11-06"; }

std::string SampleDrawReviewersDate(int cycle, int year) {
  return cycle == 1 ? FormatDay(absl::CivilDay(2009 + year, 7, 1))
                    : FormatDay(absl::CivilDay(2015 + year, 1, 15));
}

std::vector<SampleSession> SampleSessions() {
  std::vector<absl::CivilDay> starts;
  // A session of five days around each draw, ending the day after it.
  std::vector<std::string> draws = {SampleDrawYearsDate(1), SampleDrawYearsDate(2)};
  for (int year = 1; year <= 5; ++year) {
    draws.push_back(SampleDrawReviewersDate(1, year));
    draws.push_back(SampleDrawReviewersDate(2, year));
  }
  for (const std::string& draw : draws) {
    absl::CivilDay day;
    ParseDay(draw, &day);
    starts.push_back(day - 3);
  }
  for (int year = 2016; year <= 2024; ++year) starts.push_back(absl::CivilDay(year, 6, 10));
  std::sort(starts.begin(), starts.end());
  std::vector<SampleSession> sessions;
  for (absl::CivilDay start : starts) {
    // Draws two days apart (cycle 1: years, then year 1's reviewers) share one session.
    if (!sessions.empty()) {
      absl::CivilDay last_to;
      ParseDay(sessions.back().to, &last_to);
      if (start <= last_to) {
        sessions.back().to = FormatDay(std::max(last_to, start + 4));
        continue;
      }
    }
    sessions.push_back({static_cast<int>(sessions.size()) + 1, FormatDay(start),
                        FormatDay(start + 4)});
  }
  return sessions;
}

int SampleSessionOn(const std::string& date) {
  for (const SampleSession& session : SampleSessions()) {
    if (session.from <= date && date <= session.to) return session.number;
  }
  return 0;
}

std::string SampleSummarySymbol(int cycle, int year, int index) {
  return absl::StrCat("CAC/COSP/IRG/", cycle == 1 ? "I" : "II", "/", year, "/1/Add.", index);
}

SamplePlan PlanSampleReview(uint64_t seed, int cycle, const std::string& state, int year,
                            const std::string& region) {
  Rng rng(seed ^ (Fnv1a(state) * 31 + static_cast<uint64_t>(cycle)));
  SamplePlan plan;
  const int final_rank = FinalRank(rng, cycle, year);
  if (final_rank < 2) return plan;
  absl::CivilDay start = cycle == 1 ? absl::CivilDay(2009 + std::min(year, 5), 8, 1)
                                    : absl::CivilDay(2015 + std::min(year, 5), 2, 1);
  Calendar calendar(start + rng.Between(0, 180));
  const absl::CivilDay t0 = calendar.day();
  std::vector<ReviewCommand>& steps = plan.steps;
  steps.push_back(Base(cycle, state, t0));
  steps.back().mutable_launch();

  steps.push_back(Base(cycle, state, calendar.Plus(21 + rng.Between(-7, 30))));
  steps.back().mutable_focal_point()->set_name(absl::StrCat("Synthetic Focal Point ", state));
  steps.back().mutable_focal_point()->set_email(
      absl::StrCat("focal.point.", absl::AsciiStrToLower(state), "@example.org"));

  calendar.AtLeast(AddMonths(t0, 1) + rng.Between(-5, 45));
  steps.push_back(Base(cycle, state, calendar.day()));
  absl::CivilDay due = std::min(std::max(AddMonths(t0, 2), calendar.day() + 30), kLastDay);
  steps.back().mutable_kickoff()->set_checklist_due(FormatDay(due));
  for (const std::string& language : Languages(region)) {
    steps.back().mutable_kickoff()->add_languages(language);
  }

  const bool publish_checklist = rng.Percent(40);
  calendar.AtLeast(due + rng.Between(-10, 120));
  steps.push_back(Base(cycle, state, calendar.day()));
  steps.back().set_on_behalf_of(absl::StrCat("focal_point:", state));
  steps.back().mutable_checklist()->set_publish(publish_checklist);

  const absl::CivilDay checklist = calendar.day();
  steps.push_back(
      Base(cycle, state, calendar.AtLeast(AddMonths(checklist, 1) + rng.Between(0, 90))));
  steps.back().mutable_desk_review();

  int dialogue = rng.Between(0, 99);
  calendar.Plus(rng.Between(30, 180));
  if (dialogue < 70) {
    int postponements = rng.Percent(15) ? 1 : 0;
    for (int i = 0; i < postponements; ++i) {
      plan.postponements.push_back(Base(cycle, state, calendar.day()));
      plan.postponements.back().mutable_postpone_visit()->set_reason(
          "Synthetic: postponed at the request of the State under review");
      calendar.Plus(rng.Between(30, 90));
    }
    absl::CivilDay from = calendar.day();
    absl::CivilDay to = calendar.Plus(rng.Between(2, 4));
    steps.push_back(Base(cycle, state, from));
    steps.back().mutable_visit()->set_from(FormatDay(from));
    steps.back().mutable_visit()->set_to(FormatDay(to));
  } else {
    steps.push_back(Base(cycle, state, calendar.day()));
    if (dialogue < 90) {
      steps.back().mutable_joint_meeting();
    } else {
      steps.back().mutable_no_dialogue();
    }
  }
  steps.push_back(Base(cycle, state, calendar.Plus(rng.Between(30, 240))));
  steps.back().mutable_draft();
  steps.push_back(Base(cycle, state, calendar.Plus(rng.Between(60, 540))));
  steps.back().mutable_approve_summary();
  const absl::CivilDay approved = calendar.day();
  steps.push_back(Base(cycle, state, calendar.Plus(rng.Between(14, 120))));
  steps.back().mutable_issue_summary();
  const absl::CivilDay issued = calendar.day();

  // Decided before the cut so that the same review gets the same choices at any depth.
  int publication = rng.Between(0, 99);
  // After the issue when it comes, so that business dates never run backwards.
  Calendar later(final_rank == 10 ? issued : approved);
  absl::CivilDay publication_on = later.Plus(rng.Between(7, 90));
  if (publication < 50) {
    plan.attributes.push_back(Base(cycle, state, publication_on));
    plan.attributes.back().mutable_publish();
  } else if (publication < 80) {
    plan.attributes.push_back(Base(cycle, state, publication_on));
    plan.attributes.back().mutable_decline_publication();
  }
  if (publish_checklist) {
    plan.attributes.push_back(Base(cycle, state, later.Plus(rng.Between(7, 60))));
    plan.attributes.back().mutable_publish_checklist();
  }
  for (ReviewCommand& attribute : plan.attributes) {
    attribute.set_on_behalf_of(absl::StrCat("focal_point:", state));
  }
  if (final_rank == 10) PlanNeeds(rng, cycle, state, issued, plan);

  steps.resize(final_rank - 1);
  if (final_rank < 9) plan.attributes.clear();  // attributes need an approved summary
  if (final_rank < 7) plan.postponements.resize(final_rank == 6 ? plan.postponements.size() : 0);
  if (final_rank < 10) PutUnfinishedReviewOnSchedule(rng, final_rank, plan);
  PlanExtras(seed, cycle, state, plan);
  PlanOutcomes(seed, cycle, state, plan);
  return plan;
}

}  // namespace irm::cli
