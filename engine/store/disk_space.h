// The free-space reserve of the log's disk.
//
// RocksDB's own handling of a write that hits a full disk is fragile (its write-ahead-log
// writer may abort the process on the next write after ENOSPC), and a disk filled to the
// last byte leaves no room for flushes and compactions. So the log refuses appends while
// the disk holding it has less than a reserve free: RESOURCE_EXHAUSTED, nothing written,
// and appends resume by themselves once space is freed. Thread-safe.
#ifndef IRM_ENGINE_STORE_DISK_SPACE_H_
#define IRM_ENGINE_STORE_DISK_SPACE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace irm::store {

// ResourceExhausted unless the filesystem holding `dir` has at least `reserve_bytes` +
// `incoming_bytes` available to this process. A failing statvfs is Unavailable.
// `reserve_bytes` == 0 disables the check.
absl::Status CheckFreeSpace(const std::string& dir, uint64_t reserve_bytes,
                            uint64_t incoming_bytes);

}  // namespace irm::store

#endif  // IRM_ENGINE_STORE_DISK_SPACE_H_
