// ReviewService: the commands (Execute, DrawYears, DrawReviewers). Questions are in
// review_queries.cc.
#include "services/review/review_service.h"

#include <future>
#include <map>
#include <set>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "engine/access/authorize.h"
#include "engine/common/error_details.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "engine/review/dates.h"
#include "engine/review/review_history.h"
#include "engine/review/deadlines.h"
#include "engine/review/irg_rules.h"
#include "engine/review/reviews_projection.h"
#include "irm/event/v1/review_events.pb.h"
#include "services/server/call_interceptor.h"
#include "services/server/grpc_status.h"
#include "services/review/review_command_events.h"

namespace irm::services {
namespace {

namespace ev = ::irm::event::v1;

uint64_t FreshSeed() {
  absl::BitGen gen;
  return absl::Uniform<uint64_t>(gen);
}

// The name of `command`'s oneof member ("schedule"), under which the fields of its event
// are named; "" for commands the service builds itself (the draws).
std::string CommandFieldPrefix(const api::v1::ReviewCommand& command) {
  const google::protobuf::FieldDescriptor* field =
      command.GetReflection()->GetOneofFieldDescriptor(
          command, api::v1::ReviewCommand::descriptor()->FindOneofByName("command"));
  return field == nullptr ? "" : field->name();
}

// `status` with a field of the workflow's event (engine/review/review_rules.h) named as the
// command's field: "year" of schedule -> "schedule.year"; state, cycle and on stay as they are.
absl::Status InCommandTerms(absl::Status status, const std::string& member) {
  std::optional<common::FieldViolation> violation = common::GetFieldViolation(status);
  if (!violation.has_value() || member.empty()) return status;
  const std::string& field = violation->field;
  if (field == "state" || field == "cycle" || field == "on" || field == "on_behalf_of") {
    return status;
  }
  const std::string name = member == "defer" && field == "to_year" ? "year" : field;
  return common::WithField(std::move(status), absl::StrCat(member, ".", name));
}

// The fields every command has, checked before anything is read: InvalidArgument naming
// state, cycle or on.
absl::Status CheckCommandBasics(const api::v1::ReviewCommand& command) {
  IRM_RETURN_IF_ERROR(
      common::WithField(domain::FindStateParty(command.state()).status(), "state"));
  IRM_RETURN_IF_ERROR(common::WithField(domain::CheckCycle(command.cycle()), "cycle"));
  if (!command.on().empty()) {
    IRM_RETURN_IF_ERROR(common::WithField(review::ParseDate(command.on(), "date").status(), "on"));
  }
  return absl::OkStatus();
}

// The business date of a draw: `on`, or today when it is empty. InvalidArgument naming
// the field `on` for a bad date.
absl::StatusOr<absl::CivilDay> DrawDay(const std::string& on, absl::CivilDay today) {
  if (on.empty()) return today;
  absl::StatusOr<absl::CivilDay> day = review::ParseDate(on, "draw date");
  if (!day.ok()) return common::WithField(day.status(), "on");
  return day;
}

// Records the rule and the legal systems of a draw under rule 1 (lot_draw.h) in `event`.
void RecordRule(const std::string& under_review, const std::vector<std::string>& dissimilar,
                ev::ReviewersDrawn& event) {
  event.set_draw_rule(review::kCurrentDrawRule);
  event.set_legal_systems(review::LegalSystemsText(under_review));
  for (const std::string& c : event.slot1_candidates()) {
    event.add_slot1_candidate_legal_systems(review::LegalSystemsText(c));
  }
  for (const std::string& c : dissimilar) event.add_slot1_dissimilar(c);
}

void FillResult(const review::Recorded& recorded, absl::CivilDay today,
                api::v1::CommandResult* result) {
  result->set_stream(recorded.stream);
  result->set_revision(recorded.revision);
  result->set_position(recorded.position);
  result->set_event_type(recorded.types.empty() ? "" : recorded.types.back());
  if (!recorded.types.empty() && recorded.types.back() == "NeedIdentified" &&
      recorded.after.needs_size() > 0) {
    result->set_need_id(recorded.after.needs(recorded.after.needs_size() - 1).need_id());
  }
  if (!recorded.types.empty() && recorded.types.back() == "OutcomeRecorded" &&
      recorded.after.outcomes_size() > 0) {
    result->set_outcome_id(
        recorded.after.outcomes(recorded.after.outcomes_size() - 1).outcome_id());
  }
  *result->mutable_status() = ToStatus(recorded.after, today);
}

}  // namespace

ReviewService::ReviewService(log::EventLog* log, review::ReviewWorkflow* workflow,
                             projection::ProjectionRunner* projections,
                             const Authenticator* auth)
    : log_(log), workflow_(workflow), projections_(projections), auth_(auth) {}

absl::Status ReviewService::CatchUp() const {
  return projections_->WaitUntilApplied(log_->HeadPosition(), absl::Seconds(10),
                                        {std::string(review::kReviewsProjection)});
}

absl::StatusOr<std::vector<review::Assignment>> ReviewService::Assignments(int cycle) const {
  IRM_RETURN_IF_ERROR(CatchUp());
  IRM_ASSIGN_OR_RETURN(std::vector<ev::ReviewState> reviews,
                       review::ReadReviews(projections_->store(), cycle));
  std::vector<review::Assignment> assignments;
  for (const ev::ReviewState& r : reviews) {
    for (const std::string& reviewer : r.reviewers()) {
      if (!reviewer.empty()) assignments.push_back({r.state(), reviewer});
    }
  }
  return assignments;
}

absl::StatusOr<absl::CivilDay> ReviewService::AsOfDate(const std::string& text) const {
  if (text.empty()) return workflow_->Today();
  return review::ParseDate(text, "as-of date");
}

absl::StatusOr<std::vector<ReviewService::PastReview>> ReviewService::ReviewsAsOf(
    int cycle, const std::string& as_of) const {
  absl::StatusOr<std::vector<event::v1::ReviewState>> reviews =
      review::ReadReviews(projections_->store(), cycle);
  if (!reviews.ok()) return reviews.status();
  std::vector<PastReview> past;
  if (as_of.empty()) {
    for (event::v1::ReviewState& now : *reviews) past.push_back({now, now});
    return past;
  }
  review::AsOf cut;
  absl::StatusOr<absl::CivilDay> day = review::ParseDate(as_of, "as-of date");
  if (!day.ok()) return day.status();
  cut.business_day = *day;
  for (event::v1::ReviewState& now : *reviews) {
    absl::StatusOr<review::ReviewHistory> history =
        review::ReadReviewHistory(*log_, now.state(), now.cycle(), cut, /*with_provenance=*/false);
    if (absl::IsNotFound(history.status())) continue;  // not scheduled yet on that day
    if (!history.ok()) return history.status();
    past.push_back({std::move(history->state), std::move(now)});
  }
  return past;
}

absl::StatusOr<access::ReviewAccess> ReviewService::AccessNow(const access::Principal& caller,
                                                              const std::string& state,
                                                              int cycle) const {
  absl::StatusOr<event::v1::ReviewState> now = workflow_->Load(state, cycle);
  if (!now.ok()) return now.status();
  return access::AccessNow(caller, *now);
}

absl::Status ReviewService::Authorize(const access::Principal& caller,
                                      api::v1::ReviewCommand* command) const {
  const google::protobuf::FieldDescriptor* field =
      command->GetReflection()->GetOneofFieldDescriptor(
          *command, api::v1::ReviewCommand::descriptor()->FindOneofByName("command"));
  std::string name = field == nullptr ? "" : field->name();
  if (command->has_redraw() && command->redraw().exception()) name = "redraw_exception";
  access::ReviewParties parties;
  parties.state = command->state();
  if (caller.role == access::Role::kReviewer) {
    // Reviewers act on the review's current reviewers; pin the revision they were read at
    // so a redraw in between refuses the command rather than letting it through.
    absl::StatusOr<ev::ReviewState> current = workflow_->Load(command->state(), command->cycle());
    if (current.ok()) {
      parties = access::PartiesOf(*current);
      if (!command->has_expected_revision()) command->set_expected_revision(current->revision());
    } else if (current.status().code() != absl::StatusCode::kNotFound) {
      return current.status();
    }
  }
  if (command->has_agree()) {
    IRM_RETURN_IF_ERROR(access::AuthorizeAgreement(caller, command->state(),
                                                   command->agree().party(),
                                                   command->on_behalf_of()));
  }
  IRM_RETURN_IF_ERROR(
      access::AuthorizeReviewCommand(caller, name, parties, command->on_behalf_of()));
  if (command->has_withdraw() && caller.role == access::Role::kReviewer &&
      command->withdraw().reviewer() != caller.state) {
    return absl::PermissionDeniedError(absl::StrCat(
        caller.Label(), " may withdraw only its own State, not ", command->withdraw().reviewer()));
  }
  return absl::OkStatus();
}

void ReviewService::RecordAsync(const access::Principal& caller, const std::string& request_id,
                                const api::v1::ReviewCommand& command, Events events,
                                api::v1::CommandResult* result,
                                std::function<void(absl::Status)> done) {
  std::optional<uint64_t> expected;
  if (command.has_expected_revision()) expected = command.expected_revision();
  ev::EventMetadata metadata;
  *metadata.mutable_actor() = access::ToProto(caller);
  metadata.set_on_behalf_of(command.on_behalf_of());
  metadata.set_request_id(request_id);
  workflow_->RecordAsync(
      command.state(), command.cycle(), std::move(events), metadata, expected,
      [this, result, field_of = CommandFieldPrefix(command), state = command.state(),
       cycle = command.cycle(), done = std::move(done)](absl::StatusOr<review::Recorded> recorded) {
        if (recorded.ok()) {
          FillResult(*recorded, workflow_->Today(), result);
          if (on_recorded_) on_recorded_(state, cycle);
        }
        done(InCommandTerms(recorded.status(), field_of));
      });
}

absl::Status ReviewService::RecordInto(const access::Principal& caller,
                                       const std::string& request_id,
                                       const api::v1::ReviewCommand& command, Events events,
                                       api::v1::CommandResult* result) {
  std::promise<absl::Status> promise;
  std::future<absl::Status> future = promise.get_future();
  RecordAsync(caller, request_id, command, std::move(events), result,
              [&promise](absl::Status status) { promise.set_value(std::move(status)); });
  return future.get();
}

absl::StatusOr<ReviewService::Events> ReviewService::DrawEvents(const api::v1::ReviewCommand& command) {
  IRM_RETURN_IF_ERROR(domain::FindStateParty(command.state()).status());
  IRM_RETURN_IF_ERROR(domain::CheckCycle(command.cycle()));
  IRM_ASSIGN_OR_RETURN(ev::ReviewState current, workflow_->Load(command.state(), command.cycle()));
  IRM_ASSIGN_OR_RETURN(std::vector<review::Assignment> existing, Assignments(command.cycle()));
  Events events;
  if (command.has_assign_reviewers()) {
    std::vector<std::string> reviewers(command.assign_reviewers().reviewers().begin(),
                                       command.assign_reviewers().reviewers().end());
    IRM_RETURN_IF_ERROR(review::CheckAssignment(command.state(), reviewers, existing));
    auto drawn = std::make_unique<ev::ReviewersDrawn>();
    drawn->set_on(command.on());
    for (const std::string& r : reviewers) drawn->add_reviewers(r);
    drawn->set_draw_round(current.draw_round() + 1);
    drawn->set_assigned(true);
    events.push_back(std::move(drawn));
    return events;
  }
  const api::v1::RequestRedraw& redraw = command.redraw();
  if (redraw.slot() != 1 && redraw.slot() != 2) {
    return common::InvalidField("redraw.slot", "INVALID_SLOT",
                                absl::StrCat("slot ", redraw.slot(), " is not a slot: give 1 or 2"));
  }
  auto requested = std::make_unique<ev::ReviewerRedrawRequested>();
  requested->set_on(command.on());
  requested->set_slot(redraw.slot());
  requested->set_by_secretariat_exception(redraw.exception());
  review::SlotRedraw slot;
  slot.cycle = command.cycle();
  slot.seed = redraw.has_seed() ? redraw.seed() : FreshSeed();  // optional: set or not
  slot.under_review = command.state();
  slot.slot = redraw.slot();
  slot.rule = review::kCurrentDrawRule;
  IRM_ASSIGN_OR_RETURN(absl::CivilDay day, DrawDay(command.on(), workflow_->Today()));
  if (!domain::IsPartyOn(command.state(), day)) {
    return absl::FailedPreconditionError(absl::StrCat(
        command.state(), " is not a State party on ", review::FormatDate(day),
        " (the draw's date); its reviewers are drawn once it is one (see `irm states`)"));
  }
  if (current.reviewers_size() == 2) {
    slot.other_reviewer = current.reviewers(2 - redraw.slot());
    slot.excluded.push_back(current.reviewers(redraw.slot() - 1));
  }
  IRM_ASSIGN_OR_RETURN(review::DrawnSlot drawn_slot,
                       review::DrawSlot(slot, existing, review::DrawParticipantsOn(day)));
  auto drawn = std::make_unique<ev::ReviewersDrawn>();
  drawn->set_on(command.on());
  drawn->add_reviewers(drawn_slot.reviewer);
  drawn->set_slot(redraw.slot());
  drawn->set_seed(slot.seed);
  drawn->set_draw_round(current.draw_round() + 1);
  for (const std::string& c : drawn_slot.candidates) {
    redraw.slot() == 1 ? drawn->add_slot1_candidates(c) : drawn->add_slot2_candidates(c);
  }
  RecordRule(command.state(), drawn_slot.dissimilar, *drawn);
  events.push_back(std::move(requested));
  events.push_back(std::move(drawn));
  return events;
}

grpc::ServerUnaryReactor* ReviewService::Execute(grpc::CallbackServerContext* context,
                                                 const api::v1::ReviewCommand* request,
                                                 api::v1::CommandResult* response) {
  absl::StatusOr<access::Principal> caller = auth_->Authenticate(*context);
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  if (absl::Status s = CheckCommandBasics(*request); !s.ok()) {
    return FinishUnary(context, ToGrpcStatus(s));
  }
  const std::string request_id = RequestIdOf(*context);
  api::v1::ReviewCommand command = *request;
  if (absl::Status s = Authorize(*caller, &command); !s.ok()) {
    return FinishUnary(context, ToGrpcStatus(s));
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> event = EventForCommand(command);
  if (!event.ok()) return FinishUnary(context, ToGrpcStatus(event.status()));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Runs once, on the thread that completes the append: no waiting here.
  auto finish = [this, reactor, response, caller = *caller](absl::Status recorded) {
    if (recorded.ok()) {
      *response->mutable_status() = ToStatusFor(caller, response->status().review(),
                                                workflow_->Today());
    }
    reactor->Finish(ToGrpcStatus(recorded));
  };
  if (command.has_issue_summary() && !command.issue_summary().symbol().empty()) {
    // A symbol is unique across the log: checked and recorded one at a time on `draws_`.
    if (absl::Status s = review::CheckSummarySymbol(command.issue_summary().symbol(),
                                                    command.cycle());
        !s.ok()) {
      return FinishUnary(context, ToGrpcStatus(s));
    }
    draws_.Post([this, caller = *caller, request_id, command = std::move(command), response,
                 finish = std::move(finish)] {
      absl::Status free = CheckSymbolFree(command);
      if (!free.ok()) return finish(free);
      absl::StatusOr<std::unique_ptr<google::protobuf::Message>> issued = EventForCommand(command);
      if (!issued.ok()) return finish(issued.status());
      Events events;
      events.push_back(std::move(*issued));
      finish(RecordInto(caller, request_id, command, std::move(events), response));
    });
    return reactor;
  }
  if (*event != nullptr) {
    Events events;
    events.push_back(std::move(*event));
    RecordAsync(*caller, request_id, command, std::move(events), response, std::move(finish));
    return reactor;
  }
  // assign-reviewers and redraw depend on the cycle's other assignments.
  draws_.Post([this, caller = *caller, request_id, command = std::move(command), response,
               finish = std::move(finish)] {
    absl::StatusOr<Events> drawn = DrawEvents(command);
    finish(drawn.ok() ? RecordInto(caller, request_id, command, std::move(*drawn), response)
                      : drawn.status());
  });
  return reactor;
}

absl::StatusOr<access::Principal> ReviewService::DrawCaller(
    grpc::CallbackServerContext& context, int cycle) const {
  IRM_ASSIGN_OR_RETURN(access::Principal caller, auth_->Authenticate(context));
  IRM_RETURN_IF_ERROR(access::AuthorizeDraw(caller));
  IRM_RETURN_IF_ERROR(common::WithField(domain::CheckCycle(cycle), "cycle"));
  return caller;
}

grpc::ServerUnaryReactor* ReviewService::DrawYears(grpc::CallbackServerContext* context,
                                                   const api::v1::DrawYearsRequest* request,
                                                   api::v1::DrawResult* response) {
  absl::StatusOr<access::Principal> caller = DrawCaller(*context, request->cycle());
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  draws_.Post([this, reactor, caller = *caller, request_id = RequestIdOf(*context), request,
               response] { reactor->Finish(DrawYearsNow(caller, request_id, request, response)); });
  return reactor;
}

grpc::Status ReviewService::DrawYearsNow(const access::Principal& caller,
                                         const std::string& request_id,
                                         const api::v1::DrawYearsRequest* request,
                                         api::v1::DrawResult* response) {
  if (absl::Status s = CheckDrawSession(request->session(), request->outside_session_reason(),
                                        request->on());
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  if (absl::Status s = CatchUp(); !s.ok()) return ToGrpcStatus(s);
  absl::StatusOr<std::vector<ev::ReviewState>> reviews =
      review::ReadReviews(projections_->store(), request->cycle());
  if (!reviews.ok()) return ToGrpcStatus(reviews.status());
  absl::StatusOr<absl::CivilDay> day = DrawDay(request->on(), workflow_->Today());
  if (!day.ok()) return ToGrpcStatus(day.status());
  std::set<std::string> scheduled;
  for (const ev::ReviewState& r : *reviews) scheduled.insert(r.state());
  std::vector<std::string> states;  // the parties on the draw's date not yet scheduled
  for (const std::string& code : review::DrawParticipantsOn(*day)) {
    if (!scheduled.count(code)) states.push_back(code);
  }
  const uint64_t seed = request->has_seed() ? request->seed() : FreshSeed();
  response->set_seed(seed);
  if (states.empty()) return grpc::Status::OK;
  absl::StatusOr<std::vector<review::YearLot>> lots;
  if (scheduled.empty()) {
    lots = review::DrawYears(request->cycle(), seed, states);
  } else {
    // The cycle's year draw was made: States that became parties since are late joiners,
    // scheduled in year 5 (domain.md section 3).
    lots.emplace();
    for (const std::string& code : states) lots->push_back({code, 5});
  }
  if (!lots.ok()) return ToGrpcStatus(lots.status());
  for (const review::YearLot& lot : *lots) {
    api::v1::ReviewCommand command;
    command.set_state(lot.state);
    command.set_cycle(request->cycle());
    command.set_on(request->on());
    auto scheduled_event = std::make_unique<ev::ReviewScheduled>();
    scheduled_event->set_on(request->on());
    scheduled_event->set_year(lot.year);
    scheduled_event->set_draw_seed(seed);
    scheduled_event->set_session(request->session());
    scheduled_event->set_outside_session_reason(request->outside_session_reason());
    Events events;
    events.push_back(std::move(scheduled_event));
    absl::Status s =
        RecordInto(caller, request_id, command, std::move(events), response->add_results());
    if (!s.ok()) return ToGrpcStatus(s);
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* ReviewService::DrawReviewers(
    grpc::CallbackServerContext* context, const api::v1::DrawReviewersRequest* request,
    api::v1::DrawResult* response) {
  absl::StatusOr<access::Principal> caller = DrawCaller(*context, request->cycle());
  if (!caller.ok()) return FinishUnary(context, ToGrpcStatus(caller.status()));
  if (request->year() < 1 || request->year() > 5) {
    return FinishUnary(context, ToGrpcStatus(common::InvalidField(
                                    "year", "INVALID_REVIEW_YEAR",
                                    absl::StrCat("review year ", request->year(),
                                                 " is not a year of the cycle: give 1-5"))));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  draws_.Post([this, reactor, caller = *caller, request_id = RequestIdOf(*context), request,
               response] {
    reactor->Finish(DrawReviewersNow(caller, request_id, request, response));
  });
  return reactor;
}

grpc::Status ReviewService::DrawReviewersNow(const access::Principal& caller,
                                             const std::string& request_id,
                                             const api::v1::DrawReviewersRequest* request,
                                             api::v1::DrawResult* response) {
  if (absl::Status s = CheckDrawSession(request->session(), request->outside_session_reason(),
                                        request->on());
      !s.ok()) {
    return ToGrpcStatus(s);
  }
  absl::StatusOr<std::vector<review::Assignment>> existing = Assignments(request->cycle());
  if (!existing.ok()) return ToGrpcStatus(existing.status());
  absl::StatusOr<std::vector<ev::ReviewState>> reviews =
      review::ReadReviews(projections_->store(), request->cycle());
  if (!reviews.ok()) return ToGrpcStatus(reviews.status());
  absl::StatusOr<absl::CivilDay> day = DrawDay(request->on(), workflow_->Today());
  if (!day.ok()) return ToGrpcStatus(day.status());
  // Reviews of the year with no reviewer: never drawn, or deferred to this year with their
  // reviewers released (issue 21; ReviewDeferred.reviewers_released). States not yet party
  // on the draw's date wait.
  std::vector<std::string> to_draw;
  std::map<std::string, int> rounds;  // the draw round each review has had
  for (const ev::ReviewState& r : *reviews) {
    bool none = true;
    for (const std::string& reviewer : r.reviewers()) none = none && reviewer.empty();
    if (r.year() == request->year() && r.stage() == "scheduled" && none &&
        domain::IsPartyOn(r.state(), *day)) {
      to_draw.push_back(r.state());
      rounds[r.state()] = r.draw_round();
    }
  }
  const uint64_t seed = request->has_seed() ? request->seed() : FreshSeed();
  response->set_seed(seed);
  if (to_draw.empty()) return grpc::Status::OK;
  absl::StatusOr<review::ReviewerDraw> draw = review::DrawReviewers(
      request->cycle(), seed, to_draw, *existing, review::DrawParticipantsOn(*day),
      review::kCurrentDrawRule);
  if (!draw.ok()) return ToGrpcStatus(draw.status());
  for (const review::DrawnReviewers& drawn : draw->reviews) {
    api::v1::ReviewCommand command;
    command.set_state(drawn.under_review);
    command.set_cycle(request->cycle());
    auto event = std::make_unique<ev::ReviewersDrawn>();
    event->set_on(request->on());
    event->add_reviewers(drawn.slot1);
    event->add_reviewers(drawn.slot2);
    event->set_draw_round(rounds[drawn.under_review] + 1);
    event->set_seed(seed);
    event->set_session(request->session());
    event->set_outside_session_reason(request->outside_session_reason());
    event->set_drawn_year(request->year());
    for (const std::string& c : drawn.slot1_candidates) event->add_slot1_candidates(c);
    for (const std::string& c : drawn.slot2_candidates) event->add_slot2_candidates(c);
    RecordRule(drawn.under_review, drawn.slot1_dissimilar, *event);
    Events events;
    events.push_back(std::move(event));
    absl::Status s =
        RecordInto(caller, request_id, command, std::move(events), response->add_results());
    if (!s.ok()) return ToGrpcStatus(s);
  }
  return grpc::Status::OK;
}

}  // namespace irm::services
