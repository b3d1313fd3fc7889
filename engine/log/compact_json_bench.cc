// irm-compact-json-bench: what canonicalizing one event's JSON data costs on the append
// path, nlohmann parse+dump (the definition, CompactJsonFull) against CompactJson (the
// single pass with its fallback), on a typical ~130-byte event payload and a ~2 KB one.
//
//   irm-compact-json-bench [--benchmark_filter=...] [other Google Benchmark flags]
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "engine/log/compact_json.h"

namespace irm::log {
namespace {

std::string SmallPayload() {
  return R"({"state":"Ghana","cycle":2,"stage":"country_visit","reviewers":["Kenya","Norway"],)"
         R"("date":"2024-03-14","note":"visit held in Accra"})";
}

// About 2 KB: a findings list as a review event might carry, spaced as a client might send it.
std::string LargePayload() {
  std::string s = "{\n  \"state\": \"Ghana\",\n  \"cycle\": 2,\n  \"findings\": [";
  for (int i = 0; i < 17; ++i) {
    absl::StrAppend(&s, i ? "," : "", "\n    {\"article\": ", 15 + i,
                    ", \"status\": \"partially_implemented\", \"paragraph\": ", i + 1,
                    ", \"text\": \"Recommendation on article ", 15 + i, "\"}");
  }
  absl::StrAppend(&s, "\n  ],\n  \"note\": \"r\xC3\xA9sum\xC3\xA9 of the desk review\"\n}\n");
  return s;
}

void Run(benchmark::State& state, bool (*compact)(absl::string_view, std::string*),
         const std::string& text) {
  std::string out;
  for (auto _ : state) {
    if (!compact(text, &out)) state.SkipWithError("not JSON");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
  state.counters["bytes"] = text.size();
}

void BM_NlohmannSmall(benchmark::State& s) { Run(s, CompactJsonFull, SmallPayload()); }
void BM_CompactSmall(benchmark::State& s) { Run(s, CompactJson, SmallPayload()); }
void BM_NlohmannLarge(benchmark::State& s) { Run(s, CompactJsonFull, LargePayload()); }
void BM_CompactLarge(benchmark::State& s) { Run(s, CompactJson, LargePayload()); }
BENCHMARK(BM_NlohmannSmall);
BENCHMARK(BM_CompactSmall);
BENCHMARK(BM_NlohmannLarge);
BENCHMARK(BM_CompactLarge);

}  // namespace
}  // namespace irm::log
