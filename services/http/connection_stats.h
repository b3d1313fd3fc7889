// ConnectionStats: what the HTTP side's connection threads do (connection_threads.h), for
// metrics. Shared, so it outlives the thread queue (httplib deletes its queue when it stops
// listening). Thread-safe: plain atomics.
#ifndef IRM_SERVICES_HTTP_CONNECTION_STATS_H_
#define IRM_SERVICES_HTTP_CONNECTION_STATS_H_

#include <atomic>
#include <cstdint>

namespace irm::services::http {

struct ConnectionStats {
  std::atomic<uint64_t> serving{0};  // connections being served now
  std::atomic<uint64_t> refused{0};  // connections run on a refusal thread (answered 503)
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONNECTION_STATS_H_
