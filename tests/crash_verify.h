// Checks a whole event log, read back after crashes, against every append request that was
// sent to it.
//
// Invariants checked (each violation becomes one line of the returned report):
//  - positions are dense 1..N in order, and N equals the server's head position;
//  - per stream, revisions are dense from 0 in position order;
//  - every acknowledged append is present with the exact positions, revisions, ids, types
//    and data it was acknowledged with;
//  - every unacknowledged append is present completely (contiguous positions and
//    revisions, one stream) or not at all, and keeps that outcome in every later check;
//  - no event is present that no request sent, and no id appears twice.
#ifndef IRM_TESTS_CRASH_VERIFY_H_
#define IRM_TESTS_CRASH_VERIFY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "irm/api/v1/log.grpc.pb.h"
#include "tests/crash_workload.h"

namespace irm::tests {

// The whole log, forward from position 1, and the head position GetLogInfo reported after
// the read.
struct LogSnapshot {
  std::vector<event::v1::EventRecord> events;
  uint64_t head = 0;
};

absl::StatusOr<LogSnapshot> ReadWholeLog(api::v1::LogService::Stub& stub);

// A channel of its own to the irmd at `address` that accepts replies up to 256 MiB, as
// whole-log reads need.
std::shared_ptr<grpc::Channel> LogChannel(const std::string& address);

// Remembers, across checks, whether each unacknowledged append turned out present.
class LogVerifier {
 public:
  // Only events of streams starting with `prefix` must have been sent through AddSent; other
  // streams (written by other load, e.g. workflow commands) are checked only for dense
  // positions, dense revisions and unique ids. Default "": every event must have been sent.
  void set_owned_prefix(std::string prefix) { owned_prefix_ = std::move(prefix); }

  // Adds requests sent since the last call; they are checked from the next Verify() on.
  void AddSent(std::vector<SentAppend> sent);

  // Violations of the invariants above; empty if the log is consistent.
  std::vector<std::string> Verify(const LogSnapshot& log);

  // Counts from the last Verify(): acknowledged appends, and unacknowledged ones found
  // present or absent.
  size_t acknowledged() const { return acknowledged_; }
  size_t unacknowledged_present() const { return unacked_present_; }
  size_t unacknowledged_absent() const { return unacked_absent_; }

 private:
  enum class Outcome { kUnknown, kPresent, kAbsent };
  std::string owned_prefix_;
  std::vector<SentAppend> sent_;
  std::vector<Outcome> outcome_;  // parallel to sent_
  size_t acknowledged_ = 0;
  size_t unacked_present_ = 0;
  size_t unacked_absent_ = 0;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_CRASH_VERIFY_H_
