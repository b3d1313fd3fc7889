// A closed-loop load driver on the gRPC callback API: N callers, each with exactly one unary
// call in flight, each issuing its next call from the previous call's completion callback.
// N callers are N calls in flight driven by gRPC's few callback threads, not N threads, so
// the load tool's own CPU cost per call stays small next to the server's.
//
// Thread safety: RunClosedLoop is thread-compatible. A caller's Prepare/Start run on that
// caller's sequence only (first from RunClosedLoop, then from its previous call's callback,
// which gRPC runs after the previous call ended), so a caller needs no lock of its own.
#ifndef IRM_TESTS_BENCH_CLOSED_LOOP_H_
#define IRM_TESTS_BENCH_CLOSED_LOOP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "tests/bench/bench_report.h"
#include "tests/bench/scenarios.h"

namespace irm::bench {

// One closed-loop client. It owns its request and response, which must stay valid until
// the call's `done` runs; the driver keeps the caller alive until then.
class LoopCaller {
 public:
  virtual ~LoopCaller() = default;
  // Builds the next request (not timed).
  virtual void Prepare() {}
  // Starts one call on `context` (e.g. stub->async()->Append(context, &request_, &response_,
  // std::move(done))); gRPC runs `done` exactly once when the call ends.
  virtual void Start(grpc::ClientContext* context, std::function<void(grpc::Status)> done) = 0;
};

// Figures of one closed-loop run, over the calls started in the measured interval.
struct LoopFigures {
  LatencySample latency;  // per successful call, start to completion callback
  uint64_t calls = 0;     // successful calls
  uint64_t errors = 0;    // failed calls
  std::string first_error;
  double seconds = 0;     // length of the measured interval
  int unfinished = 0;     // callers whose last call had not ended after the drain timeout
};

// Starts every caller, lets them run for `warmup` (not counted), then measures for
// `duration`; calls started in that interval are counted. Then stops: no caller starts a new
// call, and this waits until every call in flight has ended (each has a 30 s deadline) before
// returning. `cpu`, if not null, is started when measuring begins and stopped into
// `cpu_result` when it ends. Callers whose call is still in flight after 45 s are left to
// finish in the background (their state is kept alive) and not merged.
LoopFigures RunClosedLoop(std::vector<std::unique_ptr<LoopCaller>> callers,
                          absl::Duration warmup, absl::Duration duration, CpuMeter* cpu,
                          ScenarioResult* cpu_result);

}  // namespace irm::bench

#endif  // IRM_TESTS_BENCH_CLOSED_LOOP_H_
