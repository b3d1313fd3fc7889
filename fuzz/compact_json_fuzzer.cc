// Fuzz target: CompactJson (engine/log/compact_json.h) must give exactly what nlohmann's
// parse+dump gives for the same bytes -- the same verdict and, for valid JSON, the same
// compact form -- and its compact form must be a fixed point.
#include <cstdint>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "engine/log/compact_json.h"
#include "fuzz/fuzz_check.h"
#include "nlohmann/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(input, nullptr, false);
  std::string out;
  const bool ok = irm::log::CompactJson(input, &out);
  FUZZ_CHECK(ok == !parsed.is_discarded(), "verdicts differ for " + absl::CEscape(input));
  if (!ok) return 0;
  FUZZ_CHECK(out == parsed.dump(), "compact forms differ for " + absl::CEscape(input) +
                                       ": " + absl::CEscape(out));
  std::string again;
  FUZZ_CHECK(irm::log::CompactJson(out, &again) && again == out,
             "not a fixed point: " + absl::CEscape(out));
  return 0;
}
