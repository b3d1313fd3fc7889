// The closed-loop driver (closed_loop.h).
#include "tests/bench/closed_loop.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace irm::bench {
namespace {

// One caller's state; touched by the driver thread only (and merged after it ended).
struct Slot {
  std::unique_ptr<LoopCaller> caller;
  std::unique_ptr<grpc::ClientContext> context;  // the call in flight's; replaced per call
  grpc::Status status;
  int64_t start_us = 0;
  bool counted = false;  // started while measuring
  LatencySample latency;
  uint64_t calls = 0;
  uint64_t errors = 0;
  std::string first_error;
};

void StartCall(Slot& slot, size_t index, grpc::CompletionQueue* cq, bool counted) {
  slot.caller->Prepare();
  slot.context = std::make_unique<grpc::ClientContext>();
  slot.context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  slot.context->set_wait_for_ready(true);
  slot.counted = counted;
  slot.status = grpc::Status();
  slot.start_us = SteadyMicros();
  // Tags are index + 1: never null.
  slot.caller->Start(slot.context.get(), cq, &slot.status, reinterpret_cast<void*>(index + 1));
}

void Record(Slot& slot) {
  const int64_t micros = SteadyMicros() - slot.start_us;
  if (!slot.counted) return;
  if (slot.status.ok()) {
    slot.latency.Add(micros);
    ++slot.calls;
  } else if (slot.errors++ == 0) {
    slot.first_error = absl::StrCat(slot.status.error_code(), " ", slot.status.error_message());
  }
}

}  // namespace

LoopFigures RunClosedLoop(std::vector<std::unique_ptr<LoopCaller>> callers,
                          absl::Duration warmup, absl::Duration duration, CpuMeter* cpu,
                          ScenarioResult* cpu_result) {
  std::vector<Slot> slots(callers.size());
  for (size_t i = 0; i < callers.size(); ++i) slots[i].caller = std::move(callers[i]);
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  grpc::CompletionQueue cq;
  for (size_t i = 0; i < slots.size(); ++i) StartCall(slots[i], i, &cq, false);

  std::thread driver([&] {
    size_t running = slots.size();
    if (running == 0) cq.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (cq.Next(&tag, &ok)) {
      const size_t index = reinterpret_cast<size_t>(tag) - 1;
      Slot& slot = slots[index];
      Record(slot);
      if (!stop.load(std::memory_order_relaxed)) {
        StartCall(slot, index, &cq, measuring.load(std::memory_order_relaxed));
      } else if (--running == 0) {
        cq.Shutdown();  // Next returns false once the queue is drained
      }
    }
  });

  absl::SleepFor(warmup);
  measuring.store(true);
  if (cpu != nullptr) cpu->Start();
  const absl::Time begin = absl::Now();
  absl::SleepFor(duration);
  measuring.store(false);
  if (cpu != nullptr) cpu->Stop(cpu_result);
  LoopFigures figures;
  figures.seconds = absl::ToDoubleSeconds(absl::Now() - begin);
  stop.store(true);
  driver.join();

  for (const Slot& slot : slots) {
    figures.latency.Merge(slot.latency);
    figures.calls += slot.calls;
    figures.errors += slot.errors;
    if (figures.first_error.empty()) figures.first_error = slot.first_error;
  }
  return figures;
}

}  // namespace irm::bench
