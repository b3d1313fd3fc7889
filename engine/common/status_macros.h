// Early-return helpers for absl::Status and absl::StatusOr<T>.
//
// Debian's Abseil (20220623) ships no ABSL_RETURN_IF_ERROR; this is the project's one copy.
//   IRM_RETURN_IF_ERROR(expr);             // returns expr's status if it is not OK
//   IRM_ASSIGN_OR_RETURN(auto x, expr);    // binds the value or returns the status
#ifndef IRM_ENGINE_COMMON_STATUS_MACROS_H_
#define IRM_ENGINE_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define IRM_RETURN_IF_ERROR(expr)                     \
  do {                                                \
    ::absl::Status irm_status_ = (expr);              \
    if (!irm_status_.ok()) return irm_status_;        \
  } while (false)

#define IRM_STATUS_MACROS_CONCAT_INNER_(x, y) x##y
#define IRM_STATUS_MACROS_CONCAT_(x, y) IRM_STATUS_MACROS_CONCAT_INNER_(x, y)

#define IRM_ASSIGN_OR_RETURN(lhs, expr) \
  IRM_ASSIGN_OR_RETURN_IMPL_(           \
      IRM_STATUS_MACROS_CONCAT_(irm_statusor_, __LINE__), lhs, expr)

#define IRM_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) return statusor.status();         \
  lhs = std::move(statusor).value()

#endif  // IRM_ENGINE_COMMON_STATUS_MACROS_H_
