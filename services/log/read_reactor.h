// ReadReactor: streams the result of a log read in chunks, with flow control.
//
// Owns itself: created per call, deleted in OnDone(). `next_chunk` is called with the most
// events it may return and yields the next events in order (empty when the read is over);
// it is called again only after the previous chunk was written.
//
// An encoded source (NextEncodedChunk) yields serialized EventRecords, e.g. the stored bytes
// from EventLog::ReadAllEncoded. They are sent without decoding: each is put into the
// response as an unknown field with the number of `events`, which serializes to exactly the
// bytes a decoded `events` entry would, so clients read ordinary ReadResponses. Use the
// decoded source where the server must look at or change events before sending them.
#ifndef IRM_SERVICES_LOG_READ_REACTOR_H_
#define IRM_SERVICES_LOG_READ_REACTOR_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/log/event_log.h"
#include "grpcpp/grpcpp.h"
#include "irm/api/v1/log.pb.h"

namespace irm::services {

class ReadReactor final : public grpc::ServerWriteReactor<api::v1::ReadResponse> {
 public:
  using NextChunk = std::function<absl::StatusOr<std::vector<log::EventRecord>>(size_t max)>;
  using NextEncodedChunk = std::function<absl::StatusOr<std::vector<std::string>>(size_t max)>;

  // Reads at most `limit` events in total (0: no limit) and starts sending at once.
  ReadReactor(NextChunk next_chunk, uint64_t limit);
  ReadReactor(NextEncodedChunk next_encoded_chunk, uint64_t limit);

  void OnWriteDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  void SendNext();
  // Fills response_ with the next chunk; the number of events, 0 at the end.
  absl::StatusOr<size_t> FillNext(size_t max);

  NextChunk next_chunk_;                 // exactly one of these two is set
  NextEncodedChunk next_encoded_chunk_;
  uint64_t remaining_;  // UINT64_MAX: no limit
  api::v1::ReadResponse response_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_LOG_READ_REACTOR_H_
