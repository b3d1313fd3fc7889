#include "cli/admin/transfer_commands.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "cli/log/log_calls.h"
#include "cli/core/progress.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"
#include "engine/common/uuid.h"

namespace irm::cli {
namespace {

using event::v1::EventRecord;

absl::Status RunExport(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> from, env.args.Uint64("from"));
  std::optional<std::string> output = env.args.Value("output");
  std::ofstream file;
  std::ostream* out = &env.out;
  if (output.has_value()) {
    file.open(*output, std::ios::binary | std::ios::trunc);
    if (!file) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot write --output file '", *output, "': ", std::strerror(errno)));
    }
    out = &file;
  }
  std::string target = output.value_or("stdout");
  Progress progress(env.err, Progress::StderrIsTerminal());
  uint64_t head = 0;  // for the progress bar only, so asked only when it is drawn
  if (Progress::StderrIsTerminal()) {
    if (absl::StatusOr<api::v1::LogInfo> info = CallGetLogInfo(env.connection); info.ok()) {
      head = info->head_position();
    }
  }
  uint64_t count = 0, first = 0, last = 0;
  api::v1::ReadAllRequest request;
  request.set_from_position(from.value_or(0));
  IRM_RETURN_IF_ERROR(CallReadAll(env.connection, request, [&](const EventRecord& record,
                                                                    bool redacted) {
    codec::EventJsonOptions options;
    options.redacted = redacted;
    *out << codec::EventToJsonLine(record, options) << '\n';
    if (!*out) return absl::UnavailableError(absl::StrCat("cannot write to ", target));
    if (count++ == 0) first = record.position();
    last = record.position();
    if (progress.Due()) {
      const uint64_t start = std::max<uint64_t>(1, from.value_or(1));
      const uint64_t span = head >= start ? head - start + 1 : 0;
      progress.Show(absl::StrCat(Progress::Bar(count, span), " exported ", count, " events"));
    }
    return absl::OkStatus();
  }));
  out->flush();
  if (!*out) return absl::UnavailableError(absl::StrCat("cannot write to ", target));
  progress.Clear();
  env.err << "exported " << count << " events";
  if (count > 0) env.err << " (positions " << first << ".." << last << ")";
  env.err << "\n";
  return absl::OkStatus();
}

// Accumulates consecutive events of one stream and appends them as one batch.
class ImportBatcher {
 public:
  ImportBatcher(Connection& connection, std::string source)
      : connection_(connection), source_(std::move(source)) {}

  // Whether `record` (from `line`) continues the pending batch. A revision gap inside one
  // stream's run is an error.
  absl::StatusOr<bool> Continues(const EventRecord& record, size_t line) const {
    if (events_.empty() || record.stream() != events_.back().stream()) return false;
    if (record.revision() != events_.back().revision() + 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          source_, " line ", line, ": ", record.stream(), " revision ", record.revision(),
          " follows revision ", events_.back().revision(), " on line ", lines_.back(),
          "; an import needs each stream's revisions in order without gaps"));
    }
    return events_.size() < kImportBatchSize && bytes_ + Bytes(record) <= kImportBatchBytes;
  }

  void Add(EventRecord record, size_t line) {
    bytes_ += Bytes(record);
    events_.push_back(std::move(record));
    lines_.push_back(line);
  }

  // Appends the pending batch, if any, and counts its events as new or already present.
  // A batch that an earlier import wrote only in part, or split differently (another
  // export of the same log), is ALREADY_EXISTS as a whole; it is then retried event by
  // event, which is exact: each event alone is either already written or next.
  absl::Status Flush() {
    if (events_.empty()) return absl::OkStatus();
    absl::Status status = Append(0, events_.size());
    if (status.code() == absl::StatusCode::kAlreadyExists && events_.size() > 1) {
      status = absl::OkStatus();
      for (size_t i = 0; i < events_.size() && status.ok(); ++i) status = Append(i, i + 1);
    }
    events_.clear();
    lines_.clear();
    bytes_ = 0;
    return status;
  }

  uint64_t imported() const { return imported_; }
  uint64_t present() const { return present_; }

 private:
  // Appends events_[begin, end) as one request; errors name the lines.
  absl::Status Append(size_t begin, size_t end) {
    std::vector<EventRecord> batch(events_.begin() + begin, events_.begin() + end);
    absl::StatusOr<api::v1::AppendResponse> response =
        CallAppend(connection_, BuildImportRequest(batch));
    if (!response.ok()) {
      std::string lines = end - begin == 1
                              ? absl::StrCat("line ", lines_[begin])
                              : absl::StrCat("lines ", lines_[begin], "-", lines_[end - 1]);
      return absl::Status(response.status().code(),
                          absl::StrCat(source_, " ", lines, " (", batch.front().stream(),
                                       "): ", response.status().message()));
    }
    (response->already_written() ? present_ : imported_) += batch.size();
    return absl::OkStatus();
  }

  // What `record` adds to an import request: itself, and its metadata again as its origin.
  static size_t Bytes(const EventRecord& record) {
    return record.ByteSizeLong() + record.metadata().ByteSizeLong();
  }

  Connection& connection_;
  std::string source_;
  size_t bytes_ = 0;                 // Bytes() of events_
  std::vector<EventRecord> events_;  // one stream, consecutive revisions
  std::vector<size_t> lines_;        // the line of each event
  uint64_t imported_ = 0;
  uint64_t present_ = 0;
};

absl::Status RunImport(CommandEnv& env) {
  const std::string& path = env.args.positional()[0];
  std::string source = path == "-" ? "stdin" : path;
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      return absl::NotFoundError(absl::StrCat("cannot read '", path, "': ", std::strerror(errno)));
    }
    in = &file;
  }
  Progress progress(env.err, Progress::StderrIsTerminal());
  std::error_code size_error;
  const uint64_t total_bytes = path == "-" ? 0 : std::filesystem::file_size(path, size_error);
  uint64_t read_bytes = 0;
  ImportBatcher batcher(env.connection, source);
  std::string line;
  for (size_t number = 1; std::getline(*in, line); ++number) {
    read_bytes += line.size() + 1;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    absl::StatusOr<EventRecord> record = codec::ParseEventJson(line);
    if (!record.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, " line ", number, ": ", record.status().message()));
    }
    IRM_ASSIGN_OR_RETURN(bool continues, batcher.Continues(*record, number));
    if (!continues) IRM_RETURN_IF_ERROR(batcher.Flush());
    batcher.Add(*std::move(record), number);
    if (progress.Due()) {
      progress.Show(absl::StrCat(total_bytes > 0 ? Progress::Bar(read_bytes, total_bytes) + " " : "",
                                 "imported ", batcher.imported(), " events (", batcher.present(),
                                 " already present)"));
    }
  }
  if (in->bad()) return absl::UnavailableError(absl::StrCat("cannot read ", source));
  IRM_RETURN_IF_ERROR(batcher.Flush());
  progress.Clear();
  env.err << "imported " << batcher.imported() << " events (" << batcher.present()
          << " already present) from " << source << "\n";
  if (env.json()) {
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    json["imported"] = batcher.imported();
    json["already_present"] = batcher.present();
    json["source"] = source;
    env.out << codec::DumpCompact(json) << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

api::v1::AppendRequest BuildImportRequest(const std::vector<EventRecord>& events) {
  api::v1::AppendRequest request;
  request.set_stream(events.front().stream());
  request.set_import(true);
  if (events.front().revision() == 0) {
    request.mutable_no_stream();
  } else {
    request.set_expected_revision(events.front().revision() - 1);
  }
  for (const EventRecord& record : events) {
    api::v1::ProposedEvent* event = request.add_events();
    event->set_id(record.id());
    event->set_type(record.type());
    event->set_content_type(record.content_type());
    event->set_data(record.data());
    event->set_correlation_id(record.metadata().correlation_id());
    event->set_causation_id(record.metadata().causation_id());
    event->set_custom_json(record.metadata().custom_json());
    event->mutable_imported_from()->set_position(record.position());
    *event->mutable_imported_from()->mutable_metadata() = record.metadata();
  }
  return request;
}

void RegisterTransferCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "export",
      "",
      "Write the whole log as JSON lines, one event per line, oldest first",
      "Each event's data is byte-exact: JSON data verbatim as \"data\", or as \"data_base64\"\n"
      "when it holds a line break or is not JSON; custom metadata likewise (docs/log.md).\n"
      "Progress goes to stderr when it is a terminal; a summary line always does.",
      {
          {"from", "POSITION", "first global position to export (default: the start)"},
          {"output", "FILE", "write to FILE instead of stdout"},
      },
      {"irm export > events.jsonl", "irm export --from 1000 --output tail.jsonl"},
      0,
      0,
      RunExport,
  });
  registry.Add(Command{
      "import",
      "FILE",
      "Append the events of an export (FILE, or - for stdin) to this log",
      "Consecutive events of a stream are appended atomically, at most 127 events and\n"
      "1 MiB at a time, each expecting the stream at the revision the export had; every\n"
      "event keeps its id and records its original position and metadata. Data and custom\n"
      "metadata are appended exactly as the file holds them (\"data\" as written, or\n"
      "\"data_base64\" decoded). Re-importing is a no-op. A malformed line stops the import\n"
      "before its batch is appended.",
      {},
      {"irm import events.jsonl",
       "irm --server old:50051 export | irm --server new:50051 import -"},
      1,
      1,
      RunImport,
  });
}

}  // namespace irm::cli
