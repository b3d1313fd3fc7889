#include "engine/store/append_writer.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/common/error_details.h"
#include "engine/common/status_macros.h"
#include "engine/common/uuid.h"
#include "engine/store/disk_space.h"
#include "engine/store/keys.h"
#include "engine/store/rocksdb_status.h"
#include "rocksdb/write_batch.h"

namespace irm::store {
namespace {

using log::AppendRequest;
using log::AppendResult;
using log::EventRecord;
using log::ExpectedRevision;

constexpr size_t kMaxAppendsPerGroup = 4096;
constexpr size_t kMaxCachedStreams = 100000;
// Cluster mode: how long a group keeps being decided again after other nodes moved the shared
// head first (each lost race is one etcd round; with n nodes writing at once a node wins a
// round about 1/n of the time, so a count of rounds would starve a node now and then, as 20
// did), and the bound of the random pause after a lost race, which doubles from 1 ms per
// attempt so nodes that collided do not collide again in lockstep.
constexpr absl::Duration kReplicatedRaceBudget = absl::Seconds(5);
constexpr absl::Duration kMaxRaceBackoff = absl::Milliseconds(16);

absl::Duration RaceBackoff(int attempt) {
  thread_local std::minstd_rand random{std::random_device{}()};
  const int64_t bound_us = std::min<int64_t>(absl::ToInt64Microseconds(kMaxRaceBackoff),
                                             int64_t{1000} << std::min(attempt, 10));
  return absl::Microseconds(std::uniform_int_distribution<int64_t>(0, bound_us)(random));
}
// Cluster mode: batches of replicated records waiting before SubmitReplicated blocks, and the
// bytes one catch-up read asks for.
constexpr size_t kMaxReplicatedBatches = 64;
constexpr uint64_t kCatchUpPageBytes = 8 << 20;

// What differs between a stored event and one proposed again with its id, checked in this
// order: "stream", "type", "content_type", "data"; empty if nothing does (a retry).
absl::string_view ContentDifference(const EventRecord& existing, absl::string_view stream,
                                    const log::ProposedEvent& proposed) {
  if (existing.stream() != stream) return "stream";
  if (existing.type() != proposed.type) return "type";
  if (existing.content_type() != proposed.content_type) return "content_type";
  if (existing.data() != proposed.data) return "data";
  return "";
}

std::string DescribeTail(absl::string_view stream, std::optional<uint64_t> last) {
  if (!last.has_value()) return absl::StrCat(stream, " has no events");
  return absl::StrCat(stream, " is at revision ", *last);
}

// Aborted unless `expected` holds for a stream whose last revision is `last`.
absl::Status CheckExpected(absl::string_view stream, const ExpectedRevision& expected,
                           std::optional<uint64_t> last) {
  bool ok = true;
  std::string wanted;
  switch (expected.kind) {
    case ExpectedRevision::Kind::kAny:
      return absl::OkStatus();
    case ExpectedRevision::Kind::kNoStream:
      ok = !last.has_value();
      wanted = "no stream";
      break;
    case ExpectedRevision::Kind::kExists:
      ok = last.has_value();
      wanted = "an existing stream";
      break;
    case ExpectedRevision::Kind::kExact:
      ok = last.has_value() && *last == expected.revision;
      wanted = absl::StrCat("revision ", expected.revision);
      break;
  }
  if (ok) return absl::OkStatus();
  return common::WithReason(
      absl::AbortedError(absl::StrCat("append to ", stream, " expected ", wanted, ", but ",
                                      DescribeTail(stream, last),
                                      "; read the stream and retry with its revision")),
      "WRONG_EXPECTED_REVISION",
      {{"stream", std::string(stream)},
       {"expected", expected.ToString()},
       {"actual", last.has_value() ? absl::StrCat(*last) : "no_stream"}});
}

// AlreadyExists: `id` names `stored`, which differs from the proposed event in `differs`.
absl::Status EventIdReused(absl::string_view id, const EventRecord& stored,
                           absl::string_view stream, absl::string_view differs) {
  const std::string id_text = common::UuidBytesToString(id);
  const std::string where = absl::StrCat("position ", stored.position(), " (", stored.stream(),
                                         " revision ", stored.revision(), ", ", stored.type(),
                                         ")");
  std::string message;
  if (differs == "stream") {
    message = absl::StrCat("event id ", id_text, " is already used in stream ", stored.stream(),
                           " at ", where, ", not in ", stream,
                           "; an id names one event in one stream: give this event a new id");
  } else {
    message = absl::StrCat("event id ", id_text, " was already used at ", where,
                           " with a different ", differs == "content_type" ? "content type" : differs,
                           "; a retry must send the same event; give a new event a new id");
  }
  return common::WithReason(absl::AlreadyExistsError(message), "EVENT_ID_REUSED",
                            {{"id", id_text},
                             {"stream", stored.stream()},
                             {"position", absl::StrCat(stored.position())},
                             {"revision", absl::StrCat(stored.revision())},
                             {"differs", std::string(differs)}});
}

}  // namespace

uint64_t AppendBytes(const log::AppendRequest& request) {
  uint64_t bytes = request.stream.size();
  for (const log::ProposedEvent& event : request.events) {
    bytes += event.data.size() + event.metadata.custom_json().size() + event.type.size() +
             event.id.size();
  }
  return bytes;
}

// The decisions of one commit group: what each append gets, and the batch that writes the
// accepted ones. Sees the log as committed plus everything accepted earlier in the group.
class AppendWriter::Group {
 public:
  struct Outcome {
    absl::StatusOr<AppendResult> result;
    bool needs_commit = false;  // true if the result holds only once the group is durable
  };

  Group(LogDatabase* database, const absl::flat_hash_map<std::string, uint64_t>* cache,
        uint64_t head, int64_t now_us, const TreeWriter* tree)
      : database_(database), cache_(cache), next_position_(head + 1), now_us_(now_us),
        tree_writer_(tree), tree_(tree->Stage()) {}

  // Plans `request` if accepted, moving its events' contents into the planned records.
  Outcome Decide(AppendRequest& request) {
    bool touches_group = false;
    absl::StatusOr<std::optional<AppendResult>> already =
        FindAlreadyWritten(request, &touches_group);
    if (!already.ok()) return {already.status(), false};
    if (already->has_value()) return {**already, touches_group};

    absl::StatusOr<std::optional<uint64_t>> last = LastRevision(request.stream);
    if (!last.ok()) return {last.status(), false};
    if (absl::Status s = CheckExpected(request.stream, request.expected, *last); !s.ok()) {
      return {s, false};
    }
    return {Plan(request, last->has_value() ? **last + 1 : 0), true};
  }

  bool HasWrites() const { return !planned_.empty(); }
  // The group's events with their stored bytes, for the commit listener; call once, after
  // the group is durable.
  std::vector<log::CommittedEvent> TakeCommitted() {
    std::vector<log::CommittedEvent> events(std::make_move_iterator(planned_.begin()),
                                            std::make_move_iterator(planned_.end()));
    planned_.clear();
    planned_by_id_.clear();
    return events;
  }
  rocksdb::WriteBatch* batch() { return &batch_; }
  // The planned events' stored bytes, in position order (cluster mode commits these).
  std::vector<std::string> EncodedRecords() const {
    std::vector<std::string> records;
    records.reserve(planned_.size());
    for (const log::CommittedEvent& event : planned_) records.push_back(event.encoded);
    return records;
  }
  uint64_t last_position() const { return next_position_ - 1; }
  // The tree with this group's events as leaves; publish it once the batch is durable.
  audit::Frontier TakeTree() { return std::move(tree_); }

  // Makes the group's stream revisions the committed ones. Call after a durable write.
  void PublishTo(absl::flat_hash_map<std::string, uint64_t>* cache) const {
    if (cache->size() + overlay_.size() > kMaxCachedStreams) cache->clear();
    for (const auto& [stream, last] : overlay_) {
      if (last.has_value()) (*cache)[stream] = *last;
    }
  }

 private:
  absl::StatusOr<std::optional<uint64_t>> LastRevision(const std::string& stream) {
    if (auto it = overlay_.find(stream); it != overlay_.end()) return it->second;
    if (auto it = cache_->find(stream); it != cache_->end()) {
      return std::optional<uint64_t>(it->second);
    }
    IRM_ASSIGN_OR_RETURN(std::optional<StreamTail> tail, database_->FindStreamTail(stream));
    std::optional<uint64_t> last;
    if (tail.has_value()) last = tail->last_revision;
    overlay_[stream] = last;
    return last;
  }

  // The original result if every event id of `request` was already written with the same
  // content, as one append; nullopt if none was; AlreadyExists otherwise.
  absl::StatusOr<std::optional<AppendResult>> FindAlreadyWritten(const AppendRequest& request,
                                                                 bool* touches_group) {
    std::vector<std::pair<uint64_t, uint64_t>> found;  // (position, revision)
    std::string missing_id;
    for (const log::ProposedEvent& event : request.events) {
      if (event.id.empty()) {
        missing_id = "(server-made)";
        continue;
      }
      std::optional<EventRecord> stored;
      if (auto it = planned_by_id_.find(event.id); it != planned_by_id_.end()) {
        stored = *it->second;
        *touches_group = true;
      } else {
        IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> position,
                             database_->FindPositionOfId(event.id));
        if (position.has_value()) {
          IRM_ASSIGN_OR_RETURN(stored, database_->ReadEvent(*position));
        }
      }
      if (!stored.has_value()) {
        missing_id = common::UuidBytesToString(event.id);
        continue;
      }
      if (absl::string_view differs = ContentDifference(*stored, request.stream, event);
          !differs.empty()) {
        return EventIdReused(event.id, *stored, request.stream, differs);
      }
      found.emplace_back(stored->position(), stored->revision());
    }
    if (found.empty()) return std::optional<AppendResult>();
    if (!missing_id.empty()) {
      return common::WithReason(
          absl::AlreadyExistsError(absl::StrCat(
              "some events of this append to ", request.stream,
              " were already written (from position ", found.front().first, ") but event ",
              missing_id,
              " was not; retry with exactly the events of the original append, or use new ids")),
          "PARTIAL_RETRY",
          {{"stream", request.stream},
           {"position", absl::StrCat(found.front().first)},
           {"missing_id", missing_id}});
    }
    for (size_t i = 1; i < found.size(); ++i) {
      if (found[i].first != found[0].first + i || found[i].second != found[0].second + i) {
        return common::WithReason(
            absl::AlreadyExistsError(absl::StrCat(
                "the events of this append to ", request.stream,
                " were already written, but by different appends (positions ", found[0].first,
                " and ", found[i].first,
                "); retry with exactly the events of the original append")),
            "RETRY_OF_SEVERAL_APPENDS",
            {{"stream", request.stream},
             {"position", absl::StrCat(found[0].first)},
             {"other_position", absl::StrCat(found[i].first)}});
      }
    }
    AppendResult result;
    result.stream = request.stream;
    result.first_position = found.front().first;
    result.last_position = found.back().first;
    result.first_revision = found.front().second;
    result.last_revision = found.back().second;
    result.already_written = true;
    result.ids.reserve(request.events.size());
    for (const log::ProposedEvent& event : request.events) result.ids.push_back(event.id);
    return std::optional<AppendResult>(result);
  }

  AppendResult Plan(AppendRequest& request, uint64_t first_revision) {
    AppendResult result;
    result.stream = request.stream;
    result.ids.reserve(request.events.size());
    result.first_revision = first_revision;
    result.first_position = next_position_;
    uint64_t revision = first_revision;
    for (log::ProposedEvent& event : request.events) {
      log::CommittedEvent& committed = planned_.emplace_back();
      committed.record = std::make_unique<EventRecord>();
      EventRecord& record = *committed.record;
      record.set_position(next_position_++);
      record.set_stream(request.stream);
      record.set_revision(revision++);
      record.set_id(event.id.empty() ? common::Uuid::Random().Bytes() : std::move(event.id));
      result.ids.push_back(record.id());
      record.set_type(std::move(event.type));
      record.set_content_type(event.content_type);
      record.set_data(std::move(event.data));
      *record.mutable_metadata() = std::move(event.metadata);
      record.mutable_metadata()->set_recorded_at_us(now_us_);

      const std::string position_key = EncodeBigEndian64(record.position());
      committed.encoded = EncodeRecord(record);
      batch_.Put(database_->events(), position_key, committed.encoded);
      tree_writer_->Add(&tree_, committed.encoded, &batch_);
      batch_.Put(database_->streams(), StreamKey(record.stream(), record.revision()), position_key);
      batch_.Put(database_->ids(), record.id(), position_key);
      planned_by_id_[record.id()] = &record;
    }
    result.last_revision = revision - 1;
    result.last_position = next_position_ - 1;
    overlay_[request.stream] = result.last_revision;
    return result;
  }

  LogDatabase* const database_;
  const absl::flat_hash_map<std::string, uint64_t>* const cache_;
  uint64_t next_position_;
  const int64_t now_us_;
  const TreeWriter* const tree_writer_;
  audit::Frontier tree_;  // the committed tree plus this group's planned events
  // Last revision per stream as of this group (nullopt: no events).
  absl::flat_hash_map<std::string, std::optional<uint64_t>> overlay_;
  std::vector<log::CommittedEvent> planned_;  // records on the heap: pointers stay valid
  absl::flat_hash_map<std::string, const EventRecord*> planned_by_id_;
  rocksdb::WriteBatch batch_;
};

AppendWriter::AppendWriter(LogDatabase* database, common::Clock* clock, uint64_t head,
                           TreeWriter* tree, uint64_t min_free_bytes,
                           uint64_t max_buffered_bytes, CommitReplicator* replicator)
    : database_(database),
      clock_(clock),
      min_free_bytes_(min_free_bytes),
      max_buffered_bytes_(std::max<uint64_t>(max_buffered_bytes, 1)),
      head_(head),
      tree_(tree),
      replicator_(replicator) {
  thread_ = std::thread([this] { Run(); });
}

AppendWriter::~AppendWriter() { Close(); }

void AppendWriter::SetCommitListener(log::CommitListener listener) {
  common::MutexLock lock(&listener_mu_);
  common::MutexLock set_aside_lock(&set_aside_mu_);
  listener_ = std::move(listener);
  has_listener_ = static_cast<bool>(listener_);
  set_aside_.clear();  // committed before this listener: not its to hear
}

AppendWriter::Buffered AppendWriter::buffered() const {
  common::MutexLock lock(&mu_);
  return Buffered{buffered_bytes_, max_buffered_bytes_, refused_};
}

absl::Status AppendWriter::Reserve(uint64_t bytes) {
  if (buffered_bytes_ > 0 && buffered_bytes_ + bytes > max_buffered_bytes_) {
    ++refused_;
    // About the time the held appends take to commit at a modest 64 MiB/s.
    const absl::Duration delay = std::clamp(
        absl::Milliseconds(static_cast<int64_t>(buffered_bytes_ >> 16)), absl::Milliseconds(50),
        absl::Seconds(2));
    return common::WithRetryDelay(
        common::WithReason(
            absl::ResourceExhaustedError(absl::StrCat(
                "irmd holds ", buffered_bytes_, " bytes of appends waiting to be written and ",
                "this append of ", bytes, " bytes would pass its bound of ", max_buffered_bytes_,
                " (--max-buffered-bytes); nothing was appended: retry after ",
                absl::FormatDuration(delay))),
            "BUFFERS_FULL",
            {{"buffered_bytes", absl::StrCat(buffered_bytes_)},
             {"request_bytes", absl::StrCat(bytes)},
             {"limit", absl::StrCat(max_buffered_bytes_)}}),
        delay);
  }
  buffered_bytes_ += bytes;
  return absl::OkStatus();
}

void AppendWriter::Submit(log::AppendRequest request, log::AppendCallback done) {
  std::deque<Pending> group;
  std::deque<std::vector<std::string>> replicated;
  bool closed = false;
  const uint64_t bytes = AppendBytes(request);
  absl::Status refused;
  {
    common::MutexLock lock(&mu_);
    if (closing_) {
      closed = true;
    } else if (refused = Reserve(bytes); !refused.ok()) {
      // answered below, outside the lock
    } else if (committing_) {
      queue_.push_back(Pending{std::move(request), std::move(done), bytes});
      return;
    } else {
      // No commit runs: this caller leads, with whatever is queued before its own append.
      committing_ = true;
      // In cluster mode the leader's own append counts towards the transaction's bounds.
      if (replicator_ != nullptr) {
        TakeQueued(&group, kMaxAppendsPerGroup - 1, request.events.size(), bytes);
      } else {
        TakeQueued(&group, kMaxAppendsPerGroup - 1);
      }
      replicated.swap(replicated_);
    }
  }
  if (closed) {
    done(common::WithRetryDelay(
        absl::UnavailableError("the log is closing (irmd is shutting down); retry later"),
        absl::Seconds(1)));
    return;
  }
  if (!refused.ok()) {
    done(std::move(refused));
    return;
  }
  group.push_back(Pending{std::move(request), std::move(done), bytes});
  CommitGroup(std::move(group), std::move(replicated));
}

void AppendWriter::SubmitReplicated(std::vector<std::string> records) {
  std::deque<std::vector<std::string>> replicated;
  {
    common::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](AppendWriter* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return w->closing_ || w->replicated_.size() < kMaxReplicatedBatches;
        },
        this));
    if (closing_) return;
    if (committing_) {
      replicated_.push_back(std::move(records));
      return;
    }
    committing_ = true;
    replicated.swap(replicated_);
    replicated.push_back(std::move(records));
  }
  CommitGroup({}, std::move(replicated));
}

void AppendWriter::TakeQueued(std::deque<Pending>* group, size_t limit, size_t events,
                              uint64_t bytes) {
  const bool replicated = replicator_ != nullptr;
  while (!queue_.empty() && group->size() < limit) {
    const Pending& next = queue_.front();
    if (!group->empty() || events > 0) {
      if (bytes + next.bytes > (replicated ? kMaxReplicatedGroupBytes : kMaxGroupBytes)) break;
      if (replicated && events + next.request.events.size() > kMaxReplicatedGroupEvents) break;
    }
    bytes += next.bytes;
    events += next.request.events.size();
    group->push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
}

void AppendWriter::Close() {
  {
    common::MutexLock lock(&mu_);
    closing_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void AppendWriter::Run() {
  for (;;) {
    std::deque<Pending> group;
    std::deque<std::vector<std::string>> replicated;
    {
      common::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](AppendWriter* w) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            if (w->committing_) return false;
            return !w->queue_.empty() || !w->replicated_.empty() ||
                   (w->closing_ && w->acknowledging_ == 0);
          },
          this));
      // Closing, no commit runs, every commit's acknowledgements ran, nothing is queued.
      if (queue_.empty() && replicated_.empty()) return;
      committing_ = true;
      TakeQueued(&group, kMaxAppendsPerGroup);
      replicated.swap(replicated_);
    }
    CommitGroup(std::move(group), std::move(replicated));
  }
}

void AppendWriter::SetAside(std::vector<log::CommittedEvent> events) {
  common::MutexLock lock(&set_aside_mu_);
  if (!has_listener_) return;
  if (set_aside_.empty()) {
    set_aside_ = std::move(events);
  } else {
    std::move(events.begin(), events.end(), std::back_inserter(set_aside_));
  }
}

void AppendWriter::NotifyCommitted() {
  common::MutexLock lock(&listener_mu_);
  std::vector<log::CommittedEvent> events;
  {
    common::MutexLock set_aside_lock(&set_aside_mu_);
    events.swap(set_aside_);
  }
  // Empty when a later commit's call already handed these events over.
  if (events.empty() || !listener_) return;
  const uint64_t head = events.back().record->position();
  listener_(head, std::move(events));
}

absl::StatusOr<bool> AppendWriter::Reconcile() {
  if (rocksdb::Status s = database_->Recover(); !s.ok()) {
    return common::WithRetryDelay(
        FromRocksDb(s, "the log cannot take writes; nothing of this append was written"),
        absl::Seconds(1));
  }
  if (!reconcile_) return false;
  IRM_ASSIGN_OR_RETURN(const uint64_t last, database_->LastPosition());
  const uint64_t old_head = head();
  if (last < old_head) {
    return absl::DataLossError(absl::StrCat("after a failed write the log ends at position ",
                                            last, ", before its head ", old_head));
  }
  std::vector<log::CommittedEvent> events;
  audit::Frontier tree = tree_->Stage();
  rocksdb::WriteBatch landed_nodes;  // written with the group: only the frontier is needed
  for (uint64_t position = old_head + 1; position <= last; ++position) {
    std::string bytes;
    rocksdb::Status s = database_->db()->Get(rocksdb::ReadOptions(), database_->events(),
                                             EncodeBigEndian64(position), &bytes);
    if (!s.ok()) return FromRocksDb(s, absl::StrCat("reading position ", position));
    IRM_ASSIGN_OR_RETURN(EventRecord record, DecodeRecord(position, bytes));
    tree_->Add(&tree, bytes, &landed_nodes);
    log::CommittedEvent& event = events.emplace_back();
    event.record = std::make_unique<EventRecord>(std::move(record));
    event.encoded = std::move(bytes);
  }
  reconcile_ = false;
  if (events.empty()) return false;  // the failed group did not land: go on from the head
  tree_->Publish(std::move(tree));
  head_.store(last, std::memory_order_release);
  SetAside(std::move(events));
  return true;
}

absl::Status AppendWriter::ApplyRecords(const std::vector<std::string>& records) {
  const uint64_t old_head = head();
  uint64_t next = old_head + 1;
  rocksdb::WriteBatch batch;
  audit::Frontier tree = tree_->Stage();
  std::vector<log::CommittedEvent> events;
  absl::flat_hash_map<std::string, uint64_t> revisions;
  for (const std::string& bytes : records) {
    EventRecord probe;
    if (!probe.ParseFromString(bytes) || probe.position() == 0) {
      return absl::DataLossError(
          "the cluster's log holds a record that is not an event; its etcd keys are damaged");
    }
    if (probe.position() < next) continue;  // applied already (this node's own commit)
    if (probe.position() > next) {
      if (!events.empty()) break;  // apply what is contiguous; the catch-up does the rest
      return CatchUp();
    }
    IRM_ASSIGN_OR_RETURN(EventRecord record, DecodeRecord(next, bytes));
    const std::string position_key = EncodeBigEndian64(next);
    batch.Put(database_->events(), position_key, bytes);
    tree_->Add(&tree, bytes, &batch);
    batch.Put(database_->streams(), StreamKey(record.stream(), record.revision()), position_key);
    batch.Put(database_->ids(), record.id(), position_key);
    revisions[record.stream()] = record.revision();
    log::CommittedEvent& event = events.emplace_back();
    event.record = std::make_unique<EventRecord>(std::move(record));
    event.encoded = bytes;
    ++next;
  }
  if (events.empty()) return absl::OkStatus();
  const uint64_t last = next - 1;
  batch.Put(database_->default_family(), kHeadKey, EncodeBigEndian64(last));
  rocksdb::WriteOptions options;
  options.sync = true;
  if (absl::Status s = FromFailedLogWrite(database_->Write(options, &batch)); !s.ok()) {
    reconcile_ = true;
    last_revision_cache_.clear();
    return s;
  }
  tree_->Publish(std::move(tree));
  if (last_revision_cache_.size() + revisions.size() > kMaxCachedStreams) {
    last_revision_cache_.clear();
  }
  for (const auto& [stream, revision] : revisions) last_revision_cache_[stream] = revision;
  head_.store(last, std::memory_order_release);
  SetAside(std::move(events));
  return absl::OkStatus();
}

absl::Status AppendWriter::CatchUp() {
  for (;;) {
    IRM_ASSIGN_OR_RETURN(std::vector<std::string> records,
                         replicator_->ReadAfter(head(), kCatchUpPageBytes));
    if (records.empty()) return absl::OkStatus();
    const uint64_t before = head();
    IRM_RETURN_IF_ERROR(ApplyRecords(records));
    if (head() == before) {
      return absl::DataLossError(absl::StrCat(
          "the cluster's log does not continue this node's copy at position ", before + 1));
    }
  }
}

void AppendWriter::CommitReplicated(std::deque<Pending>& pending,
                                    std::vector<absl::StatusOr<AppendResult>>* results) {
  // Decide() consumes a request; a group decided again needs them whole.
  std::vector<AppendRequest> requests;
  requests.reserve(pending.size());
  for (const Pending& p : pending) requests.push_back(p.request);
  auto fail_all = [&](const absl::Status& status) {
    results->assign(pending.size(), status);
  };
  const absl::Time race_deadline = absl::Now() + kReplicatedRaceBudget;
  for (int attempt = 1;; ++attempt) {
    if (behind_) {
      if (absl::Status caught = CatchUp(); !caught.ok()) {
        fail_all(common::WithRetryDelay(
            absl::Status(caught.code() == absl::StatusCode::kDataLoss ? caught.code()
                                                                      : absl::StatusCode::kUnavailable,
                         absl::StrCat("this node cannot read the cluster's log, so it cannot "
                                      "decide appends (reads still answer from its copy at "
                                      "position ", head(), "): ", caught.message())),
            absl::Seconds(1)));
        return;
      }
      behind_ = false;
    }
    const uint64_t head_before = head();
    Group group(database_, &last_revision_cache_, head_before, absl::ToUnixMicros(clock_->Now()),
                tree_);
    std::vector<Group::Outcome> outcomes;
    outcomes.reserve(requests.size());
    for (const AppendRequest& request : requests) {
      AppendRequest copy = request;
      outcomes.push_back(group.Decide(copy));
    }
    auto finish = [&](const absl::Status& commit_status) {
      results->clear();
      for (Group::Outcome& outcome : outcomes) {
        if (outcome.result.ok() && outcome.needs_commit && !commit_status.ok()) {
          results->push_back(commit_status);
        } else {
          results->push_back(std::move(outcome.result));
        }
      }
    };
    if (!group.HasWrites()) {
      finish(absl::OkStatus());
      return;
    }
    absl::StatusOr<bool> committed = replicator_->Commit(head_before, group.EncodedRecords());
    if (!committed.ok()) {
      behind_ = true;
      finish(common::WithRetryDelay(
          absl::Status(committed.status().code() == absl::StatusCode::kResourceExhausted
                           ? absl::StatusCode::kResourceExhausted
                           : absl::StatusCode::kUnavailable,
                       absl::StrCat("the cluster's log did not take this append (",
                                    committed.status().message(),
                                    "); if it did after all, a retry with the same event ids "
                                    "answers with the original positions")),
          absl::Seconds(1)));
      return;
    }
    if (!*committed) {  // another node committed first: catch up and decide again
      behind_ = true;
      if (absl::Now() < race_deadline) {
        absl::SleepFor(RaceBackoff(attempt));
        continue;
      }
      finish(common::WithRetryDelay(
          absl::UnavailableError(absl::StrCat(
              "other nodes committed first ", attempt,
              " times in a row; nothing of this append was written: retry")),
          absl::Milliseconds(100)));
      return;
    }
    // Durable on the cluster: make it this node's copy too before anyone hears of it.
    group.batch()->Put(database_->default_family(), kHeadKey,
                       EncodeBigEndian64(group.last_position()));
    rocksdb::WriteOptions options;
    options.sync = true;
    absl::Status write_status = FromFailedLogWrite(database_->Write(options, group.batch()));
    if (!write_status.ok()) {
      behind_ = true;
      reconcile_ = true;
      last_revision_cache_.clear();
      finish(common::WithRetryDelay(
          absl::UnavailableError(absl::StrCat(
              "the append was committed to the cluster's log, but this node's copy could not "
              "apply it (", write_status.message(),
              "); a retry with the same event ids answers with its positions")),
          absl::Seconds(1)));
      return;
    }
    group.PublishTo(&last_revision_cache_);
    tree_->Publish(group.TakeTree());
    head_.store(group.last_position(), std::memory_order_release);
    SetAside(group.TakeCommitted());
    finish(absl::OkStatus());
    return;
  }
}

void AppendWriter::CommitGroup(std::deque<Pending> pending,
                               std::deque<std::vector<std::string>> replicated) {
  // After a failed write (this writer's or another's): what is stored decides the head,
  // before anything is decided. One atomic load when no write failed.
  absl::StatusOr<bool> adopted = Reconcile();
  bool notify = adopted.ok() && *adopted;
  std::vector<absl::StatusOr<AppendResult>> results;
  if (replicator_ != nullptr) {
    const uint64_t head_before = head();
    if (!adopted.ok() && !replicated.empty()) behind_ = true;  // dropped: catch up later
    if (adopted.ok()) {
      for (const std::vector<std::string>& records : replicated) {
        if (!ApplyRecords(records).ok()) behind_ = true;  // the next catch-up retries
      }
      if (pending.empty() && behind_) {
        if (CatchUp().ok()) behind_ = false;
      }
    }
    if (!pending.empty()) {
      if (adopted.ok()) {
        CommitReplicated(pending, &results);
      } else {
        results.assign(pending.size(), adopted.status());
      }
    }
    notify = notify || head() != head_before;
  } else {
    Group group(database_, &last_revision_cache_, head(), absl::ToUnixMicros(clock_->Now()),
                tree_);
    std::vector<Group::Outcome> outcomes;
    outcomes.reserve(pending.size());
    for (Pending& p : pending) {
      outcomes.push_back(adopted.ok() ? group.Decide(p.request)
                                      : Group::Outcome{adopted.status(), false});
    }

    absl::Status write_status;
    const bool wrote = group.HasWrites();
    if (wrote) {
      rocksdb::WriteOptions options;
      options.sync = true;
      // The head marker lets startup see a log whose tail was lost (startup_check.h).
      group.batch()->Put(database_->default_family(), kHeadKey,
                         EncodeBigEndian64(group.last_position()));
      write_status =
          CheckFreeSpace(database_->dir(), min_free_bytes_, group.batch()->GetDataSize());
      if (write_status.ok()) {
        // A failed write may still have reached the disk: the outcome is unknown.
        write_status = FromFailedLogWrite(database_->Write(options, group.batch()));
      }
      if (write_status.ok()) {
        group.PublishTo(&last_revision_cache_);
        tree_->Publish(group.TakeTree());
        head_.store(group.last_position(), std::memory_order_release);
        SetAside(group.TakeCommitted());
      } else {
        last_revision_cache_.clear();
        reconcile_ = true;
      }
    }
    results.reserve(pending.size());
    for (Group::Outcome& outcome : outcomes) {
      if (outcome.result.ok() && outcome.needs_commit && !write_status.ok()) {
        results.push_back(write_status);
      } else {
        results.push_back(std::move(outcome.result));
      }
    }
    notify = notify || (wrote && write_status.ok());
  }
  // The requests' bytes are spent (moved into the records set aside, or dropped): the next
  // appends may take their place.
  uint64_t group_bytes = 0;
  for (const Pending& p : pending) group_bytes += p.bytes;
  {
    common::MutexLock lock(&mu_);
    buffered_bytes_ -= group_bytes;
    committing_ = false;  // the next group may commit while this one is acknowledged
    ++acknowledging_;
  }
  for (size_t i = 0; i < pending.size(); ++i) pending[i].done(std::move(results[i]));
  if (notify) NotifyCommitted();
  common::MutexLock lock(&mu_);
  --acknowledging_;
}

}  // namespace irm::store
