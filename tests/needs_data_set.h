// The cycle-2 needs data set (tests/data/cycle2_needs_2019.*.tsv, made by
// make_cycle2_needs_2019.py): reviews and technical-assistance needs whose report equals
// the cycle-2 figures of the secretariat's 2019 note (domain.md section 7, docs/needs.md).
//
// LoadNeedsDataSet records it in a running irmd through the real `irm` binary: `irm review
// schedule / assign-reviewers / launch / ... / issue-summary`, `irm need add` and
// `irm need status`, each review's commands in order, several reviews at a time.
// Thread-compatible: call from one thread.
#ifndef IRM_TESTS_NEEDS_DATA_SET_H_
#define IRM_TESTS_NEEDS_DATA_SET_H_

#include <string>

#include "absl/status/statusor.h"

namespace irm::tests {

// The data set's folder (tests/data of the source tree).
std::string NeedsDataDir();

struct LoadedDataSet {
  int reviews = 0;
  int needs = 0;
  int status_changes = 0;
  int commands = 0;  // irm invocations
};

// Loads both TSV files into the irmd at `server`. The first failing command's output is
// the error (Internal).
absl::StatusOr<LoadedDataSet> LoadNeedsDataSet(const std::string& server);

}  // namespace irm::tests

#endif  // IRM_TESTS_NEEDS_DATA_SET_H_
