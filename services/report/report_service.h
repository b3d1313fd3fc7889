// ReportService: irm.api.v1.ReportService on gRPC's callback API; it answers inline.
//
// GetNeedsReport reads the needs projection (engine/needs/) after it has applied everything
// committed when the question arrived (read-your-writes), and computes the tables with
// engine/needs/needs_tables.h; it never replays streams. GetOutcomesReport reads the reviews
// projection the same way and computes with engine/outcomes/outcome_tables.h. Thread-safe; every pointer must
// outlive the service.
#ifndef IRM_SERVICES_REPORT_REPORT_SERVICE_H_
#define IRM_SERVICES_REPORT_REPORT_SERVICE_H_

#include "engine/log/event_log.h"
#include "engine/projection/projection_runner.h"
#include "irm/api/v1/report.grpc.pb.h"
#include "services/server/authenticator.h"

namespace irm::services {

class ReportService final : public api::v1::ReportService::CallbackService {
 public:
  // Every caller `auth` accepts may ask: the report holds aggregated counts only.
  ReportService(log::EventLog* log, projection::ProjectionRunner* projections,
                const Authenticator* auth)
      : log_(log), projections_(projections), auth_(auth) {}

  // INVALID_ARGUMENT for a cycle other than 0-2, an unknown dimension or chapter, a
  // malformed date, or a compare date after as_of.
  grpc::ServerUnaryReactor* GetNeedsReport(grpc::CallbackServerContext* context,
                                           const api::v1::NeedsReportRequest* request,
                                           api::v1::NeedsReport* response) override;
  // The same report for a caller authenticated elsewhere (irmd's HTTP side).
  grpc::Status NeedsReportFor(const api::v1::NeedsReportRequest* request,
                              api::v1::NeedsReport* response);

  // Issue 22: the outcomes report from the reviews projection, counting only the reviews
  // whose outcomes the caller may see (report.proto). INVALID_ARGUMENT for a cycle other
  // than 0-2, an unknown kind or grouping, a malformed date or a compare date after as_of.
  grpc::ServerUnaryReactor* GetOutcomesReport(grpc::CallbackServerContext* context,
                                              const api::v1::OutcomesReportRequest* request,
                                              api::v1::OutcomesReport* response) override;
  grpc::Status OutcomesReportFor(const access::Principal& caller,
                                 const api::v1::OutcomesReportRequest* request,
                                 api::v1::OutcomesReport* response);

 private:
  log::EventLog* const log_;
  projection::ProjectionRunner* const projections_;
  const Authenticator* const auth_;
};

}  // namespace irm::services

#endif  // IRM_SERVICES_REPORT_REPORT_SERVICE_H_
