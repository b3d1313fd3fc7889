#include "engine/access/principal.h"

#include "gtest/gtest.h"

namespace irm::access {
namespace {

TEST(PrincipalTest, RoleNamesRoundTrip) {
  for (Role role : kAllRoles) {
    absl::StatusOr<Role> parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(ParseRole("admin").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PrincipalTest, LabelsAndWriters) {
  Principal focal{"Ana Ruiz", Role::kFocalPoint, "KEN"};
  EXPECT_EQ(focal.Label(), "focal_point:KEN");
  EXPECT_TRUE(focal.MayWrite());
  Principal auditor{"Audit", Role::kAuditor, ""};
  EXPECT_EQ(auditor.Label(), "auditor");
  EXPECT_FALSE(auditor.MayWrite());
  EXPECT_FALSE((Principal{"Web", Role::kObserver, ""}).MayWrite());
  event::v1::Principal proto = ToProto(focal);
  EXPECT_EQ(proto.name(), "Ana Ruiz");
  EXPECT_EQ(proto.role(), "focal_point");
  EXPECT_EQ(proto.state(), "KEN");
  EXPECT_EQ(ToProto(DevelopmentPrincipal()).role(), "secretariat");
}

}  // namespace
}  // namespace irm::access
