#include "services/http/console/console_commands.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/review/outcomes.h"
#include "engine/review/review_names.h"
#include "grpcpp/client_context.h"
#include "services/http/console/console_forms.h"

namespace irm::services::http {
namespace {

using api::v1::ReviewCommand;

constexpr auto kCallDeadline = std::chrono::seconds(30);

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

void Prepare(grpc::ClientContext& context, const std::string& authorization) {
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
}

std::string Get(const FormFields& fields, const std::string& name) {
  auto it = fields.find(name);
  return it == fields.end() ? "" : it->second;
}

absl::StatusOr<int> Number(const FormFields& fields, const std::string& name,
                           const std::string& command) {
  const std::string text = Get(fields, name);
  int value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(command, ": ", name, " '", text,
                                                   "' is not a whole number"));
  }
  return value;
}

// A checkbox: present and not "off"/"false"/"0".
bool Checked(const FormFields& fields, const std::string& name) {
  auto it = fields.find(name);
  return it != fields.end() && it->second != "off" && it->second != "false" && it->second != "0";
}

absl::Status Fill(const std::string& name, const FormFields& f, ReviewCommand& c) {
  auto get = [&f](const char* field) { return Get(f, field); };
  if (name == "assign-reviewers") {
    for (absl::string_view code : absl::StrSplit(get("reviewers"), ',', absl::SkipEmpty())) {
      c.mutable_assign_reviewers()->add_reviewers(std::string(absl::StripAsciiWhitespace(code)));
    }
  } else if (name == "launch") {
    c.mutable_launch();
  } else if (name == "focal-point") {
    c.mutable_focal_point()->set_name(get("name"));
    c.mutable_focal_point()->set_email(get("email"));
  } else if (name == "kickoff") {
    c.mutable_kickoff()->set_checklist_due(get("checklist_due"));
    c.mutable_kickoff()->set_division(get("division"));
    for (absl::string_view l : absl::StrSplit(get("languages"), ',', absl::SkipEmpty())) {
      c.mutable_kickoff()->add_languages(std::string(absl::StripAsciiWhitespace(l)));
    }
  } else if (name == "checklist") {
    c.mutable_checklist()->set_publish(Checked(f, "publish"));
  } else if (name == "circulate-checklist") {
    c.mutable_circulate_checklist();
  } else if (name == "desk-review") {
    c.mutable_desk_review();
  } else if (name == "desk-review-call") {
    c.mutable_desk_review_call();
  } else if (name == "visit") {
    c.mutable_visit()->set_from(get("from"));
    c.mutable_visit()->set_to(get("to"));
    if (c.on().empty()) c.set_on(get("from"));  // as `irm review visit`
  } else if (name == "joint-meeting") {
    c.mutable_joint_meeting();
  } else if (name == "no-dialogue") {
    c.mutable_no_dialogue();
  } else if (name == "postpone-visit") {
    c.mutable_postpone_visit()->set_reason(get("reason"));
  } else if (name == "draft") {
    c.mutable_draft();
  } else if (name == "agree") {
    c.mutable_agree()->set_party(get("party"));
  } else if (name == "approve-summary") {
    c.mutable_approve_summary();
  } else if (name == "issue-summary") {
    c.mutable_issue_summary()->set_symbol(get("symbol"));
  } else if (name == "publish") {
    c.mutable_publish();
  } else if (name == "decline-publication") {
    c.mutable_decline_publication();
  } else if (name == "publish-checklist") {
    c.mutable_publish_checklist();
  } else if (name == "redraw") {
    absl::StatusOr<int> slot = Number(f, "slot", name);
    if (!slot.ok()) return slot.status();
    c.mutable_redraw()->set_slot(*slot);
    c.mutable_redraw()->set_exception(Checked(f, "exception"));
  } else if (name == "withdraw") {
    c.mutable_withdraw()->set_reviewer(get("reviewer"));
  } else if (name == "defer") {
    absl::StatusOr<int> year = Number(f, "year", name);
    if (!year.ok()) return year.status();
    c.mutable_defer()->set_year(*year);
  } else if (name == "need-add") {
    absl::StatusOr<int> article = Number(f, "article", name);
    if (!article.ok()) return article.status();
    c.mutable_add_need()->set_article(*article);
    c.mutable_add_need()->set_category(get("category"));
    c.mutable_add_need()->set_text(get("text"));
    c.mutable_add_need()->set_priority(get("priority"));
  } else if (name == "need-status") {
    c.mutable_need_status()->set_need_id(get("id"));
    c.mutable_need_status()->set_status(get("status"));
    c.mutable_need_status()->set_provider(get("provider"));
  } else if (name == "outcome-add") {
    absl::StatusOr<int> article = Number(f, "article", name);
    if (!article.ok()) return article.status();
    api::v1::AddOutcome* outcome = c.mutable_add_outcome();
    outcome->set_article(*article);
    outcome->set_kind(get("kind"));
    outcome->set_text(get("text"));
    for (absl::string_view id : absl::StrSplit(get("needs"), ',', absl::SkipWhitespace())) {
      outcome->add_needs(std::string(absl::StripAsciiWhitespace(id)));
    }
  } else if (name == "recommendation-status") {
    c.mutable_recommendation_status()->set_outcome_id(get("id"));
    c.mutable_recommendation_status()->set_status(get("status"));
    c.mutable_recommendation_status()->set_evidence(get("evidence"));
  } else {
    return absl::InternalError(absl::StrCat("the console has no form for ", name));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReviewCommand> CommandOf(const std::string& name, const std::string& state,
                                        int cycle, const FormFields& fields) {
  const CommandSpec* spec = FindCommand(name);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("no console command '", name,
                                                   "'; the console takes: ", CommandNames()));
  }
  std::vector<std::string> allowed = {"on", "on_behalf_of"};
  for (const FormField& field : spec->fields) allowed.push_back(field.name);
  for (const auto& [key, value] : fields) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return absl::InvalidArgumentError(absl::StrCat(name, " takes no field '", key,
                                                     "'; its fields: ",
                                                     absl::StrJoin(allowed, ", ")));
    }
  }
  for (const FormField& field : spec->fields) {
    if (field.required && Get(fields, field.name).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " needs ", field.name, " (", field.label, ")"));
    }
  }
  if (spec->on_required && Get(fields, "on").empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " needs on (the business date, YYYY-MM-DD: the day the status was observed)"));
  }
  // A need's or an outcome's id names its review: it must be the review posted to.
  if (name == "need-status" || name == "recommendation-status") {
    const std::string id = Get(fields, "id");
    std::string id_state;
    int id_cycle = 0;
    absl::Status parsed;
    if (name == "need-status") {
      absl::StatusOr<review::NeedRef> ref = review::ParseNeedId(id);
      parsed = ref.status();
      if (ref.ok()) id_state = ref->state, id_cycle = ref->cycle;
    } else {
      absl::StatusOr<review::OutcomeRef> ref = review::ParseOutcomeId(id);
      parsed = ref.status();
      if (ref.ok()) id_state = ref->state, id_cycle = ref->cycle;
    }
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": id: ", parsed.message()));
    }
    if (id_state != state || id_cycle != cycle) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": id ", id, " belongs to the review of ", id_state, ", cycle ", id_cycle,
          ", not to this one (", state, ", cycle ", cycle, "); post it to /console/reviews/",
          id_state, "/", id_cycle, "/", name));
    }
  }
  ReviewCommand command;
  command.set_state(state);
  command.set_cycle(cycle);
  command.set_on(Get(fields, "on"));
  command.set_on_behalf_of(Get(fields, "on_behalf_of"));
  if (absl::Status s = Fill(name, fields, command); !s.ok()) return s;
  return command;
}

namespace {

absl::Status OnlyFields(const FormFields& fields, const std::vector<std::string>& allowed,
                        const std::string& command) {
  for (const auto& [key, value] : fields) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return absl::InvalidArgumentError(absl::StrCat(command, " takes no field '", key,
                                                     "'; its fields: ",
                                                     absl::StrJoin(allowed, ", ")));
    }
  }
  return absl::OkStatus();
}

// The draw fields both requests share.
template <typename Request>
absl::Status FillDraw(const FormFields& fields, const std::string& command, Request& request) {
  absl::StatusOr<int> cycle = Number(fields, "cycle", command);
  if (!cycle.ok()) return cycle.status();
  request.set_cycle(*cycle);
  if (const std::string seed = Get(fields, "seed"); !seed.empty()) {
    uint64_t value = 0;
    if (!absl::SimpleAtoi(seed, &value)) {
      return absl::InvalidArgumentError(
          absl::StrCat(command, ": seed '", seed, "' is not a whole number (or leave it empty)"));
    }
    request.set_seed(value);
  }
  request.set_on(Get(fields, "on"));
  if (!Get(fields, "session").empty()) {
    absl::StatusOr<int> session = Number(fields, "session", command);
    if (!session.ok()) return session.status();
    request.set_session(*session);
  }
  request.set_outside_session_reason(Get(fields, "outside_session"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<api::v1::DrawYearsRequest> DrawYearsOf(const FormFields& fields) {
  if (absl::Status s = OnlyFields(fields, {"cycle", "seed", "on", "session", "outside_session"},
                                  "lots-draw-years");
      !s.ok()) {
    return s;
  }
  api::v1::DrawYearsRequest request;
  if (absl::Status s = FillDraw(fields, "lots-draw-years", request); !s.ok()) return s;
  return request;
}

absl::StatusOr<api::v1::DrawReviewersRequest> DrawReviewersOf(const FormFields& fields) {
  if (absl::Status s = OnlyFields(
          fields, {"cycle", "year", "seed", "on", "session", "outside_session"}, "lots-draw");
      !s.ok()) {
    return s;
  }
  api::v1::DrawReviewersRequest request;
  if (absl::Status s = FillDraw(fields, "lots-draw", request); !s.ok()) return s;
  absl::StatusOr<int> year = Number(fields, "year", "lots-draw");
  if (!year.ok()) return year.status();
  request.set_year(*year);
  return request;
}

absl::StatusOr<api::v1::DrawResult> ConsoleCommands::DrawYears(
    const std::string& authorization, const api::v1::DrawYearsRequest& request) const {
  grpc::ClientContext context;
  Prepare(context, authorization);
  api::v1::DrawResult result;
  if (absl::Status s = FromGrpc(stub_->DrawYears(&context, request, &result)); !s.ok()) return s;
  return result;
}

absl::StatusOr<api::v1::DrawResult> ConsoleCommands::DrawReviewers(
    const std::string& authorization, const api::v1::DrawReviewersRequest& request) const {
  grpc::ClientContext context;
  Prepare(context, authorization);
  api::v1::DrawResult result;
  if (absl::Status s = FromGrpc(stub_->DrawReviewers(&context, request, &result)); !s.ok()) {
    return s;
  }
  return result;
}

ConsoleCommands::ConsoleCommands(std::shared_ptr<grpc::Channel> channel)
    : stub_(api::v1::ReviewService::NewStub(channel)),
      log_stub_(api::v1::LogService::NewStub(channel)) {}

absl::StatusOr<std::vector<event::v1::EventRecord>> ConsoleCommands::ReadStream(
    const std::string& authorization, const std::string& stream, uint64_t limit) const {
  grpc::ClientContext context;
  Prepare(context, authorization);
  api::v1::ReadStreamRequest request;
  request.set_stream(stream);
  request.set_limit(limit);
  std::unique_ptr<grpc::ClientReader<api::v1::ReadResponse>> reader =
      log_stub_->ReadStream(&context, request);
  std::vector<event::v1::EventRecord> events;
  api::v1::ReadResponse response;
  while (reader->Read(&response)) {
    for (event::v1::EventRecord& e : *response.mutable_events()) events.push_back(std::move(e));
  }
  if (absl::Status s = FromGrpc(reader->Finish()); !s.ok()) return s;
  return events;
}

absl::StatusOr<api::v1::CommandResult> ConsoleCommands::Execute(
    const std::string& authorization, const ReviewCommand& command) const {
  grpc::ClientContext context;
  Prepare(context, authorization);
  api::v1::CommandResult result;
  if (absl::Status s = FromGrpc(stub_->Execute(&context, command, &result)); !s.ok()) return s;
  return result;
}

absl::StatusOr<api::v1::ReviewHistory> ConsoleCommands::History(const std::string& authorization,
                                                                const std::string& state,
                                                                int cycle,
                                                                const std::string& as_of) const {
  grpc::ClientContext context;
  Prepare(context, authorization);
  api::v1::GetReviewHistoryRequest request;
  request.set_state(state);
  request.set_cycle(cycle);
  request.set_as_of(as_of);
  api::v1::ReviewHistory history;
  if (absl::Status s = FromGrpc(stub_->GetReviewHistory(&context, request, &history)); !s.ok()) {
    return s;
  }
  return history;
}

absl::StatusOr<api::v1::ListReviewsResponse> ConsoleCommands::List(
    const std::string& authorization, const api::v1::ListReviewsRequest& request) const {
  grpc::ClientContext context;
  Prepare(context, authorization);
  api::v1::ListReviewsResponse response;
  if (absl::Status s = FromGrpc(stub_->ListReviews(&context, request, &response)); !s.ok()) {
    return s;
  }
  return response;
}

}  // namespace irm::services::http
