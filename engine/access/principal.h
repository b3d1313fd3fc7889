// Who is calling: a principal (domain.md section 2) with one role and, for the two roles bound
// to a State, that State.
//
// Roles: secretariat (everything procedural), focal_point:<STATE> (its own State's review),
// reviewer:<STATE> (reviews its State was drawn for), auditor (reads everything, never
// writes), observer (public facts only). Plain values; thread-safe to share read-only.
#ifndef IRM_ENGINE_ACCESS_PRINCIPAL_H_
#define IRM_ENGINE_ACCESS_PRINCIPAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "irm/event/v1/record.pb.h"

namespace irm::access {

enum class Role { kSecretariat, kFocalPoint, kReviewer, kAuditor, kObserver };

inline constexpr Role kAllRoles[] = {Role::kSecretariat, Role::kFocalPoint, Role::kReviewer,
                                     Role::kAuditor, Role::kObserver};

// "secretariat", "focal_point", "reviewer", "auditor", "observer".
absl::string_view RoleName(Role role);
// The inverse of RoleName; InvalidArgument listing the roles otherwise.
absl::StatusOr<Role> ParseRole(absl::string_view name);
// True for focal_point and reviewer, whose principals carry a State.
bool RoleHasState(Role role);

struct Principal {
  std::string name;   // "Ana Ruiz"
  Role role = Role::kObserver;
  std::string state;  // ISO 3166 alpha-3 for focal_point and reviewer; "" otherwise

  // "secretariat", "focal_point:KEN", "reviewer:FRA".
  std::string Label() const;
  // True for the roles that may ever change the log: secretariat, focal_point, reviewer.
  bool MayWrite() const;
};

// The principal of an open development server (no --auth): "anonymous", secretariat.
Principal DevelopmentPrincipal();

// The form recorded in event metadata (EventMetadata.actor).
event::v1::Principal ToProto(const Principal& principal);

}  // namespace irm::access

#endif  // IRM_ENGINE_ACCESS_PRINCIPAL_H_
