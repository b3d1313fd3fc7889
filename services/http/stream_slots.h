// StreamSlots: the cap on concurrent Server-Sent Events streams of irmd's HTTP side, in total
// and per client address (--http-max-streams, --http-max-streams-per-client).
//
// Each stream holds a Slot for its whole life; a stream beyond either cap is refused (the
// server answers 503 with Retry-After and closes the connection), so anonymous or runaway
// clients cannot take every connection thread and starve /healthz and the JSON routes.
// Thread-safe; slots may outlive nothing but the StreamSlots (they share its state).
#ifndef IRM_SERVICES_HTTP_STREAM_SLOTS_H_
#define IRM_SERVICES_HTTP_STREAM_SLOTS_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace irm::services::http {

class StreamSlots {
 private:
  struct State {
    State(size_t total, size_t per_client) : max_total(total), max_per_client(per_client) {}
    const size_t max_total;
    const size_t max_per_client;
    mutable absl::Mutex mu;
    size_t open ABSL_GUARDED_BY(mu) = 0;
    absl::flat_hash_map<std::string, size_t> per_client ABSL_GUARDED_BY(mu);
  };

 public:
  StreamSlots(size_t max_total, size_t max_per_client)
      : state_(std::make_shared<State>(max_total, max_per_client)) {}

  // Held by one stream; releases its place when destroyed.
  class Slot {
   public:
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    friend class StreamSlots;
    Slot(std::shared_ptr<StreamSlots::State> state, std::string client)
        : state_(std::move(state)), client_(std::move(client)) {}
    std::shared_ptr<StreamSlots::State> state_;
    std::string client_;
  };

  // A slot for a stream of `client` (its address), or Unavailable naming the cap reached.
  absl::StatusOr<std::unique_ptr<Slot>> Acquire(const std::string& client);

  size_t open() const;

 private:
  const std::shared_ptr<State> state_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_STREAM_SLOTS_H_
