#include "cli/log/log_commands.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/core/cli_status.h"
#include "cli/core/event_text.h"
#include "cli/log/log_calls.h"
#include "engine/codec/event_json.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "engine/common/uuid.h"

namespace irm::cli {
namespace {

using api::v1::AppendRequest;
using event::v1::EventRecord;
using Json = nlohmann::ordered_json;

// Sets request.expected from --expect: any | no_stream | exists | N (the last revision).
absl::Status SetExpected(const std::optional<std::string>& expect, AppendRequest& request) {
  if (!expect.has_value() || *expect == "any") {
    request.mutable_any_revision();
  } else if (*expect == "no_stream") {
    request.mutable_no_stream();
  } else if (*expect == "exists") {
    request.mutable_stream_exists();
  } else {
    uint64_t revision = 0;
    if (expect->empty() || (*expect)[0] < '0' || (*expect)[0] > '9' ||
        !absl::SimpleAtoi(*expect, &revision)) {
      return UsageError(absl::StrCat("--expect takes any, no_stream, exists or a revision, got ",
                                     common::Quote(*expect)));
    }
    request.set_expected_revision(revision);
  }
  return absl::OkStatus();
}

// The 16 raw bytes of --id's UUID text; empty without --id (the server makes one).
absl::StatusOr<std::string> EventIdFlag(const std::optional<std::string>& id) {
  if (!id.has_value()) return std::string();
  absl::StatusOr<common::Uuid> uuid = common::Uuid::Parse(*id);
  if (!uuid.ok()) return UsageError(absl::StrCat("--id: ", uuid.status().message()));
  return uuid->Bytes();
}

absl::Status RunAppend(CommandEnv& env) {
  const std::vector<std::string>& args = env.args.positional();
  AppendRequest request;
  request.set_stream(args[0]);
  IRM_RETURN_IF_ERROR(SetExpected(env.args.Value("expect"), request));
  api::v1::ProposedEvent* event = request.add_events();
  event->set_type(args[1]);
  event->set_content_type(event::v1::CONTENT_TYPE_JSON);
  event->set_data("{}");
  if (std::optional<std::string> data = env.args.Value("data")) {
    IRM_ASSIGN_OR_RETURN(*event->mutable_data(), ReadFlagText(*data, "--data"));
  }
  if (std::optional<std::string> metadata = env.args.Value("metadata")) {
    IRM_ASSIGN_OR_RETURN(*event->mutable_custom_json(), ReadFlagText(*metadata, "--metadata"));
  }
  IRM_ASSIGN_OR_RETURN(*event->mutable_id(), EventIdFlag(env.args.Value("id")));
  event->set_correlation_id(env.args.Value("correlation-id").value_or(""));
  event->set_causation_id(env.args.Value("causation-id").value_or(""));

  IRM_ASSIGN_OR_RETURN(api::v1::AppendResponse response, CallAppend(env.connection, request));
  const std::string id =
      response.ids_size() == 1 ? common::UuidBytesToString(response.ids(0)) : std::string();
  if (env.json()) {
    Json json = Json::object();
    json["stream"] = response.stream();
    json["revision"] = response.last_revision();
    json["position"] = response.last_position();
    json["already_written"] = response.already_written();
    json["id"] = id;
    json["request_id"] = env.connection.options().request_id;
    env.out << codec::DumpCompact(json) << "\n";
  } else {
    env.out << "appended " << response.stream() << " revision " << response.last_revision()
            << " at position " << response.last_position() << " as event " << id
            << (response.already_written() ? " (already written)" : "") << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunRead(CommandEnv& env) {
  const std::string& stream = env.args.positional()[0];
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> from, env.args.Uint64("from"));
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> limit, env.args.Uint64("limit"));
  bool backwards = env.args.Has("backwards");
  bool json = env.json();
  std::ostream& out = env.out;
  EventCallback print = [&out, json](const EventRecord& record, bool redacted) {
    codec::EventJsonOptions options;
    options.redacted = redacted;
    out << (json ? codec::EventToJsonLine(record, options) : EventSummaryLine(record)) << "\n";
    return out ? absl::OkStatus() : absl::UnavailableError("cannot write to stdout");
  };
  ReadEnd end;
  if (stream == "$all") {
    api::v1::ReadAllRequest request;
    request.set_backwards(backwards);
    request.set_limit(limit.value_or(0));
    if (from.has_value()) {
      request.set_from_position(*from);
    } else {
      request.set_from_end(backwards);
    }
    IRM_RETURN_IF_ERROR(CallReadAll(env.connection, request, print, &end));
  } else {
    api::v1::ReadStreamRequest request;
    request.set_stream(stream);
    request.set_backwards(backwards);
    request.set_limit(limit.value_or(0));
    if (from.has_value()) {
      request.set_from_revision(*from);
    } else {
      request.set_from_end(backwards);
    }
    IRM_RETURN_IF_ERROR(CallReadStream(env.connection, request, print, &end));
  }
  if (!end.reached_end) {
    // Stopped by --limit with events left: say where the rest begins (stdout stays events).
    env.err << "more events follow: continue with --from " << end.next
            << (backwards ? " --backwards" : "") << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunInfo(CommandEnv& env) {
  Json json = Json::object();
  if (env.args.positional().empty()) {
    IRM_ASSIGN_OR_RETURN(api::v1::LogInfo info, CallGetLogInfo(env.connection));
    json["head_position"] = info.head_position();
    if (!env.json()) {
      env.out << "head position " << info.head_position() << "\n";
      return absl::OkStatus();
    }
  } else {
    IRM_ASSIGN_OR_RETURN(api::v1::StreamInfo info,
                         CallGetStreamInfo(env.connection, env.args.positional()[0]));
    json["stream"] = info.stream();
    json["last_revision"] = info.last_revision();
    json["event_count"] = info.event_count();
    json["last_position"] = info.last_position();
    if (!env.json()) {
      env.out << info.stream() << ": last revision " << info.last_revision() << ", "
              << info.event_count() << " events, last position " << info.last_position() << "\n";
      return absl::OkStatus();
    }
  }
  env.out << codec::DumpCompact(json) << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadFlagText(absl::string_view value, absl::string_view flag) {
  if (value == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  if (value.empty() || value[0] != '@') return std::string(value);
  std::string path(value.substr(1));
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", flag, " file '", path, "': ", std::strerror(errno)));
  }
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

void RegisterLogCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "append",
      "STREAM TYPE",
      "Append one JSON event to a stream",
      "The event's content type is JSON; irmd validates the data (and --metadata) and\n"
      "stores it exactly as sent, byte for byte: duplicate keys and a byte order mark are\n"
      "refused. It prints the event's id (irmd makes one unless --id gives it). Re-sending\n"
      "an event with the same --id and the same data bytes is idempotent and reports\n"
      "'(already written)'. The event's metadata records the call's request id (irm\n"
      "--request-id, else a new one; --json prints it). Only the secretariat\n"
      "appends, and never to a review- stream: reviews change through 'irm review' and\n"
      "'irm need' (or 'irm import').",
      {
          {"data", "JSON", "the event's data (default {}); @FILE reads a file, - reads stdin"},
          {"id", "UUID", "event id, for idempotent retries (default: the server makes one)"},
          {"expect", "any|no_stream|exists|N",
           "refuse (ABORTED, nothing written) unless the stream has no events, has some, or its "
           "last revision is N (default any)"},
          {"correlation-id", "X", "correlation id stored in the event's metadata"},
          {"causation-id", "X", "causation id stored in the event's metadata"},
          {"metadata", "JSON", "custom metadata object; @FILE and - as for --data"},
      },
      {
          R"(irm append notes-KEN-2 CallNoted --data '{"with":"focal point"}' --expect 2)",
          "irm append notes-1 NoteTaken --data @note.json --id "
          "123e4567-e89b-42d3-a456-426614174000",
          "echo '{\"a\":1}' | irm append test-1 Tested --data - --json",
      },
      2,
      2,
      RunAppend,
  });
  registry.Add(Command{
      "read",
      "STREAM",
      "Read the events of a stream, or of the whole log with '$all'",
      "For a stream --from is a revision; for '$all' it is a global position. Without\n"
      "--from, reads from the start (or from the end with --backwards). A forward read\n"
      "ends at the stream's last revision (the log's head) as it stood when it began.\n"
      "When --limit stops it with events left, stderr says 'more events follow: continue\n"
      "with --from N'. With --json, one line per event as 'irm export' writes it: JSON\n"
      "data verbatim as \"data\", or as \"data_base64\" when it holds a line break or is\n"
      "not JSON (docs/log.md).",
      {
          {"from", "N", "first revision (stream) or position ($all) to read"},
          {"backwards", "", "read newest first"},
          {"limit", "N", "stop after N events"},
      },
      {
          "irm read review-KEN-2",
          "irm read '$all' --backwards --limit 10",
          "irm read review-KEN-2 --from 3 --json",
      },
      1,
      1,
      RunRead,
  });
  registry.Add(Command{
      "info",
      "[STREAM]",
      "Show the log's head position, or a stream's last revision and size",
      "",
      {},
      {"irm info", "irm info review-KEN-2 --json"},
      0,
      1,
      RunInfo,
  });
}

}  // namespace irm::cli
