// Checks used after crashes, restores and disk faults: the projections kept incrementally by
// a live irmd equal a rebuild from the log (AdminService.RebuildProjection digests).
//
// Thread-compatible: one caller per channel at a time.
#ifndef IRM_TESTS_PROJECTION_CHECK_H_
#define IRM_TESTS_PROJECTION_CHECK_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace irm::tests {

// Waits (up to `patience`) until every projection has caught up with the head, then
// rebuilds each one and checks the digests before and after are equal. The error names the
// projection that differs, lags or failed. Returns the names checked in `checked`.
absl::Status CheckProjectionsEqualRebuild(const std::shared_ptr<grpc::Channel>& channel,
                                          absl::Duration patience,
                                          std::vector<std::string>* checked = nullptr);

}  // namespace irm::tests

#endif  // IRM_TESTS_PROJECTION_CHECK_H_
