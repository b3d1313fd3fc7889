#include "cli/audit/history_commands.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/core/cli_status.h"
#include "cli/review/review_args.h"
#include "cli/review/review_calls.h"
#include "cli/core/text_table.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"
#include "engine/domain/review_stream.h"
#include "google/protobuf/util/time_util.h"

namespace irm::cli {
namespace {

using api::v1::FieldProvenance;
using api::v1::HistoryEvent;
using api::v1::ReviewHistory;
using Json = nlohmann::ordered_json;

int64_t MicrosOf(const google::protobuf::Timestamp& time) {
  return google::protobuf::util::TimeUtil::TimestampToMicroseconds(time);
}

std::string RecordedAt(int64_t us) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMicros(us), absl::UTCTimeZone());
}

// With microseconds, so `--known-at` can name exactly the moment an event was recorded.
std::string RecordedAtExact(int64_t us) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::FromUnixMicros(us), absl::UTCTimeZone());
}

std::string Quoted(const std::string& value) { return value.empty() ? "\"\"" : value; }

const HistoryEvent* FindEvent(const ReviewHistory& history, uint64_t position) {
  for (const HistoryEvent& e : history.events()) {
    if (e.position() == position) return &e;
  }
  return nullptr;
}

const FieldProvenance* FindField(const ReviewHistory& history, const std::string& field) {
  for (const FieldProvenance& p : history.provenance()) {
    if (p.field() == field) return &p;
  }
  return nullptr;
}

Json ActorJson(const event::v1::Principal& actor) {
  Json json = Json::object();
  json["name"] = actor.name();
  json["role"] = actor.role();
  json["state"] = actor.state();
  return json;
}

Json EventJson(const HistoryEvent& e) {
  Json json = Json::object();
  json["position"] = e.position();
  json["revision"] = e.revision();
  json["type"] = e.type();
  json["on"] = e.on();
  json["recorded_at"] = RecordedAtExact(MicrosOf(e.recorded_at()));
  json["actor"] = ActorJson(e.actor());
  json["on_behalf_of"] = e.on_behalf_of();
  if (e.has_voided()) {
    Json voided = Json::object();
    voided["position"] = e.voided().position();
    voided["reason"] = e.voided().reason();
    voided["by"] = ActorJson(e.voided().by());
    voided["recorded_at"] = RecordedAtExact(MicrosOf(e.voided().recorded_at()));
    json["voided"] = std::move(voided);
  }
  return json;
}

// "because of event 41 (ExecutiveSummaryApproved on 2021-03-02), recorded ... by ...".
std::string Because(const ReviewHistory& history, uint64_t position) {
  const HistoryEvent* e = FindEvent(history, position);
  if (e == nullptr) return absl::StrCat("because of event ", position);
  return absl::StrCat("because of event ", position, " (", e->type(), " on ", e->on(),
                      "), recorded ", RecordedAt(MicrosOf(e->recorded_at())), " by ",
                      ActorText(e->actor()),
                      e->on_behalf_of().empty() ? "" : absl::StrCat(" on behalf of ",
                                                                    e->on_behalf_of()));
}

std::string Stream(const ReviewHistory& history) {
  return domain::ReviewStreamName(history.status().review().state(),
                                  history.status().review().cycle());
}

absl::Status RunHistory(CommandEnv& env) {
  api::v1::GetReviewHistoryRequest request;
  request.set_state(env.args.positional()[0]);
  IRM_ASSIGN_OR_RETURN(int cycle, CycleFlag(env.args, true));
  request.set_cycle(cycle);
  IRM_ASSIGN_OR_RETURN(*request.mutable_as_of(), AsOfFlag(env.args, /*allow_position=*/true));
  request.set_known_at(env.args.Value("known-at").value_or(""));
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(ReviewHistory history, client->GetReviewHistory(request));

  if (std::optional<std::string> field = env.args.Value("explain")) {
    IRM_ASSIGN_OR_RETURN(std::string sentence, ExplainSentence(history, *field));
    if (!env.json()) {
      env.out << sentence << "\n";
      return absl::OkStatus();
    }
    const FieldProvenance* p = FindField(history, *field);
    Json json = Json::object();
    json["field"] = p->field();
    json["value"] = p->value();
    json["as_of"] = history.status().as_of();
    if (!p->derived_from().empty()) json["derived_from"] = p->derived_from();
    json["position"] = p->position();
    json["event"] = nullptr;
    if (const HistoryEvent* e = FindEvent(history, p->position())) json["event"] = EventJson(*e);
    json["explanation"] = sentence;
    env.out << codec::DumpCompact(json) << "\n";
    return absl::OkStatus();
  }

  if (env.json()) {
    for (const HistoryEvent& e : history.events()) env.out << codec::DumpCompact(EventJson(e)) << "\n";
    return absl::OkStatus();
  }
  TextTable table({"POSITION", "REV", "TYPE", "ON", "RECORDED (UTC)", "ACTOR", "ON BEHALF OF"});
  table.AlignRight(0);
  table.AlignRight(1);
  std::vector<std::string> voids;
  for (const HistoryEvent& e : history.events()) {
    table.AddRow({absl::StrCat(e.position()), absl::StrCat(e.revision()),
                  e.has_voided() ? absl::StrCat(e.type(), " (VOID)") : e.type(), e.on(),
                  RecordedAt(MicrosOf(e.recorded_at())), ActorText(e.actor()),
                  e.on_behalf_of().empty() ? "-" : e.on_behalf_of()});
    if (e.has_voided()) {
      voids.push_back(absl::StrCat(
          "event ", e.position(), " is void (not folded): \"", e.voided().reason(),
          "\", voided at position ", e.voided().position(), " on ",
          RecordedAt(MicrosOf(e.voided().recorded_at())), " by ", ActorText(e.voided().by())));
    }
  }
  table.Print(env.out);
  for (const std::string& line : voids) env.out << line << "\n";
  env.out << history.events_size() << (history.events_size() == 1 ? " event" : " events")
          << " of " << Stream(history) << "; stage " << history.status().review().stage()
          << "\n";
  return absl::OkStatus();
}

}  // namespace

std::string ActorText(const event::v1::Principal& actor) {
  std::string name = actor.name().empty() ? "unknown" : actor.name();
  std::vector<std::string> details;
  if (!actor.role().empty()) details.push_back(actor.role());
  if (!actor.state().empty()) details.push_back(actor.state());
  if (details.empty()) return name;
  return absl::StrCat(name, " (", absl::StrJoin(details, ", "), ")");
}

absl::StatusOr<std::string> ExplainSentence(const ReviewHistory& history,
                                            const std::string& field) {
  const FieldProvenance* p = FindField(history, field);
  if (p == nullptr) {
    std::vector<std::string> names;
    for (const FieldProvenance& f : history.provenance()) names.push_back(f.field());
    return UsageError(absl::StrCat("--explain: no field '", field, "' in ", Stream(history),
                                   "; fields: ", absl::StrJoin(names, ", ")));
  }
  const std::string as_of = history.status().as_of();
  if (!p->derived_from().empty()) {
    const FieldProvenance* basis = FindField(history, p->derived_from());
    std::string head = absl::StrCat(field, " is ", Quoted(p->value()));
    if (field == "overdue") {
      absl::StrAppend(&head, " as of ", as_of, " (next step ", history.status().next_step(),
                      " due ", Quoted(history.status().next_deadline()), ")");
    }
    absl::StrAppend(&head, ": it follows from ", p->derived_from(), " = ",
                    Quoted(basis == nullptr ? "" : basis->value()));
    if (p->position() == 0) return absl::StrCat(head, ", which no event has set");
    return absl::StrCat(head, ", which is so ", Because(history, p->position()));
  }
  if (field == "overdue" || field == "next_deadline") {
    // No deadline is known at this stage, so nothing to derive it from.
    return absl::StrCat(field, " is ", Quoted(p->value()), " as of ", as_of,
                        ": the next step (", Quoted(history.status().next_step()),
                        ") has no indicative deadline at stage ",
                        history.status().review().stage());
  }
  if (p->position() == 0) {
    return absl::StrCat(field, " is ", Quoted(p->value()), ": no event of ", Stream(history),
                        " has set it");
  }
  return absl::StrCat(field, " is ", Quoted(p->value()), " ", Because(history, p->position()));
}

void RegisterHistoryCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "history",
      "STATE",
      "List the events of one review, or explain which event set a field",
      "Each event with its log position, revision, type, business date (on), when the log\n"
      "recorded it (UTC), who recorded it and on whose behalf. --explain FIELD names the\n"
      "event that gave a field of the folded review its value: a ReviewState field (stage,\n"
      "year, reviewers, dialogue, summary_issued_on, publication, ...), need:<NEED_ID>, or\n"
      "next_step, next_deadline, overdue. --as-of and --known-at cut history as in\n"
      "irm status; see docs/audit-history.md.",
      {{"cycle", "C", "the review's cycle, 1 or 2 (required)"},
       {"as-of", "POSITION|DATE", "only events up to a log position, or dated up to a day"},
       {"known-at", "TIME|DATE", "only events the log had recorded by then (RFC 3339 or day)"},
       {"explain", "FIELD", "say which event set FIELD"}},
      {"irm history KEN --cycle 2", "irm history KEN --cycle 2 --json",
       "irm history KEN --cycle 2 --explain stage",
       "irm history KEN --cycle 2 --as-of 2016-07-01 --explain overdue"},
      1,
      1,
      RunHistory});
}

}  // namespace irm::cli
