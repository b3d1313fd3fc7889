#include "services/report/report_service.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/common/error_details.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "engine/needs/needs_projection.h"
#include "engine/needs/needs_tables.h"
#include "engine/access/visibility.h"
#include "engine/outcomes/outcome_tables.h"
#include "engine/review/reviews_projection.h"
#include "engine/review/dates.h"
#include "services/server/grpc_status.h"

namespace irm::services {
namespace {

namespace ev = ::irm::event::v1;

void FillStatuses(const needs::StatusCounts& counts,
                  google::protobuf::RepeatedPtrField<api::v1::StatusCount>* out) {
  for (const std::string& status : needs::ReportStatuses()) {
    auto it = counts.find(status);
    api::v1::StatusCount* count = out->Add();
    count->set_status(status);
    count->set_needs(it == counts.end() ? 0 : it->second);
  }
}

void FillTotals(const needs::Totals& totals, api::v1::NeedsTotals* out) {
  out->set_needs(totals.needs);
  out->set_states_with_needs(totals.states_with_needs);
  out->set_summaries_issued(totals.summaries_issued);
  FillStatuses(totals.statuses, out->mutable_statuses());
}

void FillSnapshot(const needs::Snapshot& snapshot, api::v1::NeedsSnapshot* out) {
  if (snapshot.as_of) out->set_as_of(review::FormatDate(*snapshot.as_of));
  FillTotals(snapshot.totals, out->mutable_totals());
  for (const needs::Table& table : snapshot.tables) {
    api::v1::NeedsTable* t = out->add_tables();
    t->mutable_dimension()->set_by(std::string(needs::DimensionName(table.spec.by)));
    t->mutable_dimension()->set_chapter(table.spec.chapter);
    FillTotals(table.totals, t->mutable_totals());
    for (const needs::GroupCount& group : table.groups) {
      api::v1::NeedsGroup* g = t->add_groups();
      g->set_key(group.key);
      g->set_label(group.label);
      g->set_needs(group.needs);
      g->set_states(group.states);
      FillStatuses(group.statuses, g->mutable_statuses());
    }
  }
}

// "" -> nullopt; otherwise a YYYY-MM-DD day.
absl::StatusOr<std::optional<absl::CivilDay>> OptionalDay(const std::string& text,
                                                          absl::string_view what) {
  if (text.empty()) return std::optional<absl::CivilDay>();
  IRM_ASSIGN_OR_RETURN(absl::CivilDay day, review::ParseDate(text, what));
  return std::optional<absl::CivilDay>(day);
}

void FillByStatus(const review::StatusTally& tally,
                  google::protobuf::RepeatedPtrField<api::v1::RecommendationStatusCount>* out,
                  double* rate, bool* has_rate) {
  for (absl::string_view status : review::kRecommendationStatuses) {
    api::v1::RecommendationStatusCount* count = out->Add();
    count->set_status(std::string(status));
    count->set_recommendations(tally.Of(status));
  }
  std::optional<double> value = tally.ImplementationRate();
  *has_rate = value.has_value();
  *rate = value.value_or(0);
}

void FillOutcomes(const outcomes::Snapshot& snapshot, api::v1::OutcomesSnapshot* out) {
  if (snapshot.as_of) out->set_as_of(review::FormatDate(*snapshot.as_of));
  out->set_total(snapshot.total);
  out->set_states(snapshot.states);
  out->set_reviews(snapshot.reviews);
  out->set_summaries_issued(snapshot.summaries_issued);
  double rate = 0;
  bool has_rate = false;
  FillByStatus(snapshot.by_status, out->mutable_by_status(), &rate, &has_rate);
  out->set_implementation_rate(rate);
  out->set_has_rate(has_rate);
  for (const outcomes::Group& group : snapshot.groups) {
    api::v1::OutcomesGroup* g = out->add_groups();
    g->set_key(group.key);
    g->set_label(group.label);
    g->set_count(group.count);
    g->set_states(group.states);
    FillByStatus(group.by_status, g->mutable_by_status(), &rate, &has_rate);
    g->set_implementation_rate(rate);
    g->set_has_rate(has_rate);
  }
}

// A report's as_of and compare days, checked: each "" or a day, compare not after as_of.
struct ReportDays {
  std::optional<absl::CivilDay> as_of;
  std::optional<absl::CivilDay> compare;
};
absl::StatusOr<ReportDays> CheckReportDays(const std::string& as_of_text,
                                           const std::string& compare_text) {
  absl::StatusOr<std::optional<absl::CivilDay>> as_of = OptionalDay(as_of_text, "--as-of");
  if (!as_of.ok()) return common::WithField(as_of.status(), "as_of");
  absl::StatusOr<std::optional<absl::CivilDay>> compare = OptionalDay(compare_text, "--compare");
  if (!compare.ok()) return common::WithField(compare.status(), "compare");
  if (*compare && *as_of && **compare > **as_of) {
    return common::InvalidField("compare", "INVALID_DATE",
                                absl::StrCat("--compare ", compare_text, " is after --as-of ",
                                             as_of_text, ": compare with an earlier date"));
  }
  return ReportDays{*as_of, *compare};
}

}  // namespace

grpc::ServerUnaryReactor* ReportService::GetNeedsReport(grpc::CallbackServerContext* context,
                                                        const api::v1::NeedsReportRequest* request,
                                                        api::v1::NeedsReport* response) {
  if (absl::Status s = auth_->Authenticate(*context).status(); !s.ok()) {
    return FinishUnary(context, ToGrpcStatus(s));
  }
  return FinishUnary(context, NeedsReportFor(request, response));
}

grpc::Status ReportService::NeedsReportFor(const api::v1::NeedsReportRequest* request,
                                           api::v1::NeedsReport* response) {
  auto run = [&]() -> absl::Status {
    if (request->cycle() != 0) {
      IRM_RETURN_IF_ERROR(common::WithField(domain::CheckCycle(request->cycle()), "cycle"));
    }
    std::vector<needs::TableSpec> specs;
    for (int i = 0; i < request->dimensions_size(); ++i) {
      const api::v1::NeedsDimension& dimension = request->dimensions(i);
      const std::string field = absl::StrCat("dimensions[", i, "]");
      needs::TableSpec& spec = specs.emplace_back();
      absl::StatusOr<needs::Dimension> by = needs::ParseDimension(dimension.by());
      if (!by.ok()) return common::WithField(by.status(), absl::StrCat(field, ".by"));
      spec.by = *by;
      IRM_RETURN_IF_ERROR(common::WithField(needs::CheckChapter(dimension.chapter()),
                                            absl::StrCat(field, ".chapter")));
      spec.chapter = dimension.chapter();
    }
    if (specs.empty()) specs.push_back(needs::TableSpec{});
    IRM_ASSIGN_OR_RETURN(ReportDays days, CheckReportDays(request->as_of(), request->compare()));
    IRM_RETURN_IF_ERROR(
        projections_->WaitUntilApplied(log_->HeadPosition(), absl::Seconds(10),
                                       {std::string(needs::kNeedsProjection)}));
    IRM_ASSIGN_OR_RETURN(std::vector<ev::NeedRecord> records,
                         needs::ReadNeedRecords(projections_->store(), request->cycle()));
    IRM_ASSIGN_OR_RETURN(std::vector<ev::NeedsReviewRecord> reviews,
                         needs::ReadNeedsReviews(projections_->store(), request->cycle()));
    response->set_cycle(request->cycle());
    FillSnapshot(needs::ComputeSnapshot(records, reviews, request->cycle(), days.as_of, specs),
                 response->mutable_current());
    if (days.compare) {
      response->set_compared(true);
      FillSnapshot(needs::ComputeSnapshot(records, reviews, request->cycle(), days.compare, specs),
                   response->mutable_earlier());
    }
    return absl::OkStatus();
  };
  return ToGrpcStatus(run());
}

grpc::ServerUnaryReactor* ReportService::GetOutcomesReport(
    grpc::CallbackServerContext* context, const api::v1::OutcomesReportRequest* request,
    api::v1::OutcomesReport* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  return FinishUnary(context, OutcomesReportFor(*caller, request, response));
}

grpc::Status ReportService::OutcomesReportFor(const access::Principal& caller,
                                              const api::v1::OutcomesReportRequest* request,
                                              api::v1::OutcomesReport* response) {
  auto run = [&]() -> absl::Status {
    if (request->cycle() != 0) {
      IRM_RETURN_IF_ERROR(common::WithField(domain::CheckCycle(request->cycle()), "cycle"));
    }
    IRM_ASSIGN_OR_RETURN(outcomes::Grouping by,
                         outcomes::ParseGrouping(request->by().empty() ? "chapter" : request->by()));
    IRM_ASSIGN_OR_RETURN(ReportDays days, CheckReportDays(request->as_of(), request->compare()));
    IRM_RETURN_IF_ERROR(
        projections_->WaitUntilApplied(log_->HeadPosition(), absl::Seconds(10),
                                       {std::string(review::kReviewsProjection)}));
    IRM_ASSIGN_OR_RETURN(std::vector<ev::ReviewState> all,
                         review::ReadReviews(projections_->store(), request->cycle()));
    // Outcomes are public once the summary is issued; before that observers count none.
    std::vector<ev::ReviewState> visible;
    for (ev::ReviewState& r : all) {
      if (r.outcomes_size() == 0) continue;
      const access::ReviewAccess access = access::AccessNow(caller, r);
      if (access.audience == access::Audience::kPublic && !access.publication.summary_issued) {
        continue;
      }
      visible.push_back(std::move(r));
    }
    IRM_ASSIGN_OR_RETURN(outcomes::Snapshot current,
                         outcomes::ComputeSnapshot(visible, request->kind(), by, days.as_of));
    response->set_cycle(request->cycle());
    response->set_kind(request->kind());
    response->set_by(std::string(outcomes::GroupingName(by)));
    FillOutcomes(current, response->mutable_current());
    if (days.compare) {
      IRM_ASSIGN_OR_RETURN(outcomes::Snapshot earlier,
                           outcomes::ComputeSnapshot(visible, request->kind(), by, days.compare));
      response->set_compared(true);
      FillOutcomes(earlier, response->mutable_earlier());
    }
    return absl::OkStatus();
  };
  return ToGrpcStatus(run());
}

}  // namespace irm::services
