// Key layout of the log in RocksDB, one column family per index:
//
//   events   BE64(position)                      -> EventRecord bytes (canonical, hashed)
//   streams  stream-name 0x00 BE64(revision)     -> BE64(position)
//   ids      16-byte event id                    -> BE64(position)
//   default  "format"                            -> "1"
//   merkle   BE64(last leaf) u8(level)           -> 32-byte hash of node (level, index) whose
//                                                 last leaf is ((index + 1) << level) - 1
//   checkpoints 'c' BE64(tree size)              -> stored checkpoint (audit/checkpoint.h)
//               'k' key id                       -> PEM public key that signed checkpoints
//   default  "head"                              -> BE64(last committed position), written
//                                                   in every append group's batch
//
// Big-endian integers make byte order equal numeric order. Stream names never contain 0x00
// (ValidateStreamName), so one stream's keys are a contiguous range.
#ifndef IRM_ENGINE_STORE_KEYS_H_
#define IRM_ENGINE_STORE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace irm::store {

inline constexpr char kEventsFamily[] = "events";
inline constexpr char kStreamsFamily[] = "streams";
inline constexpr char kIdsFamily[] = "ids";
inline constexpr char kProjectionsFamily[] = "projections";  // see rocksdb_projection_store.h
inline constexpr char kMerkleFamily[] = "merkle";
inline constexpr char kCheckpointsFamily[] = "checkpoints";
inline constexpr char kFormatKey[] = "format";
inline constexpr char kFormatVersion[] = "1";
inline constexpr char kHeadKey[] = "head";

std::string EncodeBigEndian64(uint64_t value);
// nullopt unless `bytes` is exactly 8 bytes.
std::optional<uint64_t> DecodeBigEndian64(absl::string_view bytes);

// The streams-family key of (stream, revision).
std::string StreamKey(absl::string_view stream, uint64_t revision);
// The prefix shared by every key of `stream`: the name and its 0x00 terminator.
std::string StreamPrefix(absl::string_view stream);

// The merkle-family key of perfect-subtree node (level, index): its last leaf's index, then
// its level. The nodes an append completes share the new leaf as last leaf, so keys are
// written in increasing order (cheap sequential memtable inserts).
std::string TreeNodeKey(uint32_t level, uint64_t index);
// The (level, index) of a merkle-family key; nullopt if malformed.
std::optional<std::pair<uint32_t, uint64_t>> DecodeTreeNodeKey(absl::string_view key);
// The checkpoints-family keys of the checkpoint of `size`, and of a signer's public key.
std::string CheckpointKey(uint64_t size);
std::string PublicKeyKey(absl::string_view key_id);

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_KEYS_H_
