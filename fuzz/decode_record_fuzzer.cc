// Fuzz target: stored event bytes. The first 8 bytes are the position the bytes are read
// at (big-endian); the rest are what the events column family holds. DecodeRecord must
// either refuse them with DATA_LOSS or return the record at that position, whose canonical
// encoding decodes again to the same bytes. Decoded records then go through the JSON codec
// (whose line must give back the data and custom metadata bytes exactly) and the review
// fold, which read stored events of any age.
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "engine/codec/event_json.h"
#include "engine/review/review_fold.h"
#include "engine/store/keys.h"
#include "engine/store/log_database.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  const uint64_t position = *irm::store::DecodeBigEndian64(input.substr(0, 8));
  absl::StatusOr<irm::log::EventRecord> record =
      irm::store::DecodeRecord(position, input.substr(8));
  if (!record.ok()) {
    FUZZ_CHECK(record.status().code() == absl::StatusCode::kDataLoss, record.status().ToString());
    return 0;
  }
  FUZZ_CHECK(record->position() == position, "decoded at another position");
  const std::string canonical = irm::store::EncodeRecord(*record);
  absl::StatusOr<irm::log::EventRecord> again = irm::store::DecodeRecord(position, canonical);
  FUZZ_CHECK(again.ok(), again.status().ToString());
  FUZZ_CHECK(irm::store::EncodeRecord(*again) == canonical, "canonical bytes are not stable");

  const std::string line = irm::codec::EventToJsonLine(*record);
  FUZZ_CHECK(line.find_first_of("\r\n") == std::string::npos, "line break in " + line);
  if (absl::StatusOr<irm::log::EventRecord> parsed = irm::codec::ParseEventJson(line);
      parsed.ok()) {
    FUZZ_CHECK(parsed->data() == record->data(), "data bytes changed: " + line);
    FUZZ_CHECK(parsed->metadata().custom_json() == record->metadata().custom_json(),
               "custom metadata bytes changed: " + line);
  }
  irm::review::ReviewState state;
  (void)irm::review::ApplyToReview(*record, &state);
  return 0;
}
