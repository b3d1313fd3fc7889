// What `irm verify` found, online or offline: the tree it recomputed from the stored bytes
// and one line per check that passed. A failed check is an error status instead (DataLoss
// naming the first position whose stored bytes do not match, by number).
#ifndef IRM_CLI_AUDIT_VERIFY_REPORT_H_
#define IRM_CLI_AUDIT_VERIFY_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "engine/audit/hash.h"

namespace irm::cli {

struct VerifyReport {
  uint64_t events = 0;        // leaves recomputed
  audit::Hash root{};         // their root
  uint64_t checkpoints = 0;   // signed checkpoints checked
  std::vector<std::string> checks;  // human-readable, one per check
};

}  // namespace irm::cli

#endif  // IRM_CLI_AUDIT_VERIFY_REPORT_H_
