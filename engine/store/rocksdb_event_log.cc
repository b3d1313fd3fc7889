#include "engine/store/rocksdb_event_log.h"

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/log/append_validation.h"
#include "engine/store/append_writer.h"
#include "engine/store/keys.h"
#include "engine/store/log_database.h"
#include "engine/store/rocksdb_audit_store.h"
#include "engine/store/rocksdb_projection_store.h"
#include "engine/store/rocksdb_status.h"
#include "engine/store/slice.h"
#include "google/protobuf/io/coded_stream.h"
#include "engine/store/startup_check.h"

namespace irm::store {
namespace {

// The hard cap on one read call, whatever the caller asks for.
constexpr size_t kMaxReadCount = 100000;

size_t ClampCount(size_t requested) { return std::min(requested, kMaxReadCount); }

// True if `bytes`, a deterministically serialized EventRecord, begins with its position
// field (field 1, always first and never 0) holding `position`.
bool StartsWithPosition(absl::string_view bytes, uint64_t position) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  uint64_t stored = 0;
  return in.ReadTag() == 8 && in.ReadVarint64(&stored) && stored == position;
}

// Calls `visit` with the position and stored bytes of each event ReadAll(options) returns,
// in order, never past `head`; DataLoss if a position is missing.
absl::Status ScanAll(
    const LogDatabase& database, uint64_t head, const log::ReadAllOptions& options,
    const std::function<absl::Status(uint64_t position, absl::string_view bytes)>& visit) {
  const bool forward = options.direction == log::Direction::kForward;
  const size_t max_count = ClampCount(options.max_count);
  if (head == 0 || max_count == 0) return absl::OkStatus();
  uint64_t from = options.from_position.value_or(forward ? 1 : head);
  if (forward && from == 0) from = 1;
  if (forward && from > head) return absl::OkStatus();
  if (!forward) {
    if (from == 0) return absl::OkStatus();
    from = std::min(from, head);
  }

  const std::string upper = EncodeBigEndian64(head + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(database.db()->NewIterator(read_options, database.events()));
  const std::string start = EncodeBigEndian64(from);
  uint64_t expected = from;
  size_t count = 0;
  log::MessageBudget budget(options.max_bytes);
  for (forward ? it->Seek(start) : it->SeekForPrev(start); it->Valid() && count < max_count;
       forward ? it->Next() : it->Prev()) {
    std::optional<uint64_t> position = DecodeBigEndian64(View(it->key()));
    if (!position.has_value() || *position != expected) {
      return absl::DataLossError(absl::StrCat("the log has no event at position ", expected,
                                              ": the data folder is damaged"));
    }
    if (!budget.TryAdd(it->value().size())) return absl::OkStatus();
    IRM_RETURN_IF_ERROR(visit(*position, View(it->value())));
    ++count;
    if (!forward && expected == 1) break;
    expected = forward ? expected + 1 : expected - 1;
  }
  IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the log"));
  if (count < max_count && forward && expected <= head) {
    return absl::DataLossError(absl::StrCat("the log has no event at position ", expected,
                                            ": the data folder is damaged"));
  }
  return absl::OkStatus();
}

}  // namespace

struct RocksDbEventLog::Impl {
  RocksDbEventLogOptions options;
  std::unique_ptr<LogDatabase> database;
  std::unique_ptr<TreeWriter> tree;
  std::unique_ptr<AppendWriter> writer;
  std::unique_ptr<RocksDbAuditStore> audit;
  std::unique_ptr<RocksDbProjectionStore> projections;
  BackupCanceller backups;
};

absl::StatusOr<std::unique_ptr<RocksDbEventLog>> RocksDbEventLog::Open(
    const std::string& dir, RocksDbEventLogOptions options) {
  auto impl = std::make_unique<Impl>();
  if (options.replicator != nullptr) {
    log::LogLimits& limits = options.limits;
    limits.max_events_per_append = std::min(limits.max_events_per_append, kClusterMaxEventsPerAppend);
    limits.max_append_bytes = std::min<size_t>(limits.max_append_bytes, kClusterMaxAppendBytes);
    limits.max_event_bytes = std::min<size_t>(limits.max_event_bytes, kClusterMaxAppendBytes);
  }
  impl->options = options;
  LogDatabaseOpenOptions open;
  open.file_system = options.file_system;
  IRM_ASSIGN_OR_RETURN(impl->database, LogDatabase::Open(dir, open));
  IRM_ASSIGN_OR_RETURN(uint64_t head, CheckStartupIntegrity(*impl->database));
  IRM_ASSIGN_OR_RETURN(impl->tree, TreeWriter::Open(impl->database.get(), head));
  impl->writer = std::make_unique<AppendWriter>(impl->database.get(), options.clock, head,
                                                impl->tree.get(), options.min_free_bytes,
                                                options.max_buffered_bytes, options.replicator);
  AppendWriter* writer = impl->writer.get();
  impl->audit = std::make_unique<RocksDbAuditStore>(impl->database.get(),
                                                    [writer] { return writer->head(); });
  impl->projections = std::make_unique<RocksDbProjectionStore>(impl->database.get());
  return std::unique_ptr<RocksDbEventLog>(new RocksDbEventLog(std::move(impl)));
}

RocksDbEventLog::RocksDbEventLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RocksDbEventLog::~RocksDbEventLog() { Close(); }

void RocksDbEventLog::Close() { impl_->writer->Close(); }

absl::StatusOr<BackupReport> RocksDbEventLog::Backup(const std::string& backup_dir) {
  return CreateBackup(impl_->database.get(), backup_dir, HeadPosition(), &impl_->backups);
}

void RocksDbEventLog::CancelBackups() { impl_->backups.Cancel(); }

BufferedAppends RocksDbEventLog::buffered_appends() const {
  const AppendWriter::Buffered held = impl_->writer->buffered();
  return BufferedAppends{held.bytes, held.max_bytes, held.refused};
}

projection::ProjectionStore* RocksDbEventLog::projection_store() {
  return impl_->projections.get();
}

audit::AuditStore* RocksDbEventLog::audit_store() { return impl_->audit.get(); }

void RocksDbEventLog::AppendAsync(log::AppendRequest request, log::AppendCallback done) {
  if (absl::Status s = log::ValidateAppend(request, impl_->options.limits); !s.ok()) {
    done(s);
    return;
  }
  if (impl_->options.content_check) {
    if (absl::Status s = impl_->options.content_check(request); !s.ok()) {
      done(s);
      return;
    }
  }
  impl_->writer->Submit(std::move(request), std::move(done));
}

uint64_t RocksDbEventLog::HeadPosition() const { return impl_->writer->head(); }

void RocksDbEventLog::ApplyReplicated(std::vector<std::string> records) {
  if (impl_->options.replicator == nullptr) return;
  impl_->writer->SubmitReplicated(std::move(records));
}

void RocksDbEventLog::SetCommitListener(log::CommitListener listener) {
  impl_->writer->SetCommitListener(std::move(listener));
}

absl::StatusOr<std::vector<log::EventRecord>> RocksDbEventLog::ReadAll(
    const log::ReadAllOptions& options) const {
  std::vector<log::EventRecord> events;
  IRM_RETURN_IF_ERROR(ScanAll(*impl_->database, HeadPosition(), options,
                              [&events](uint64_t position, absl::string_view bytes) {
                                IRM_ASSIGN_OR_RETURN(log::EventRecord record,
                                                     DecodeRecord(position, bytes));
                                events.push_back(std::move(record));
                                return absl::OkStatus();
                              }));
  return events;
}

absl::StatusOr<std::vector<std::string>> RocksDbEventLog::ReadAllEncoded(
    const log::ReadAllOptions& options) const {
  std::vector<std::string> events;
  IRM_RETURN_IF_ERROR(ScanAll(*impl_->database, HeadPosition(), options,
                              [&events](uint64_t position, absl::string_view bytes) {
                                if (!StartsWithPosition(bytes, position)) {
                                  return absl::DataLossError(absl::StrCat(
                                      "the event stored at position ", position,
                                      " does not start with that position"));
                                }
                                events.emplace_back(bytes);
                                return absl::OkStatus();
                              }));
  return events;
}

absl::StatusOr<std::vector<log::EventRecord>> RocksDbEventLog::ReadStream(
    const log::ReadStreamOptions& options) const {
  IRM_RETURN_IF_ERROR(log::ValidateStreamName(options.stream));
  const bool forward = options.direction == log::Direction::kForward;
  const size_t max_count = ClampCount(options.max_count);
  const uint64_t head = HeadPosition();
  const std::string prefix = StreamPrefix(options.stream);

  std::vector<uint64_t> positions;
  {
    std::unique_ptr<rocksdb::Iterator> it(impl_->database->db()->NewIterator(
        rocksdb::ReadOptions(), impl_->database->streams()));
    const std::string start =
        StreamKey(options.stream, options.from_revision.value_or(forward ? 0 : UINT64_MAX));
    for (forward ? it->Seek(start) : it->SeekForPrev(start);
         it->Valid() && it->key().starts_with(prefix) && positions.size() < max_count;
         forward ? it->Next() : it->Prev()) {
      std::optional<uint64_t> position = DecodeBigEndian64(View(it->value()));
      if (!position.has_value()) {
        return absl::DataLossError(
            absl::StrCat("the stream index of ", options.stream, " is damaged"));
      }
      if (*position > head) continue;  // committed by a group not yet acknowledged
      positions.push_back(*position);
    }
    IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the stream index"));
  }
  if (positions.empty()) {
    IRM_ASSIGN_OR_RETURN(std::optional<StreamTail> tail,
                         impl_->database->FindStreamTail(options.stream, head));
    if (!tail.has_value()) {
      return log::StreamNotFoundError(options.stream);
    }
  }

  // A byte-bounded read fetches in batches growing from one event, so it reads little past
  // max_bytes whatever the events' sizes; an unbounded one fetches everything at once.
  const bool bounded = options.max_bytes != SIZE_MAX;
  log::MessageBudget budget(options.max_bytes);
  std::vector<log::EventRecord> events;
  events.reserve(positions.size());
  for (size_t begin = 0, batch = bounded ? 1 : positions.size(); begin < positions.size();
       begin += batch, batch = std::min<size_t>(2 * batch, 64)) {
    const size_t end = std::min(positions.size(), begin + batch);
    std::vector<std::string> keys;
    keys.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) keys.push_back(EncodeBigEndian64(positions[i]));
    std::vector<rocksdb::Slice> key_slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    impl_->database->db()->MultiGet(rocksdb::ReadOptions(), impl_->database->events(),
                                    key_slices.size(), key_slices.data(), values.data(),
                                    statuses.data());
    for (size_t i = 0; i < keys.size(); ++i) {
      if (statuses[i].IsNotFound()) {
        return absl::DataLossError(absl::StrCat(
            "stream ", options.stream, " names position ", positions[begin + i],
            ", which holds no event: the data folder is damaged"));
      }
      IRM_RETURN_IF_ERROR(FromRocksDb(statuses[i], "reading events of a stream"));
      if (!budget.TryAdd(values[i].size())) return events;
      IRM_ASSIGN_OR_RETURN(log::EventRecord record,
                           DecodeRecord(positions[begin + i], View(values[i])));
      events.push_back(std::move(record));
    }
  }
  return events;
}

absl::StatusOr<log::StreamInfo> RocksDbEventLog::GetStreamInfo(absl::string_view stream) const {
  IRM_RETURN_IF_ERROR(log::ValidateStreamName(stream));
  // The stream as of the head: entries of a group not yet at the head are not seen.
  IRM_ASSIGN_OR_RETURN(std::optional<StreamTail> tail,
                       impl_->database->FindStreamTail(stream, HeadPosition()));
  if (!tail.has_value()) {
    return log::StreamNotFoundError(stream);
  }
  log::StreamInfo info;
  info.stream = std::string(stream);
  info.last_revision = tail->last_revision;
  info.event_count = tail->last_revision + 1;
  info.last_position = tail->last_position;
  return info;
}

}  // namespace irm::store
