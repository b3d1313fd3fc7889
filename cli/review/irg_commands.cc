#include "cli/review/irg_commands.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli/core/cli_status.h"
#include "cli/review/review_args.h"
#include "cli/review/review_calls.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"

namespace irm::cli {
namespace {

using nlohmann::ordered_json;

ordered_json DrawJson(const event::v1::IrgDrawRecord& draw) {
  ordered_json json = ordered_json::object();
  json["kind"] = draw.kind();
  json["cycle"] = draw.cycle();
  if (draw.kind() == "reviewers") json["year"] = draw.year();
  json["seed"] = draw.seed();
  json["on"] = draw.on();
  json["session"] = draw.session() == 0 ? ordered_json() : ordered_json(draw.session());
  json["reviews"] = draw.reviews();
  if (!draw.outside_session_reason().empty()) {
    json["outside_session"] = draw.outside_session_reason();
  }
  return json;
}

ordered_json SummaryJson(const event::v1::IrgSummaryRecord& summary) {
  ordered_json json = ordered_json::object();
  json["state"] = summary.state();
  json["cycle"] = summary.cycle();
  json["on"] = summary.on();
  json["symbol"] = summary.symbol().empty() ? ordered_json() : ordered_json(summary.symbol());
  json["position"] = summary.position();
  return json;
}

std::string DrawLine(const event::v1::IrgDrawRecord& draw) {
  std::string line = absl::StrCat("  draw ", draw.on(), ": cycle ", draw.cycle(), " ",
                                  draw.kind() == "years" ? "review years"
                                                         : absl::StrCat("year ", draw.year(), " reviewers"),
                                  ", ", draw.reviews(), draw.reviews() == 1 ? " review" : " reviews",
                                  ", seed ", draw.seed());
  if (!draw.outside_session_reason().empty()) {
    absl::StrAppend(&line, draw.session() == 0 ? "" : absl::StrCat(" (session ", draw.session(), ")"),
                    ", outside the session: ", draw.outside_session_reason());
  }
  return line;
}

std::string SummaryLine(const event::v1::IrgSummaryRecord& summary) {
  return absl::StrCat("  summary ", summary.on(), ": review-", summary.state(), "-",
                      summary.cycle(), " ",
                      summary.symbol().empty() ? "(no symbol)" : summary.symbol());
}

void PrintListing(CommandEnv& env, const api::v1::IrgSessionListing& listing) {
  for (const event::v1::IrgDrawRecord& draw : listing.draws()) env.out << DrawLine(draw) << "\n";
  for (const event::v1::IrgSummaryRecord& summary : listing.summaries()) {
    env.out << SummaryLine(summary) << "\n";
  }
}

absl::Status RunSessionAdd(CommandEnv& env) {
  api::v1::AddIrgSessionRequest request;
  IRM_ASSIGN_OR_RETURN(std::optional<int> number, IntFlag(env.args, "number", true));
  request.set_number(*number);
  IRM_ASSIGN_OR_RETURN(std::string from, DateFlag(env.args, "from"));
  IRM_ASSIGN_OR_RETURN(std::string to, DateFlag(env.args, "to"));
  if (from.empty() || to.empty()) {
    return UsageError("--from DATE and --to DATE are required: the session's first and last day");
  }
  request.set_from(from);
  request.set_to(to);
  request.set_place(env.args.Value("place").value_or(""));
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(api::v1::AddIrgSessionResult result, client->AddIrgSession(request));
  if (env.json()) {
    ordered_json json = ordered_json::object();
    json["stream"] = result.stream();
    json["revision"] = result.revision();
    json["position"] = result.position();
    json["number"] = result.session().number();
    json["from"] = result.session().from();
    json["to"] = result.session().to();
    json["place"] = result.session().place();
    env.out << codec::DumpCompact(json) << "\n";
  } else {
    env.out << result.stream() << ": IRG session " << result.session().number() << " ("
            << result.session().from() << " to " << result.session().to()
            << (result.session().place().empty() ? "" : ", " + result.session().place())
            << ") recorded at position " << result.position() << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunSessions(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<ReviewClient> client, ReviewClient::Create(env.connection));
  IRM_ASSIGN_OR_RETURN(api::v1::IrgSessions sessions,
                       client->ListIrgSessions(api::v1::ListIrgSessionsRequest()));
  for (const api::v1::IrgSessionListing& listing : sessions.sessions()) {
    const event::v1::IrgSessionRecorded& s = listing.session();
    if (env.json()) {
      ordered_json json = ordered_json::object();
      json["number"] = s.number();
      json["from"] = s.from();
      json["to"] = s.to();
      json["place"] = s.place();
      json["position"] = listing.position();
      json["draws"] = ordered_json::array();
      for (const auto& draw : listing.draws()) json["draws"].push_back(DrawJson(draw));
      json["summaries"] = ordered_json::array();
      for (const auto& summary : listing.summaries()) {
        json["summaries"].push_back(SummaryJson(summary));
      }
      env.out << codec::DumpCompact(json) << "\n";
      continue;
    }
    env.out << "IRG session " << s.number() << ": " << s.from() << " to " << s.to()
            << (s.place().empty() ? "" : ", " + s.place()) << " (" << listing.draws_size()
            << (listing.draws_size() == 1 ? " draw, " : " draws, ") << listing.summaries_size()
            << (listing.summaries_size() == 1 ? " summary)" : " summaries)") << "\n";
    PrintListing(env, listing);
  }
  const api::v1::IrgSessionListing& elsewhere = sessions.elsewhere();
  if (!env.json() && (elsewhere.draws_size() > 0 || elsewhere.summaries_size() > 0)) {
    env.out << "At no recorded session: draws given --outside-session, summaries issued after "
               "the last session\n";
    PrintListing(env, elsewhere);
  }
  if (!env.json() && sessions.sessions_size() == 0) {
    env.out << "no IRG session recorded (irm irg session add --number N --from DATE --to DATE)\n";
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterIrgCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "irg session add",
      "",
      "Record a session of the Implementation Review Group (IrgSessionRecorded)",
      "Secretariat only. Sessions live in the stream irg-sessions and are public. A number\n"
      "is recorded once (ALREADY_EXISTS otherwise); --from must not be after --to; sessions\n"
      "do not overlap. Lot draws name the session they take place at (irm lots draw\n"
      "--session N).",
      {{"number", "N", "the session's number, e.g. 7 for the seventh session (required)"},
       {"from", "DATE", "first day, YYYY-MM-DD (required)"},
       {"to", "DATE", "last day, YYYY-MM-DD (required)"},
       {"place", "P", "where it met, e.g. Vienna"}},
      {"irm irg session add --number 7 --from 2016-06-20 --to 2016-06-24 --place Vienna"},
      0,
      0,
      RunSessionAdd,
  });
  registry.Add(Command{
      "irg sessions",
      "",
      "List the IRG sessions with the draws made and the summaries issued at each",
      "A draw is listed under the session it named (irm lots draw --session N). An executive\n"
      "summary is listed under the first session that ends on or after its issue date: the\n"
      "session it is made available to as an IRG document. With --json: one object per\n"
      "session (number, from, to, place, position, draws, summaries).",
      {},
      {"irm irg sessions", "irm irg sessions --json"},
      0,
      0,
      RunSessions,
  });
}

}  // namespace irm::cli
