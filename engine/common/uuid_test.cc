#include "engine/common/uuid.h"

#include "gtest/gtest.h"

namespace irm::common {
namespace {

TEST(UuidTest, RoundTripsCanonicalText) {
  auto uuid = Uuid::Parse("123E4567-e89b-42d3-a456-426614174000");
  ASSERT_TRUE(uuid.ok()) << uuid.status();
  EXPECT_EQ(uuid->ToString(), "123e4567-e89b-42d3-a456-426614174000");
  auto again = Uuid::FromBytes(uuid->Bytes());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *uuid);
}

TEST(UuidTest, RejectsMalformedTextNamingIt) {
  for (const char* bad : {"", "123e4567e89b42d3a456426614174000", "123e4567-e89b-42d3-a456-42661417400g",
                          "123e4567-e89b-42d3-a456_426614174000"}) {
    auto uuid = Uuid::Parse(bad);
    ASSERT_FALSE(uuid.ok()) << bad;
    EXPECT_EQ(uuid.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(uuid.status().message().find("expected a UUID"), absl::string_view::npos);
  }
}

TEST(UuidTest, RandomIsVersion4AndDistinct) {
  Uuid a = Uuid::Random();
  Uuid b = Uuid::Random();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.ToString()[14], '4');
  char variant = a.ToString()[19];
  EXPECT_TRUE(variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

}  // namespace
// RFC 4122's own example namespace (DNS) and Python's uuid.uuid5(NAMESPACE_DNS,
// "python.org"), computed outside irm.
TEST(UuidTest, NameBasedIsVersion5AndMatchesAnOutsideComputation) {
  absl::StatusOr<Uuid> dns = Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  ASSERT_TRUE(dns.ok());
  EXPECT_EQ(Uuid::NameBased(*dns, "python.org").ToString(),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  EXPECT_EQ(Uuid::NameBased(*dns, "a"), Uuid::NameBased(*dns, "a"));
  EXPECT_NE(Uuid::NameBased(*dns, "a"), Uuid::NameBased(*dns, "b"));
}

}  // namespace irm::common
