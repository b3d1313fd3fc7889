#include "engine/store/rocksdb_status.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/common/error_details.h"

namespace irm::store {

absl::Status FromRocksDb(const rocksdb::Status& s, absl::string_view context) {
  if (s.ok()) return absl::OkStatus();
  const std::string detail = s.ToString();
  const std::string message = absl::StrCat(context, ": ", detail);
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::kSpaceLimit) {
    return absl::ResourceExhaustedError(
        absl::StrCat(message, "; free disk space and retry"));
  }
  if (s.IsIOError() && absl::StrContains(detail, "lock")) {
    return absl::FailedPreconditionError(absl::StrCat(
        message, "; is another irmd using this data folder? Stop it or choose another --data"));
  }
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain() || s.IsIncomplete()) {
    return absl::UnavailableError(message);
  }
  if (s.IsNotSupported()) return absl::UnimplementedError(message);
  return absl::UnavailableError(message);
}

absl::Status FromFailedLogWrite(const rocksdb::Status& s) {
  if (s.ok()) return absl::OkStatus();
  const absl::Status cause = FromRocksDb(s, "writing to the log's disk failed");
  absl::Status status = absl::UnavailableError(absl::StrCat(
      cause.message(),
      "; the outcome is unknown (the append may or may not have been written): retry with the "
      "same event ids; if it was written, the retry answers already_written"));
  status = common::WithReason(std::move(status), "OUTCOME_UNKNOWN",
                              {{"cause", absl::StatusCodeToString(cause.code())}});
  return common::WithRetryDelay(std::move(status), absl::Seconds(1));
}

}  // namespace irm::store
