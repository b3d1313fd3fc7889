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
    absl::StatusOr<std::optional<absl::CivilDay>> as_of = OptionalDay(request->as_of(), "--as-of");
    if (!as_of.ok()) return common::WithField(as_of.status(), "as_of");
    absl::StatusOr<std::optional<absl::CivilDay>> compare =
        OptionalDay(request->compare(), "--compare");
    if (!compare.ok()) return common::WithField(compare.status(), "compare");
    if (*compare && *as_of && **compare > **as_of) {
      return common::InvalidField(
          "compare", "INVALID_DATE",
          absl::StrCat("--compare ", request->compare(), " is after --as-of ", request->as_of(),
                       ": compare with an earlier date"));
    }
    IRM_RETURN_IF_ERROR(
        projections_->WaitUntilApplied(log_->HeadPosition(), absl::Seconds(10),
                                       {std::string(needs::kNeedsProjection)}));
    IRM_ASSIGN_OR_RETURN(std::vector<ev::NeedRecord> records,
                         needs::ReadNeedRecords(projections_->store(), request->cycle()));
    IRM_ASSIGN_OR_RETURN(std::vector<ev::NeedsReviewRecord> reviews,
                         needs::ReadNeedsReviews(projections_->store(), request->cycle()));
    response->set_cycle(request->cycle());
    FillSnapshot(needs::ComputeSnapshot(records, reviews, request->cycle(), *as_of, specs),
                 response->mutable_current());
    if (*compare) {
      response->set_compared(true);
      FillSnapshot(needs::ComputeSnapshot(records, reviews, request->cycle(), *compare, specs),
                   response->mutable_earlier());
    }
    return absl::OkStatus();
  };
  return ToGrpcStatus(run());
}

}  // namespace irm::services
