// irm-json-validation-bench: what checking one event's JSON data costs on the append path.
// ValidateJson (the single pass) against nlohmann-json's accept() (a full parser without
// a tree) and its parse+dump (what the append path ran for data the old single-pass
// compactor left to it), on a typical ~130-byte event payload, a ~2 KB one, and the
// ~130-byte one with escapes and long numbers.
//
//   irm-json-validation-bench [--benchmark_filter=...] [other Google Benchmark flags]
//
// The payloads are those of the former irm-compact-json-bench, so the figures compare with
// the old CompactJsonFast ones in docs/performance.md.
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "engine/log/json_validation.h"
#include "nlohmann/json.hpp"

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

// What the old compactor left to nlohmann: escapes, long and decimal numbers.
std::string EscapedPayload() {
  return R"({"state":"Ghana","acct":12345678901234567890123,"rate":0.30000000000000000001,)"
         R"("x":1e2,"note":"visit held in \u00c9v\u00e9nement\n\"Accra\""})";
}

void BM_Validate(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    absl::Status status = ValidateJson(text);
    if (!status.ok()) state.SkipWithError("not JSON");
    benchmark::DoNotOptimize(status);
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}

void BM_NlohmannAccept(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    if (!nlohmann::json::accept(text)) state.SkipWithError("not JSON");
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}

void BM_NlohmannParseDump(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    std::string out = nlohmann::ordered_json::parse(text).dump();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}

BENCHMARK_CAPTURE(BM_Validate, small, SmallPayload());
BENCHMARK_CAPTURE(BM_NlohmannAccept, small, SmallPayload());
BENCHMARK_CAPTURE(BM_NlohmannParseDump, small, SmallPayload());
BENCHMARK_CAPTURE(BM_Validate, large, LargePayload());
BENCHMARK_CAPTURE(BM_NlohmannAccept, large, LargePayload());
BENCHMARK_CAPTURE(BM_NlohmannParseDump, large, LargePayload());
BENCHMARK_CAPTURE(BM_Validate, escaped, EscapedPayload());
BENCHMARK_CAPTURE(BM_NlohmannAccept, escaped, EscapedPayload());
BENCHMARK_CAPTURE(BM_NlohmannParseDump, escaped, EscapedPayload());

}  // namespace
}  // namespace irm::log
