// LogService: irm.api.v1.LogService on gRPC's callback API.
//
// Decodes requests, calls the EventLog, encodes answers; no rules of its own. Appends finish
// on the log's writer thread once durable, so no gRPC thread waits on an fsync. Reads stream
// chunks with flow control: the next chunk is read from disk only after the previous one was
// sent. Thread-safe; the log must outlive the service.
#ifndef IRM_SERVICES_LOG_SERVICE_H_
#define IRM_SERVICES_LOG_SERVICE_H_

#include "engine/log/event_log.h"
#include "irm/api/v1/log.grpc.pb.h"

namespace irm::services {

class LogService final : public api::v1::LogService::CallbackService {
 public:
  // `actor` is recorded on every appended event (the caller, until authentication exists).
  LogService(log::EventLog* log, event::v1::Principal actor);

  grpc::ServerUnaryReactor* Append(grpc::CallbackServerContext* context,
                                   const api::v1::AppendRequest* request,
                                   api::v1::AppendResponse* response) override;
  grpc::ServerWriteReactor<api::v1::ReadResponse>* ReadStream(
      grpc::CallbackServerContext* context, const api::v1::ReadStreamRequest* request) override;
  grpc::ServerWriteReactor<api::v1::ReadResponse>* ReadAll(
      grpc::CallbackServerContext* context, const api::v1::ReadAllRequest* request) override;
  grpc::ServerUnaryReactor* GetStreamInfo(grpc::CallbackServerContext* context,
                                          const api::v1::GetStreamInfoRequest* request,
                                          api::v1::StreamInfo* response) override;
  grpc::ServerUnaryReactor* GetLogInfo(grpc::CallbackServerContext* context,
                                       const api::v1::GetLogInfoRequest* request,
                                       api::v1::LogInfo* response) override;

 private:
  log::EventLog* const log_;
  const event::v1::Principal actor_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_LOG_SERVICE_H_
