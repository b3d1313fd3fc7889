// ReviewService: the IRG sessions (issue 21 section 3, docs/workflow.md "IRG sessions"):
// AddIrgSession and ListIrgSessions, the session check of the lot draws, and the symbol of an
// executive summary. Recording a session, drawing and issuing a summary with a symbol run on
// the draw thread (`draws_`), one at a time: each decides on everything recorded before it
// and records its result before the next one decides.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "engine/access/authorize.h"
#include "engine/common/error_details.h"
#include "engine/common/status_macros.h"
#include "engine/domain/irg_sessions.h"
#include "engine/review/dates.h"
#include "engine/review/irg_projection.h"
#include "engine/review/irg_rules.h"
#include "engine/review/reviews_projection.h"
#include "irm/event/v1/review_events.pb.h"
#include "services/server/call_interceptor.h"
#include "services/server/grpc_status.h"
#include "services/review/review_service.h"

namespace irm::services {
namespace {

namespace ev = ::irm::event::v1;

}  // namespace

absl::Status ReviewService::CatchUpIrg() const {
  return projections_->WaitUntilApplied(
      log_->HeadPosition(), absl::Seconds(10),
      {std::string(review::kReviewsProjection), std::string(review::kIrgProjection)});
}

absl::Status ReviewService::CheckDrawSession(int session, const std::string& reason,
                                             const std::string& on) const {
  absl::CivilDay day = workflow_->Today();
  if (!on.empty()) {
    absl::StatusOr<absl::CivilDay> parsed = review::ParseDate(on, "--on");
    if (!parsed.ok()) return common::WithField(parsed.status(), "on");
    day = *parsed;
  }
  std::optional<ev::IrgSessionRecorded> found;
  if (session > 0) {
    IRM_ASSIGN_OR_RETURN(review::SessionLog sessions, review::ReadSessionLog(*log_));
    for (const ev::IrgSessionRecorded& s : sessions.sessions) {
      if (s.number() == session && !found.has_value()) found = s;
    }
  }
  return review::CheckDrawSession(session, reason, day, found);
}

absl::Status ReviewService::CheckSymbolFree(const api::v1::ReviewCommand& command) const {
  const std::string& symbol = command.issue_summary().symbol();
  IRM_RETURN_IF_ERROR(CatchUpIrg());
  IRM_ASSIGN_OR_RETURN(std::optional<ev::IrgSummaryRecord> held,
                       review::FindSummarySymbol(projections_->store(), symbol));
  if (!held.has_value()) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat(
      "symbol ", symbol, " is already held by the executive summary of review-", held->state(),
      "-", held->cycle(), " (issued ", held->on(), ", position ", held->position(),
      "); each IRG document symbol names one summary: check the symbol (irm irg sessions "
      "lists those issued)"));
}

grpc::ServerUnaryReactor* ReviewService::AddIrgSession(
    grpc::CallbackServerContext* context, const api::v1::AddIrgSessionRequest* request,
    api::v1::AddIrgSessionResult* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  if (absl::Status s = access::AuthorizeAdmin(*caller, "record an IRG session"); !s.ok()) {
    return FinishUnary(context, ToGrpcStatus(s));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  draws_.Post([this, reactor, caller = *caller, request_id = RequestIdOf(*context), request,
               response] {
    reactor->Finish(ToGrpcStatus(AddIrgSessionNow(caller, request_id, *request, response)));
  });
  return reactor;
}

absl::Status ReviewService::AddIrgSessionNow(const access::Principal& caller,
                                             const std::string& request_id,
                                             const api::v1::AddIrgSessionRequest& request,
                                             api::v1::AddIrgSessionResult* response) {
  ev::IrgSessionRecorded session;
  session.set_number(request.number());
  session.set_from(request.from());
  session.set_to(request.to());
  session.set_place(request.place());
  IRM_ASSIGN_OR_RETURN(review::SessionLog recorded, review::ReadSessionLog(*log_));
  IRM_RETURN_IF_ERROR(review::CheckNewSession(session, recorded.sessions));
  log::AppendRequest append;
  append.stream = std::string(domain::kIrgSessionsStream);
  // Decided on the stream as read: a session recorded meanwhile by any path refuses this one.
  append.expected = recorded.last_revision.has_value()
                        ? log::ExpectedRevision::Exact(*recorded.last_revision)
                        : log::ExpectedRevision::NoStream();
  log::ProposedEvent& event = append.events.emplace_back();
  event.type = std::string(domain::kIrgSessionRecordedType);
  event.content_type = ev::CONTENT_TYPE_PROTOBUF;
  event.data = session.SerializeAsString();
  *event.metadata.mutable_actor() = access::ToProto(caller);
  event.metadata.set_request_id(request_id);
  IRM_ASSIGN_OR_RETURN(log::AppendResult result, log_->Append(std::move(append)));
  response->set_stream(result.stream);
  response->set_revision(result.last_revision);
  response->set_position(result.last_position);
  *response->mutable_session() = session;
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* ReviewService::ListIrgSessions(
    grpc::CallbackServerContext* context, const api::v1::ListIrgSessionsRequest* request,
    api::v1::IrgSessions* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  return FinishUnary(context, ToGrpcStatus(ListIrgSessionsNow(response)));
}

absl::Status ReviewService::ListIrgSessionsNow(api::v1::IrgSessions* response) const {
  IRM_RETURN_IF_ERROR(CatchUpIrg());
  const projection::ProjectionStore& store = projections_->store();
  IRM_ASSIGN_OR_RETURN(std::vector<ev::IrgSessionState> sessions, review::ReadIrgSessions(store));
  IRM_ASSIGN_OR_RETURN(std::vector<ev::IrgDrawRecord> draws, review::ReadIrgDraws(store));
  IRM_ASSIGN_OR_RETURN(std::vector<ev::IrgSummaryRecord> summaries,
                       review::ReadIrgSummaries(store));
  std::map<int, api::v1::IrgSessionListing*> by_number;
  for (const ev::IrgSessionState& s : sessions) {
    api::v1::IrgSessionListing* listing = response->add_sessions();
    *listing->mutable_session() = s.session();
    listing->set_position(s.position());
    by_number[s.session().number()] = listing;
  }
  api::v1::IrgSessionListing* elsewhere = response->mutable_elsewhere();
  for (const ev::IrgDrawRecord& draw : draws) {
    auto it = by_number.find(draw.session());
    *(it == by_number.end() ? elsewhere : it->second)->add_draws() = draw;
  }
  // A summary is made available to the first session that ends on or after its issue.
  std::vector<api::v1::IrgSessionListing*> by_end;
  for (auto& [number, listing] : by_number) by_end.push_back(listing);
  std::sort(by_end.begin(), by_end.end(), [](const auto* a, const auto* b) {
    return a->session().to() < b->session().to();
  });
  for (const ev::IrgSummaryRecord& summary : summaries) {
    auto it = std::find_if(by_end.begin(), by_end.end(), [&](const auto* listing) {
      return listing->session().to() >= summary.on();
    });
    *(it == by_end.end() ? elsewhere : *it)->add_summaries() = summary;
  }
  return absl::OkStatus();
}

}  // namespace irm::services
