#include "engine/access/principal.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace irm::access {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kSecretariat:
      return "secretariat";
    case Role::kFocalPoint:
      return "focal_point";
    case Role::kReviewer:
      return "reviewer";
    case Role::kAuditor:
      return "auditor";
    case Role::kObserver:
      return "observer";
  }
  return "observer";
}

absl::StatusOr<Role> ParseRole(absl::string_view name) {
  for (Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown role '", name,
                   "'; roles are secretariat, focal_point, reviewer, auditor, observer"));
}

bool RoleHasState(Role role) { return role == Role::kFocalPoint || role == Role::kReviewer; }

std::string Principal::Label() const {
  if (RoleHasState(role)) return absl::StrCat(RoleName(role), ":", state);
  return std::string(RoleName(role));
}

bool Principal::MayWrite() const {
  return role == Role::kSecretariat || role == Role::kFocalPoint || role == Role::kReviewer;
}

Principal DevelopmentPrincipal() {
  Principal principal;
  principal.name = "anonymous";
  principal.role = Role::kSecretariat;
  return principal;
}

event::v1::Principal ToProto(const Principal& principal) {
  event::v1::Principal proto;
  proto.set_name(principal.name);
  proto.set_role(std::string(RoleName(principal.role)));
  proto.set_state(principal.state);
  return proto;
}

}  // namespace irm::access
