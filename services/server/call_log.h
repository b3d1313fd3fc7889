// CallLog: the per-call record in irmd's JSON log, one line per finished gRPC call:
//   {"level":"debug","message":"call","fields":{"request_id":"..","method":"/irm.api.v1.
//    LogService/Append","code":"OK","duration_ms":0.42,"peer":"ipv4:127.0.0.1:5331"}}
//
// Levels: successful calls at debug (an access log with --log-level debug); calls that end
// with a client-side error code (INVALID_ARGUMENT, NOT_FOUND, ...) at info, with the status
// message; INTERNAL, UNKNOWN and DATA_LOSS at error.
//
// Thread-safe.
#ifndef IRM_SERVICES_SERVER_CALL_LOG_H_
#define IRM_SERVICES_SERVER_CALL_LOG_H_

#include "services/server/call_interceptor.h"
#include "services/server/json_log.h"

namespace irm::services {

class CallLog final : public CallObserver {
 public:
  explicit CallLog(JsonLog* log) : log_(log) {}  // `log` must outlive this

  void OnCallFinished(const FinishedCall& call) override;

  static LogLevel LevelFor(grpc::StatusCode code);

 private:
  JsonLog* const log_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_SERVER_CALL_LOG_H_
