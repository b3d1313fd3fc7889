// MessageBudget: how many events go into one message that carries events, and the sizes that
// keep every such message readable by a client at gRPC's default 4 MiB receive limit.
//
// Every message irmd sends with events in it (ReadStream, ReadAll, `irm export`, Subscribe in
// catch-up and live, GetLeaves) is filled by one rule: events are added in order while the
// sum of their EventFieldBytes() stays within kMessageEventBytes; the first event always goes
// in, so an event larger than that travels alone. Appends are held to kMaxEventRecordBytes
// per stored record, so a message never exceeds kClientReceiveLimitBytes.
//
// Plain values; a MessageBudget is used by one thread for one message.
#ifndef IRM_ENGINE_LOG_MESSAGE_BUDGET_H_
#define IRM_ENGINE_LOG_MESSAGE_BUDGET_H_

#include <cstddef>
#include <cstdint>

namespace irm::log {

// gRPC's default receive limit of a client channel, in every language: 4 MiB.
inline constexpr size_t kClientReceiveLimitBytes = 4u << 20;

// The most bytes of events one message carries (see above): 1 MiB. Large enough to amortise
// per-message costs, small enough that a reader holds little memory per message.
inline constexpr size_t kMessageEventBytes = 1u << 20;

// The largest serialized EventRecord an append may store: 4 MiB less 64 KiB, which leaves
// room for a message's own fields and framing (under 100 bytes) around one such record.
inline constexpr size_t kMaxEventRecordBytes = kClientReceiveLimitBytes - (64u << 10);

// The highest LogLimits::max_event_bytes (`irmd --max-event-bytes`), the data plus custom
// metadata of one event: 3.5 MiB = 3,670,016 bytes. The 448 KiB up to kMaxEventRecordBytes
// hold the record's other fields (stream name up to 200 bytes, type up to 128, id,
// positions, the metadata the server adds, correlation and causation ids).
inline constexpr size_t kMaxEventBytesCeiling = 3584u << 10;

// What an event whose serialized EventRecord has `encoded_size` bytes adds to a message that
// carries it as a repeated message field: the tag (1 byte), the length prefix and the bytes.
constexpr size_t EventFieldBytes(size_t encoded_size) {
  size_t prefix = 1;
  for (uint64_t rest = encoded_size >> 7; rest != 0; rest >>= 7) ++prefix;
  return 1 + prefix + encoded_size;
}

class MessageBudget {
 public:
  // `limit`: the most bytes of events (kMessageEventBytes for messages sent to clients).
  explicit MessageBudget(size_t limit = kMessageEventBytes) : limit_(limit) {}

  // Counts an event whose serialized EventRecord has `encoded_size` bytes and returns true
  // if it goes into the message: always the first; any other only if the sum of the
  // events' EventFieldBytes() stays within the limit. Counts nothing when false.
  bool TryAdd(size_t encoded_size) {
    const size_t bytes = EventFieldBytes(encoded_size);
    if (count_ > 0 && (bytes > limit_ || used_ > limit_ - bytes)) return false;
    used_ += bytes;
    ++count_;
    return true;
  }

  size_t used() const { return used_; }
  size_t count() const { return count_; }

 private:
  size_t limit_;
  size_t used_ = 0;
  size_t count_ = 0;
};

}  // namespace irm::log

#endif  // IRM_ENGINE_LOG_MESSAGE_BUDGET_H_
