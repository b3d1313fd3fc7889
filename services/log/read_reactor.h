// ReadReactor: streams the result of a log read (ReadStream, ReadAll) in messages, with flow
// control.
//
// Owns itself: created per call, deleted in OnDone(). `next_chunk` is called with the most
// events it may return and yields the next events in order, at most one message's worth
// (log::MessageBudget: about 1 MiB, a larger event alone), with where the read stands after
// them; it is called again only after the previous message was written. Each chunk is one
// message. Every message says where a read continues after it (next_revision or
// next_position); the last one says whether the read reached the end. A read sends at least
// one message, also when it finds nothing.
//
// An encoded chunk carries serialized EventRecords, e.g. the stored bytes from
// EventLog::ReadAllEncoded. They are sent without decoding: each is put into the response
// as an unknown field with the number of `events`, which serializes to exactly the bytes a
// decoded `events` entry would, so clients read ordinary ReadResponses. Decoded chunks are
// for reads where the server must look at or change events before sending them.
#ifndef IRM_SERVICES_LOG_READ_REACTOR_H_
#define IRM_SERVICES_LOG_READ_REACTOR_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "grpcpp/grpcpp.h"
#include "irm/api/v1/log.pb.h"
#include "services/server/event_viewer.h"

namespace irm::services {

class ReadReactor final : public grpc::ServerWriteReactor<api::v1::ReadResponse> {
 public:
  // The next events of a read, and where it stands after them.
  struct Chunk {
    std::vector<log::EventRecord> events;  // decoded events, or
    std::vector<std::string> encoded;      // serialized EventRecords, sent as they are
    uint64_t next = 0;   // the revision or position a read continues from after these
    bool end = false;    // nothing more to read after these; empty only when set
    std::vector<uint64_t> redacted_positions;  // of `events` that are redacted views
  };
  using NextChunk = std::function<absl::StatusOr<Chunk>(size_t max_events)>;
  // Which field of ReadResponse `Chunk::next` goes to.
  enum class Resume { kRevision, kPosition };

  // Reads at most `limit` events in total (0: no limit) and starts sending at once.
  ReadReactor(NextChunk next_chunk, uint64_t limit, Resume resume);

  void OnWriteDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  void SendNext();

  NextChunk next_chunk_;
  uint64_t remaining_;  // UINT64_MAX: no limit
  const Resume resume_;
  bool last_sent_ = false;  // the message in flight is the read's last
  api::v1::ReadResponse response_;
};

// A read that fails at once with `status`.
ReadReactor::NextChunk FailedRead(absl::Status status);

// The events of `stream`, decoded. Forwards from revision `from` up to `last` (the stream's
// last revision when the read began); backwards from `from` (at most `last`) down to 0.
ReadReactor::NextChunk StreamChunks(const log::EventLog* log, std::string stream,
                                    uint64_t from, uint64_t last, bool backward);

// The events of the whole log, as stored. Forwards from position `from` up to `end` (the
// head when the read began); backwards from `from` (at most `end`) down to 1.
ReadReactor::NextChunk LogChunks(const log::EventLog* log, uint64_t from, uint64_t end,
                                 bool backward);

// The chunks of `next` with only what `viewer` lets through, decoded (all of them unchanged
// when `viewer` is null), the redacted views among them listed in redacted_positions. Views are counted against the message budget as they are: a
// chunk whose views do not fit one message is returned over several. Never an empty chunk
// while the read has more.
ReadReactor::NextChunk Viewed(ReadReactor::NextChunk next, std::shared_ptr<EventViewer> viewer,
                              ReadReactor::Resume resume, bool backward);

}  // namespace irm::services

#endif  // IRM_SERVICES_LOG_READ_REACTOR_H_
