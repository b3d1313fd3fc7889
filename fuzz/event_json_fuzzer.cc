// Fuzz target: one line of `irm import` input. ParseEventJson must refuse it with
// INVALID_ARGUMENT or return a record; a parsed record written back by EventToJsonLine must
// be one line and parse again into the same data and custom metadata bytes, and from then
// on the text is a fixed point (export/import round trip).
// The same bytes also go through the RFC 3339 timestamp parser.
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "engine/codec/event_json.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  (void)irm::codec::ParseTimestampMicros(input);
  absl::StatusOr<irm::event::v1::EventRecord> record = irm::codec::ParseEventJson(input);
  if (!record.ok()) {
    FUZZ_CHECK(record.status().code() == absl::StatusCode::kInvalidArgument,
               record.status().ToString());
    return 0;
  }
  const std::string line = irm::codec::EventToJsonLine(*record);
  absl::StatusOr<irm::event::v1::EventRecord> again = irm::codec::ParseEventJson(line);
  FUZZ_CHECK(line.find_first_of("\r\n") == std::string::npos, "line break in " + line);
  FUZZ_CHECK(again.ok(), again.status().ToString() + " for " + line);
  FUZZ_CHECK(again->data() == record->data(), "data bytes changed: " + line);
  FUZZ_CHECK(again->metadata().custom_json() == record->metadata().custom_json(),
             "custom metadata bytes changed: " + line);
  const std::string line2 = irm::codec::EventToJsonLine(*again);
  FUZZ_CHECK(line2 == line, "export is not a fixed point:\n" + line + "\n" + line2);
  return 0;
}
