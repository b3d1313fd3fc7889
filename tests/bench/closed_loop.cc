// The closed-loop driver (closed_loop.h).
#include "tests/bench/closed_loop.h"

#include <atomic>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace irm::bench {
namespace {

// One caller's state. Touched only by its own callback chain (calls are sequential) until
// `finished` is set under Loop::mu; the driver reads it only after that.
struct Slot {
  std::unique_ptr<LoopCaller> caller;
  std::unique_ptr<grpc::ClientContext> context;  // the call in flight's; replaced per call
  int64_t start_us = 0;
  bool counted = false;  // started while measuring
  LatencySample latency;
  uint64_t calls = 0;
  uint64_t errors = 0;
  std::string first_error;
  bool finished = false;  // guarded by Loop::mu
};

// Shared by the driver and every completion callback; each callback holds a reference, so
// the state outlives calls the driver gave up waiting for.
struct Loop {
  std::vector<Slot> slots;
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  int running = 0;  // callers whose chain has not ended; guarded by mu
};

void StartNext(const std::shared_ptr<Loop>& loop, size_t index);

void OnDone(const std::shared_ptr<Loop>& loop, size_t index, const grpc::Status& status) {
  Slot& slot = loop->slots[index];
  const int64_t micros = SteadyMicros() - slot.start_us;
  if (slot.counted) {
    if (status.ok()) {
      slot.latency.Add(micros);
      ++slot.calls;
    } else if (slot.errors++ == 0) {
      slot.first_error = absl::StrCat(status.error_code(), " ", status.error_message());
    }
  }
  if (!loop->stop.load()) {
    StartNext(loop, index);
    return;
  }
  absl::MutexLock lock(&loop->mu);
  slot.finished = true;
  --loop->running;
}

void StartNext(const std::shared_ptr<Loop>& loop, size_t index) {
  Slot& slot = loop->slots[index];
  slot.caller->Prepare();
  // The previous call's context may be destroyed here, inside that call's own callback:
  // gRPC holds its own reference to the call until the callback has returned.
  slot.context = std::make_unique<grpc::ClientContext>();
  slot.context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  slot.context->set_wait_for_ready(true);
  slot.counted = loop->measuring.load(std::memory_order_relaxed);
  slot.start_us = SteadyMicros();
  slot.caller->Start(slot.context.get(),
                     [loop, index](grpc::Status status) { OnDone(loop, index, status); });
}

}  // namespace

LoopFigures RunClosedLoop(std::vector<std::unique_ptr<LoopCaller>> callers,
                          absl::Duration warmup, absl::Duration duration, CpuMeter* cpu,
                          ScenarioResult* cpu_result) {
  auto loop = std::make_shared<Loop>();
  loop->slots.resize(callers.size());
  for (size_t i = 0; i < callers.size(); ++i) loop->slots[i].caller = std::move(callers[i]);
  {
    absl::MutexLock lock(&loop->mu);
    loop->running = static_cast<int>(loop->slots.size());
  }
  for (size_t i = 0; i < loop->slots.size(); ++i) StartNext(loop, i);

  absl::SleepFor(warmup);
  loop->measuring.store(true);
  if (cpu != nullptr) cpu->Start();
  const absl::Time begin = absl::Now();
  absl::SleepFor(duration);
  loop->measuring.store(false);
  if (cpu != nullptr) cpu->Stop(cpu_result);
  LoopFigures figures;
  figures.seconds = absl::ToDoubleSeconds(absl::Now() - begin);
  loop->stop.store(true);

  absl::MutexLock lock(&loop->mu);
  auto drained = [&loop] { return loop->running == 0; };
  loop->mu.AwaitWithTimeout(absl::Condition(&drained), absl::Seconds(45));
  for (Slot& slot : loop->slots) {
    if (!slot.finished) {
      ++figures.unfinished;
      continue;
    }
    figures.latency.Merge(slot.latency);
    figures.calls += slot.calls;
    figures.errors += slot.errors;
    if (figures.first_error.empty()) figures.first_error = slot.first_error;
  }
  return figures;
}

}  // namespace irm::bench
