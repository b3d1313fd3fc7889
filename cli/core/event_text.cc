#include "cli/core/event_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "engine/codec/event_json.h"

namespace irm::cli {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string TruncateUtf8(absl::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsContinuationByte(text[i])) continue;
    if (chars == max_chars) return absl::StrCat(text.substr(0, i), "…");
    ++chars;
  }
  return std::string(text);
}

std::string EventSummaryLine(const event::v1::EventRecord& record) {
  const std::string data = codec::DataText(record);
  std::string time = absl::FormatTime("%Y-%m-%d%ET%H:%M:%SZ",
                                      absl::FromUnixMicros(record.metadata().recorded_at_us()),
                                      absl::UTCTimeZone());
  return absl::StrFormat("%6d  %s@%d  %s  %s  %s", record.position(), record.stream(),
                         record.revision(), time, record.type(), TruncateUtf8(data, kMaxDataChars));
}

}  // namespace irm::cli
