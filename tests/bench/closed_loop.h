// A closed-loop load driver: N callers, each with exactly one unary call in flight, each
// issuing its next call as soon as the previous one completed. All N calls run on one
// CompletionQueue polled by one driver thread (the async API), not on N threads: the thread
// that polls is the thread that receives the answer and starts the next call, so the load
// tool's own CPU per call stays small next to the server's, and at one caller a call costs
// the same context switches as a blocking call.
//
// Thread safety: RunClosedLoop is thread-compatible. A caller's Prepare/Start run on the
// driver thread only (the first ones before it starts), so a caller needs no lock.
#ifndef IRM_TESTS_BENCH_CLOSED_LOOP_H_
#define IRM_TESTS_BENCH_CLOSED_LOOP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "tests/bench/bench_report.h"
#include "tests/bench/scenarios.h"

namespace irm::bench {

// One closed-loop client. It owns its request, response and response reader, which must
// stay valid until the call completes on the queue.
class LoopCaller {
 public:
  virtual ~LoopCaller() = default;
  // Builds the next request (not timed).
  virtual void Prepare() {}
  // Starts one call on `context` and `cq` whose completion is posted to `cq` with `tag`
  // and its status in `*status` (e.g. PrepareAsyncAppend, StartCall, Finish).
  virtual void Start(grpc::ClientContext* context, grpc::CompletionQueue* cq,
                     grpc::Status* status, void* tag) = 0;
};

// A LoopCaller for one unary method; `prepare` is the stub's PrepareAsync<Method>.
template <typename Request, typename Response>
class UnaryLoopCaller : public LoopCaller {
 public:
  using Prepare = std::function<std::unique_ptr<grpc::ClientAsyncResponseReader<Response>>(
      grpc::ClientContext*, const Request&, grpc::CompletionQueue*)>;
  explicit UnaryLoopCaller(Prepare prepare) : prepare_(std::move(prepare)) {}
  void Start(grpc::ClientContext* context, grpc::CompletionQueue* cq, grpc::Status* status,
             void* tag) override {
    reader_ = prepare_(context, request_, cq);
    reader_->StartCall();
    reader_->Finish(&response_, status, tag);
  }

 protected:
  Request request_;  // the next call's; a subclass's Prepare() may rebuild it

 private:
  Prepare prepare_;
  Response response_;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader_;
};

// Figures of one closed-loop run, over the calls started in the measured interval.
struct LoopFigures {
  LatencySample latency;  // per successful call, start to completion
  uint64_t calls = 0;     // successful calls
  uint64_t errors = 0;    // failed calls
  std::string first_error;
  double seconds = 0;     // length of the measured interval
};

// Starts every caller, lets them run for `warmup` (not counted), then measures for
// `duration`; calls started in that interval are counted. Then stops: no caller starts a new
// call, and this returns once every call in flight has ended (each has a 30 s deadline).
// `cpu`, if not null, is started when measuring begins and stopped into `cpu_result` when it
// ends.
LoopFigures RunClosedLoop(std::vector<std::unique_ptr<LoopCaller>> callers,
                          absl::Duration warmup, absl::Duration duration, CpuMeter* cpu,
                          ScenarioResult* cpu_result);

}  // namespace irm::bench

#endif  // IRM_TESTS_BENCH_CLOSED_LOOP_H_
