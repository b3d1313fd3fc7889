#include "cli/admin/admin_commands.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "cli/core/cli_status.h"
#include "cli/core/progress.h"
#include "engine/codec/event_json.h"
#include "engine/common/uuid.h"
#include "engine/common/status_macros.h"
#include "irm/api/v1/admin.grpc.pb.h"

namespace irm::cli {
namespace {

using api::v1::AdminService;
using Json = nlohmann::ordered_json;

constexpr size_t kShortDigestChars = 16;

// A table printed with columns aligned: numbers right, text left.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }

  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Marks column `column` right-aligned.
  void AlignRight(size_t column) { right_.push_back(column); }

  void Print(std::ostream& out) const {
    std::vector<size_t> width(rows_[0].size(), 0);
    for (const auto& row : rows_) {
      for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    for (const auto& row : rows_) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) {
        std::string pad(width[i] - row[i].size(), ' ');
        bool right = std::find(right_.begin(), right_.end(), i) != right_.end();
        absl::StrAppend(&line, i == 0 ? "" : "  ", right ? pad : "", row[i],
                        right || i + 1 == row.size() ? "" : pad);
      }
      out << line << "\n";
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> right_;
};

// An AdminService stub on the connection's channel.
absl::StatusOr<std::unique_ptr<AdminService::Stub>> AdminStub(Connection& connection) {
  IRM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, connection.Channel());
  return AdminService::NewStub(channel);
}

std::string Seconds(double seconds) { return absl::StrFormat("%.2f", seconds); }

std::string ShortDigest(const std::string& digest) { return digest.substr(0, kShortDigestChars); }

// "1.2M events/s", "850k events/s", "950 events/s".
std::string Rate(uint64_t events, double seconds) {
  if (seconds <= 0) return "instant";
  double rate = events / seconds;
  if (rate >= 1e6) return absl::StrFormat("%.1fM events/s", rate / 1e6);
  if (rate >= 1e3) return absl::StrFormat("%.1fk events/s", rate / 1e3);
  return absl::StrFormat("%.0f events/s", rate);
}

absl::Status RunSubscriptions(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<AdminService::Stub> stub, AdminStub(env.connection));
  grpc::ClientContext context;
  env.connection.Prepare(context, /*unary=*/true);
  api::v1::ListSubscriptionsResponse response;
  IRM_RETURN_IF_ERROR(env.connection.FromGrpc(
      stub->ListSubscriptions(&context, api::v1::ListSubscriptionsRequest(), &response)));
  if (env.json()) {
    for (const api::v1::SubscriptionLag& lag : response.subscriptions()) {
      Json json = Json::object();
      json["id"] = lag.id();
      json["filter"] = lag.filter();
      json["checkpoint"] = lag.checkpoint();
      json["lag_events"] = lag.lag_events();
      json["lag_seconds"] = lag.lag_seconds();
      json["connected_seconds"] = lag.connected_seconds();
      json["head"] = response.head();
      env.out << codec::DumpCompact(json) << "\n";
    }
    return absl::OkStatus();
  }
  env.out << "head position " << response.head() << ", " << response.subscriptions_size()
          << " live subscription" << (response.subscriptions_size() == 1 ? "" : "s") << "\n";
  if (response.subscriptions_size() == 0) return absl::OkStatus();
  Table table({"ID", "FILTER", "CHECKPOINT", "LAG EVENTS", "LAG SECONDS"});
  for (size_t column : {0, 2, 3, 4}) table.AlignRight(column);
  for (const api::v1::SubscriptionLag& lag : response.subscriptions()) {
    table.AddRow({absl::StrCat(lag.id()), lag.filter(), absl::StrCat(lag.checkpoint()),
                  absl::StrCat(lag.lag_events()), Seconds(lag.lag_seconds())});
  }
  table.Print(env.out);
  return absl::OkStatus();
}

// "running", "stopped at 7", "waiting for disk".
std::string StateText(const api::v1::ProjectionLag& lag) {
  switch (lag.state()) {
    case api::v1::PROJECTION_STOPPED:
      return lag.stopped_at() == 0 ? "stopped" : absl::StrCat("stopped at ", lag.stopped_at());
    case api::v1::PROJECTION_WAITING_FOR_DISK:
      return "waiting for disk";
    default:
      return "running";
  }
}

std::string StateName(api::v1::ProjectionState state) {
  switch (state) {
    case api::v1::PROJECTION_STOPPED:
      return "stopped";
    case api::v1::PROJECTION_WAITING_FOR_DISK:
      return "waiting_for_disk";
    default:
      return "running";
  }
}

absl::Status RunProjections(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<AdminService::Stub> stub, AdminStub(env.connection));
  grpc::ClientContext context;
  env.connection.Prepare(context, /*unary=*/true);
  api::v1::ListProjectionsResponse response;
  IRM_RETURN_IF_ERROR(env.connection.FromGrpc(
      stub->ListProjections(&context, api::v1::ListProjectionsRequest(), &response)));
  if (env.json()) {
    for (const api::v1::ProjectionLag& lag : response.projections()) {
      Json json = Json::object();
      json["name"] = lag.name();
      json["checkpoint"] = lag.checkpoint();
      json["lag_events"] = lag.lag_events();
      json["lag_seconds"] = lag.lag_seconds();
      json["state"] = StateName(lag.state());
      json["stopped_at"] = lag.stopped_at();
      json["error"] = lag.error();
      json["digest"] = lag.digest();
      json["head"] = response.head();
      env.out << codec::DumpCompact(json) << "\n";
    }
    return absl::OkStatus();
  }
  env.out << "head position " << response.head() << "\n";
  Table table({"NAME", "STATE", "CHECKPOINT", "LAG EVENTS", "LAG SECONDS", "DIGEST"});
  for (size_t column : {2, 3, 4}) table.AlignRight(column);
  for (const api::v1::ProjectionLag& lag : response.projections()) {
    table.AddRow({lag.name(), StateText(lag), absl::StrCat(lag.checkpoint()),
                  absl::StrCat(lag.lag_events()), Seconds(lag.lag_seconds()),
                  ShortDigest(lag.digest())});
  }
  table.Print(env.out);
  // Errors are long: one line each under the table.
  for (const api::v1::ProjectionLag& lag : response.projections()) {
    if (!lag.error().empty()) env.out << lag.name() << ": " << lag.error() << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunRebuild(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<AdminService::Stub> stub, AdminStub(env.connection));
  grpc::ClientContext context;
  // A rebuild replays the whole log: no deadline (interrupt to give up waiting).
  env.connection.Prepare(context, /*unary=*/false);
  api::v1::RebuildProjectionRequest request;
  request.set_name(env.args.positional()[0]);
  api::v1::RebuildProjectionResponse response;
  // Asynchronous, so that a terminal shows the time spent while the server replays.
  absl::Notification done;
  grpc::Status status;
  stub->async()->RebuildProjection(&context, &request, &response, [&](grpc::Status result) {
    status = std::move(result);
    done.Notify();
  });
  Progress progress(env.err, Progress::StderrIsTerminal());
  const absl::Time start = absl::Now();
  while (!done.WaitForNotificationWithTimeout(absl::Milliseconds(200))) {
    progress.Show(absl::StrFormat("rebuilding %s from the log... %.0f s", request.name(),
                                  absl::ToDoubleSeconds(absl::Now() - start)));
  }
  progress.Clear();
  IRM_RETURN_IF_ERROR(env.connection.FromGrpc(status));
  if (env.json()) {
    Json json = Json::object();
    json["name"] = response.name();
    json["events"] = response.events();
    json["seconds"] = response.seconds();
    json["digest_before"] = response.digest_before();
    json["digest_after"] = response.digest_after();
    json["equal"] = response.equal();
    json["was_stopped_at"] = response.was_stopped_at();
    env.out << codec::DumpCompact(json) << "\n";
  } else if (response.was_stopped_at() != 0) {
    env.out << "rebuilt " << response.name() << ": " << response.events() << " events in "
            << absl::StrFormat("%.2f", response.seconds()) << " s ("
            << Rate(response.events(), response.seconds()) << "); it had stopped at position "
            << response.was_stopped_at()
            << ", an event that is void now, and runs again; digest "
            << ShortDigest(response.digest_after()) << "…\n";
  } else {
    env.out << "rebuilt " << response.name() << ": " << response.events() << " events in "
            << absl::StrFormat("%.2f", response.seconds()) << " s ("
            << Rate(response.events(), response.seconds()) << "); digest before "
            << ShortDigest(response.digest_before()) << "… after "
            << ShortDigest(response.digest_after()) << "… — "
            << (response.equal() ? "equal" : "DIFFERENT") << "\n";
  }
  if (response.equal() || response.was_stopped_at() != 0) return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat("projection ", response.name(), ": the incrementally kept state (digest ",
                   response.digest_before(), ") differs from a rebuild from the log (digest ",
                   response.digest_after(), "); the projection now holds the rebuilt state"));
}

absl::Status RunReplayCheck(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<AdminService::Stub> stub, AdminStub(env.connection));
  grpc::ClientContext context;
  // A replay of the whole log: no deadline (interrupt to give up waiting).
  env.connection.Prepare(context, /*unary=*/false);
  api::v1::ReplayCheckResponse response;
  IRM_RETURN_IF_ERROR(env.connection.FromGrpc(
      stub->ReplayCheck(&context, api::v1::ReplayCheckRequest(), &response)));
  std::vector<std::string> different;
  std::vector<std::string> stopped;  // "reviews (stopped at position 7: ...)"
  for (const api::v1::ProjectionReplay& row : response.projections()) {
    if (!row.error().empty()) {
      stopped.push_back(absl::StrCat(row.name(), " (", row.error(), ")"));
    } else if (!row.equal()) {
      different.push_back(row.name());
    }
    if (!env.json()) continue;
    Json json = Json::object();
    json["name"] = row.name();
    json["position"] = row.position();
    json["live_digest"] = row.live_digest();
    json["replayed_digest"] = row.replayed_digest();
    json["equal"] = row.equal();
    if (!row.error().empty()) json["error"] = row.error();
    if (row.stopped_at() != 0) json["stopped_at"] = row.stopped_at();
    env.out << codec::DumpCompact(json) << "\n";
  }
  if (!env.json()) {
    env.out << "head position " << response.head() << "; replayed in scratch space in "
            << Seconds(response.seconds()) << " s\n";
    Table table({"NAME", "POSITION", "LIVE", "REPLAYED", "RESULT"});
    table.AlignRight(1);
    for (const api::v1::ProjectionReplay& row : response.projections()) {
      std::string result = "OK";
      if (!row.error().empty()) {
        result = row.stopped_at() == 0 ? "NOT COMPARED"
                                       : absl::StrCat("STOPPED at ", row.stopped_at());
      } else if (!row.equal()) {
        result = "DIFFERS";
      }
      table.AddRow({row.name(), absl::StrCat(row.position()), ShortDigest(row.live_digest()),
                    ShortDigest(row.replayed_digest()), result});
    }
    table.Print(env.out);
    for (const api::v1::ProjectionReplay& row : response.projections()) {
      if (!row.error().empty()) env.out << row.name() << ": " << row.error() << "\n";
    }
  }
  std::vector<std::string> problems;
  if (!different.empty()) {
    problems.push_back(absl::StrCat(different.size(),
                                    " projection(s) differ from a replay of the log: ",
                                    absl::StrJoin(different, ", "),
                                    "; rebuild each with irm admin rebuild NAME"));
  }
  if (!stopped.empty()) {
    // A rebuild would stop at the same event: say what does help.
    problems.push_back(absl::StrCat(
        stopped.size(), " projection(s) could not be compared: ", absl::StrJoin(stopped, "; "),
        ". A rebuild would stop there again; a stopped projection runs again once the event "
        "that stopped it is void (irm admin void POSITION --reason TEXT, docs/void.md)"));
  }
  if (problems.empty()) return absl::OkStatus();
  const std::string message = absl::StrJoin(problems, ". ");
  return different.empty() ? absl::UnavailableError(message) : absl::DataLossError(message);
}

absl::Status RunVoid(CommandEnv& env) {
  uint64_t position = 0;
  const std::string& text = env.args.positional()[0];
  if (!absl::SimpleAtoi(text, &position) || position == 0) {
    return UsageError(absl::StrCat("POSITION must be a log position (1, 2, ...), not '",
                                   text.substr(0, 40), "'"));
  }
  std::optional<std::string> reason = env.args.Value("reason");
  if (!reason.has_value()) {
    return UsageError("give --reason TEXT: why the event is void (auditors read it)");
  }
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<AdminService::Stub> stub, AdminStub(env.connection));
  grpc::ClientContext context;
  env.connection.Prepare(context, /*unary=*/true);
  api::v1::VoidRequest request;
  request.set_position(position);
  request.set_reason(*reason);
  api::v1::VoidResponse response;
  IRM_RETURN_IF_ERROR(env.connection.FromGrpc(stub->Void(&context, request, &response)));
  const event::v1::EventVoided& voided = response.voided();
  if (env.json()) {
    Json json = Json::object();
    json["position"] = response.position();
    json["voided_position"] = voided.position();
    json["event_id"] = common::UuidBytesToString(voided.event_id());
    json["stream"] = voided.stream();
    json["type"] = voided.event_type();
    json["reason"] = voided.reason();
    json["resumed"] = Json::array();
    for (const std::string& name : response.resumed()) json["resumed"].push_back(name);
    env.out << codec::DumpCompact(json) << "\n";
    return absl::OkStatus();
  }
  env.out << "voided position " << voided.position() << " (" << voided.event_type() << " in "
          << voided.stream() << ", id " << common::UuidBytesToString(voided.event_id())
          << "): recorded at position " << response.position() << " of stream voided\n";
  if (response.resumed_size() > 0) {
    env.out << "projections running again: " << absl::StrJoin(response.resumed(), ", ")
            << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunCheckDeadlines(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<AdminService::Stub> stub, AdminStub(env.connection));
  grpc::ClientContext context;
  env.connection.Prepare(context, /*unary=*/true);
  api::v1::CheckDeadlinesResponse response;
  IRM_RETURN_IF_ERROR(env.connection.FromGrpc(
      stub->CheckDeadlines(&context, api::v1::CheckDeadlinesRequest(), &response)));
  if (env.json()) {
    Json json = Json::object();
    json["today"] = response.today();
    json["reviews_checked"] = response.reviews_checked();
    json["events_written"] = response.events_written();
    env.out << codec::DumpCompact(json) << "\n";
  } else {
    env.out << "deadlines as of " << response.today() << ": " << response.reviews_checked()
            << " reviews checked, " << response.events_written()
            << " DeadlinePassed events written\n";
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterAdminCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "admin subscriptions",
      "",
      "List live subscriptions and their lag behind the head",
      "Lag events is head - checkpoint (the last position the subscription examined); lag\n"
      "seconds is how long it has been behind the head, 0 when it is there.",
      {},
      {"irm admin subscriptions", "irm admin subscriptions --json"},
      0,
      0,
      RunSubscriptions,
  });
  registry.Add(Command{
      "admin projections",
      "",
      "List projections: state, checkpoint, lag and state digest",
      "State is running, stopped at POSITION (an event it cannot apply: the reason is printed\n"
      "under the table, and the answers that need it are UNAVAILABLE until that event is\n"
      "void, see irm admin void) or waiting for disk (it resumes by itself). Lag seconds is\n"
      "the age of the oldest event not yet applied. The table shows the first 16 hex\n"
      "characters of the SHA-256 state digest; --json has all of it.",
      {},
      {"irm admin projections", "irm admin projections --json"},
      0,
      0,
      RunProjections,
  });
  registry.Add(Command{
      "admin rebuild",
      "NAME",
      "Rebuild a projection from the log and check it equals the incremental state",
      "Replays the projection from position 1 to its checkpoint and compares the state\n"
      "digest before and after. Exits 1 (DATA_LOSS) if they differ. A stopped projection\n"
      "(irm admin projections) is refused with FAILED_PRECONDITION naming the event that\n"
      "stopped it, since a replay would stop there again, until that event is void (irm\n"
      "admin void); then it is rebuilt up to the head and runs again.",
      {},
      {"irm admin rebuild stream_stats", "irm admin rebuild stream_stats --json"},
      1,
      1,
      RunRebuild,
  });
  registry.Add(Command{
      "admin replay-check",
      "",
      "Replay every projection in scratch space and compare it with the live state",
      "Waits until the live projections have applied the head, takes their SHA-256 state\n"
      "digests, then replays each from position 1 to that position in memory on the server\n"
      "(never touching the live state, which keeps being updated) and compares digests.\n"
      "Exits 1 (DATA_LOSS) naming every projection that differs; a stopped projection is\n"
      "not compared: exit 1 (UNAVAILABLE) naming it, the event that stopped it and the fix\n"
      "(irm admin void).",
      {},
      {"irm admin replay-check", "irm admin replay-check --json"},
      0,
      0,
      RunReplayCheck,
  });
  registry.Add(Command{
      "admin check-deadlines",
      "",
      "Write a DeadlinePassed event now for every review deadline passed without its step",
      "irmd does this by itself at start, at each change of date and, for one review's\n"
      "history, after each step recorded for it (docs/deadlines.md); this asks it to look\n"
      "now. Each deadline is written once, into the review's stream deadline-STATE-CYCLE\n"
      "(never into review-STATE-CYCLE), so asking again writes nothing new. The awaited step\n"
      "of each review is judged against the server's date (irmd --today fixes it).\n"
      "Secretariat only.",
      {},
      {"irm admin check-deadlines", "irm read deadline-KEN-2 --json"},
      0,
      0,
      RunCheckDeadlines,
  });
  registry.Add(Command{
      "admin void",
      "POSITION",
      "Declare an event no fold can read void, so the projections go past it",
      "The log is immutable: the event stays, and an EventVoided record naming it (its\n"
      "position, id, stream and type), with the reason and who voided it, is appended to the\n"
      "stream 'voided'. Every fold of review events then skips the event: irm status, irm\n"
      "reviews, irm pipeline, the needs report, irm history (which lists it as VOID, with the\n"
      "reason). Projections stopped at it run again at once. Auditors see every void with\n"
      "irm read voided.\n"
      "\n"
      "Only an event that no fold can read may be voided: one in a review- stream whose type\n"
      "is not a workflow event or whose data does not parse into its message (irmd refuses\n"
      "such events today; older versions imported them). A readable step is corrected by\n"
      "recording another step. Secretariat only. Exits 1 with NOT_FOUND past the head,\n"
      "FAILED_PRECONDITION for a readable event, ALREADY_EXISTS if it is void already (the\n"
      "message names that void). See docs/void.md.",
      {{"reason", "TEXT", "why the event is void (required; one line, shown to auditors)"}},
      {"irm admin projections",
       "irm admin void 7 --reason \"ReviewScheduled imported from a damaged export; data unreadable\"",
       "irm history KEN --cycle 2",
       "irm read voided"},
      1,
      1,
      RunVoid,
  });
}

}  // namespace irm::cli
