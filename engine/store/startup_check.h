// Startup integrity check of the log database: cheap checks that refuse to serve a damaged
// or silently shortened log.
//
// RocksDB's paranoid checks already refuse missing or truncated SST files and a missing or
// damaged MANIFEST when the database opens (LogDatabase::Open). This check adds what
// RocksDB cannot know about the log's own structure, in time independent of the log's size:
//   - the log starts at position 1 and the last kTailEvents positions are dense and decode;
//   - the head marker (written in every append group's batch) equals the last position, so
//     a lost tail of the events family is seen rather than served as a shorter history;
//   - for each of those tail events, the streams index entry (stream, revision) and the ids
//     index entry point back to it, and its stream's index does not run past the head.
// It does not read the whole log; damage in the middle of an SST file is found by RocksDB's
// block checksums when that block is read (the read then fails with DATA_LOSS).
//
// Not thread-safe with writers: run it before the AppendWriter starts.
#ifndef IRM_ENGINE_STORE_STARTUP_CHECK_H_
#define IRM_ENGINE_STORE_STARTUP_CHECK_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "engine/store/log_database.h"

namespace irm::store {

// How many events at the end of the log are checked one by one.
inline constexpr uint64_t kTailEvents = 64;

// Checks `database` and returns its head (last position, 0 if empty). DataLoss with a
// message naming the damage and the position concerned.
absl::StatusOr<uint64_t> CheckStartupIntegrity(const LogDatabase& database);

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_STARTUP_CHECK_H_
