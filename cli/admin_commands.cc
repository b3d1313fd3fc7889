#include "cli/admin_commands.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "cli/progress.h"
#include "engine/codec/event_json.h"
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
      json["error"] = lag.error();
      json["digest"] = lag.digest();
      json["head"] = response.head();
      env.out << codec::DumpCompact(json) << "\n";
    }
    return absl::OkStatus();
  }
  env.out << "head position " << response.head() << "\n";
  Table table({"NAME", "CHECKPOINT", "LAG EVENTS", "LAG SECONDS", "ERROR", "DIGEST"});
  for (size_t column : {1, 2, 3}) table.AlignRight(column);
  for (const api::v1::ProjectionLag& lag : response.projections()) {
    table.AddRow({lag.name(), absl::StrCat(lag.checkpoint()), absl::StrCat(lag.lag_events()),
                  Seconds(lag.lag_seconds()), lag.error().empty() ? "-" : lag.error(),
                  ShortDigest(lag.digest())});
  }
  table.Print(env.out);
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
    env.out << codec::DumpCompact(json) << "\n";
  } else {
    env.out << "rebuilt " << response.name() << ": " << response.events() << " events in "
            << absl::StrFormat("%.2f", response.seconds()) << " s ("
            << Rate(response.events(), response.seconds()) << "); digest before "
            << ShortDigest(response.digest_before()) << "… after "
            << ShortDigest(response.digest_after()) << "… — "
            << (response.equal() ? "equal" : "DIFFERENT") << "\n";
  }
  if (response.equal()) return absl::OkStatus();
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
  for (const api::v1::ProjectionReplay& row : response.projections()) {
    if (!row.equal()) different.push_back(row.name());
    if (!env.json()) continue;
    Json json = Json::object();
    json["name"] = row.name();
    json["position"] = row.position();
    json["live_digest"] = row.live_digest();
    json["replayed_digest"] = row.replayed_digest();
    json["equal"] = row.equal();
    if (!row.error().empty()) json["error"] = row.error();
    env.out << codec::DumpCompact(json) << "\n";
  }
  if (!env.json()) {
    env.out << "head position " << response.head() << "; replayed in scratch space in "
            << Seconds(response.seconds()) << " s\n";
    Table table({"NAME", "POSITION", "LIVE", "REPLAYED", "RESULT"});
    table.AlignRight(1);
    for (const api::v1::ProjectionReplay& row : response.projections()) {
      table.AddRow({row.name(), absl::StrCat(row.position()), ShortDigest(row.live_digest()),
                    ShortDigest(row.replayed_digest()),
                    row.equal() ? "OK" : (row.error().empty() ? "DIFFERS" : row.error())});
    }
    table.Print(env.out);
  }
  if (different.empty()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      different.size(), " projection(s) differ from a replay of the log: ",
      absl::StrJoin(different, ", "), "; rebuild each with irm admin rebuild NAME"));
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
      "List projections: checkpoint, lag, error and state digest",
      "Lag seconds is the age of the oldest event not yet applied. The table shows the\n"
      "first 16 hex characters of the SHA-256 state digest; --json has all of it.",
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
      "digest before and after. Exits 1 (DATA_LOSS) if they differ.",
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
      "Exits 1 (DATA_LOSS) naming every projection that differs.",
      {},
      {"irm admin replay-check", "irm admin replay-check --json"},
      0,
      0,
      RunReplayCheck,
  });
}

}  // namespace irm::cli
