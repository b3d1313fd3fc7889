#include "engine/store/startup_check.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/common/uuid.h"
#include "engine/store/keys.h"
#include "engine/store/rocksdb_status.h"
#include "engine/store/slice.h"

namespace irm::store {
namespace {

constexpr char kRestoreHint[] = "; restore the data folder from a backup (irmd --restore-from)";

absl::Status Damaged(const std::string& what) {
  return absl::DataLossError(absl::StrCat("the log is damaged: ", what, kRestoreHint));
}

// The head marker, or nullopt for a log written before markers existed.
absl::StatusOr<std::optional<uint64_t>> ReadHeadMarker(const LogDatabase& database) {
  std::string value;
  rocksdb::Status s =
      database.db()->Get(rocksdb::ReadOptions(), database.default_family(), kHeadKey, &value);
  if (s.IsNotFound()) return std::optional<uint64_t>();
  if (!s.ok()) return FromRocksDb(s, "reading the log's head marker");
  std::optional<uint64_t> head = DecodeBigEndian64(value);
  if (!head.has_value()) return Damaged("the head marker is not an 8-byte position");
  return head;
}

absl::StatusOr<uint64_t> FirstPosition(const LogDatabase& database) {
  std::unique_ptr<rocksdb::Iterator> it(
      database.db()->NewIterator(rocksdb::ReadOptions(), database.events()));
  it->SeekToFirst();
  IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "finding the start of the log"));
  if (!it->Valid()) return 0;
  std::optional<uint64_t> position = DecodeBigEndian64(View(it->key()));
  if (!position.has_value()) return Damaged("the log's first key is not a position");
  return *position;
}

// Checks that the index entries of `record` point back at it.
absl::Status CheckIndexes(const LogDatabase& database, const log::EventRecord& record,
                          uint64_t head) {
  const uint64_t position = record.position();
  std::string value;
  rocksdb::Status s = database.db()->Get(rocksdb::ReadOptions(), database.streams(),
                                         StreamKey(record.stream(), record.revision()), &value);
  if (!s.ok() && !s.IsNotFound()) return FromRocksDb(s, "reading the stream index");
  if (s.IsNotFound() || DecodeBigEndian64(value) != position) {
    return Damaged(absl::StrCat("the stream index has no entry for ", record.stream(), "@",
                                record.revision(), " pointing at position ", position));
  }
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> by_id, database.FindPositionOfId(record.id()));
  if (by_id != position) {
    return Damaged(absl::StrCat("the id index does not point event ",
                                common::UuidBytesToString(record.id()), " at position ",
                                position));
  }
  IRM_ASSIGN_OR_RETURN(std::optional<StreamTail> tail, database.FindStreamTail(record.stream()));
  if (tail.has_value() && tail->last_position > head) {
    return Damaged(absl::StrCat("the stream index of ", record.stream(), " points at position ",
                                tail->last_position, ", past the end of the log at ", head));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<uint64_t> CheckStartupIntegrity(const LogDatabase& database) {
  // LastPosition decodes the last record and names its position if it does not decode.
  absl::StatusOr<uint64_t> last = database.LastPosition();
  if (!last.ok()) {
    if (last.status().code() == absl::StatusCode::kDataLoss) {
      return Damaged(std::string(last.status().message()));
    }
    return last.status();
  }
  const uint64_t head = *last;
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> marker, ReadHeadMarker(database));
  if (marker.has_value() && *marker != head) {
    if (*marker > head) {
      return Damaged(absl::StrCat("it was committed up to position ", *marker,
                                  " but the events end at position ", head, ": positions ",
                                  head + 1, "..", *marker, " are missing"));
    }
    return Damaged(absl::StrCat("the events run to position ", head,
                                " but the head marker says the log ends at ", *marker));
  }
  if (head == 0) return head;
  IRM_ASSIGN_OR_RETURN(uint64_t first, FirstPosition(database));
  if (first != 1) {
    return Damaged(absl::StrCat("the log starts at position ", first,
                                ", not 1: positions 1..", first - 1, " are missing"));
  }

  // Walk the tail backwards: dense positions that decode, with consistent indexes.
  std::unique_ptr<rocksdb::Iterator> it(
      database.db()->NewIterator(rocksdb::ReadOptions(), database.events()));
  uint64_t expected = head;
  uint64_t checked = 0;
  for (it->SeekToLast(); it->Valid() && checked < kTailEvents && expected >= 1;
       it->Prev(), --expected, ++checked) {
    std::optional<uint64_t> position = DecodeBigEndian64(View(it->key()));
    if (position != expected) {
      return Damaged(absl::StrCat("position ", expected, " is missing near the end of the log (",
                                  "the next stored key is ",
                                  position.has_value() ? absl::StrCat(*position) : "not a position",
                                  ")"));
    }
    absl::StatusOr<log::EventRecord> record = DecodeRecord(expected, View(it->value()));
    if (!record.ok()) return Damaged(std::string(record.status().message()));
    IRM_RETURN_IF_ERROR(CheckIndexes(database, *record, head));
  }
  IRM_RETURN_IF_ERROR(FromRocksDb(it->status(), "reading the end of the log"));
  if (checked < kTailEvents && expected >= 1) {
    return Damaged(absl::StrCat("position ", expected, " is missing near the end of the log"));
  }
  return head;
}

}  // namespace irm::store
