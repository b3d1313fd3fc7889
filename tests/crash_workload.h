// CrashWorkload: concurrent appenders that drive a live irmd over gRPC until it dies, and
// record every append request they sent, acknowledged or not.
//
// Each appender thread owns a few streams, which it appends to with the exact expected
// revision (or no_stream), and also appends with `any` to one stream shared by all threads.
// Batches hold 1-5 events. Every event gets a fresh random id, so the log can be checked
// against the record. A thread stops at its first failed call: after the server is killed,
// its streams' revisions are unknown until read back. Start() reads each owned stream's
// revision from the server, so a workload can continue on a log written by earlier ones.
//
// Thread-safety: Start/MarkKill/Finish from one controlling thread.
#ifndef IRM_TESTS_CRASH_WORKLOAD_H_
#define IRM_TESTS_CRASH_WORKLOAD_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "irm/api/v1/log.grpc.pb.h"

namespace irm::tests {

// The number in environment variable `name` (IRM_CRASH_ROUNDS, IRM_CRASH_SEED), or
// `fallback` if it is unset or not a number.
uint64_t EnvNumber(const char* name, uint64_t fallback);

// One append request as sent, and its outcome.
struct SentAppend {
  int round = 0;
  std::string stream;
  std::vector<std::string> ids;  // UUID text, one per event, in order
  std::vector<std::string> types;
  std::vector<std::string> data;
  bool acknowledged = false;
  uint64_t first_revision = 0;  // from the response, if acknowledged
  uint64_t first_position = 0;
  grpc::StatusCode code = grpc::StatusCode::OK;  // of the failed call, if not acknowledged
  std::string error;
};

struct WorkloadOptions {
  int round = 0;
  int threads = 4;
  int streams_per_thread = 2;
  uint64_t seed = 1;  // each thread draws its choices from seed, round and its index
};

class CrashWorkload {
 public:
  // Reads the owned streams' revisions and starts the appender threads.
  static absl::StatusOr<std::unique_ptr<CrashWorkload>> Start(
      std::shared_ptr<grpc::Channel> channel, const WorkloadOptions& options);
  ~CrashWorkload();

  // Waits until at least `count` appends have been acknowledged, or `timeout` passed;
  // returns whether they were (tests wait on this instead of sleeping).
  bool WaitForAcknowledged(uint64_t count, absl::Duration timeout);
  // Appends acknowledged so far.
  uint64_t Acknowledged();

  // Declares that the server is about to be killed: failures from now on are expected.
  void MarkKill() { killing_.store(true); }

  // Stops the threads (they end at their next call or failure), joins them and returns every
  // request sent. Failures before MarkKill() are returned in `unexpected`.
  std::vector<SentAppend> Finish(std::vector<std::string>* unexpected);

  static std::string ThreadStream(int thread, int index);
  static constexpr char kSharedStream[] = "crash-shared";

 private:
  struct Appender;

  explicit CrashWorkload(WorkloadOptions options);
  void Run(Appender* appender);

  WorkloadOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::vector<std::unique_ptr<Appender>> appenders_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> killing_{false};
  absl::Mutex acknowledged_mu_;
  uint64_t acknowledged_ ABSL_GUARDED_BY(acknowledged_mu_) = 0;
};

}  // namespace irm::tests

#endif  // IRM_TESTS_CRASH_WORKLOAD_H_
