#include "services/server/config_file.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::services {
namespace {

using ::testing::HasSubstr;

TEST(ConfigFileTest, ParsesKeysValuesCommentsAndQuotes) {
  auto entries = ParseConfigText(
      "# irmd\n\n  listen =  127.0.0.1:7  \nmax-event-bytes=42\n"
      "   # indented comment\nauth = \" /etc/irm/a b.json \"\nhttp =\n",
      "irmd.conf");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].key, "listen");
  EXPECT_EQ((*entries)[0].value, "127.0.0.1:7");
  EXPECT_EQ((*entries)[0].line, 3);
  EXPECT_EQ((*entries)[1].key, "max-event-bytes");
  EXPECT_EQ((*entries)[1].value, "42");
  EXPECT_EQ((*entries)[2].value, " /etc/irm/a b.json ");
  EXPECT_EQ((*entries)[3].key, "http");
  EXPECT_EQ((*entries)[3].value, "");
}

TEST(ConfigFileTest, EmptyTextHasNoEntries) {
  auto entries = ParseConfigText("", "x");
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST(ConfigFileTest, LineWithoutEqualsNamesFileAndLine) {
  auto entries = ParseConfigText("listen = a:1\n\nlisten\n", "irmd.conf");
  EXPECT_EQ(entries.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(entries.status().message(), HasSubstr("irmd.conf:3:"));
  EXPECT_THAT(entries.status().message(), HasSubstr("key = value"));
}

TEST(ConfigFileTest, RejectsBadKeysDuplicatesAndOpenQuotes) {
  EXPECT_THAT(ParseConfigText("--listen = a:1\n", "f").status().message(),
              HasSubstr("not a key"));
  EXPECT_THAT(ParseConfigText("= 5\n", "f").status().message(), HasSubstr("not a key"));
  EXPECT_THAT(ParseConfigText("Listen = a:1\n", "f").status().message(), HasSubstr("not a key"));
  auto duplicate = ParseConfigText("data = a\nlisten = b:1\ndata = c\n", "f");
  EXPECT_THAT(duplicate.status().message(), HasSubstr("f:3: data is already set on line 1"));
  EXPECT_THAT(ParseConfigText("auth = \"abc\n", "f").status().message(),
              HasSubstr("no closing quote"));
}

TEST(ConfigFileTest, MissingFileIsNotFound) {
  auto entries = ReadConfigFile("/nonexistent/irmd.conf");
  EXPECT_EQ(entries.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(entries.status().message(), HasSubstr("/nonexistent/irmd.conf"));
}

}  // namespace
}  // namespace irm::services
