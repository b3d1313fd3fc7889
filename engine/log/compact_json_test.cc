// CompactJson against its definition, nlohmann::ordered_json::parse(text).dump(), on one
// case per construct: what the single pass must handle itself, and what it must leave to the
// full parser. The random differential test is compact_json_differential_test.cc.
#include "engine/log/compact_json.h"

#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace irm::log {
namespace {

// (valid, compact form) as the log computed it before CompactJson existed.
std::pair<bool, std::string> Nlohmann(const std::string& text) {
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(text, nullptr, false);
  if (parsed.is_discarded()) return {false, ""};
  return {true, parsed.dump()};
}

std::pair<bool, std::string> Compact(const std::string& text) {
  std::string out;
  const bool ok = CompactJson(text, &out);
  return {ok, ok ? out : ""};
}

std::string Nested(int depth) {
  return absl::StrCat(std::string(depth, '['), "1", std::string(depth, ']'));
}

TEST(CompactJsonTest, FastPathHandlesPlainJsonAndMatchesTheFullParser) {
  const std::string cases[] = {
      "{}", "[]", " { } ", "[ ]", "0", "-1", "7", "true", "false", "null", "\"\"", "\"x\"",
      "123456789012345678", "-123456789012345678",  // 18 digits: the most kept as is
      R"({"state":"Ghana","cycle":2,"stage":"country_visit","reviewers":["Kenya","Norway"]})",
      " {\n\t\"a\" :\r [ 1 ,2, {\"b\":null} ] , \"c\":{ } }\r\n",
      R"({"a":{"a":1},"b":{"a":2},"c":[{"a":1},{"a":1}]})",  // same key in different objects
      R"({"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10})",
      "\"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \x7F\"",  // 2, 3, 4 bytes, DEL
      "\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"",
      "{\"\xC3\xA9t\xC3\xA9\":\"/ ' < > &\"}",
      Nested(kMaxCompactDepth),
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(absl::CEscape(text));
    std::string out;
    ASSERT_TRUE(CompactJsonFast(text, &out));
    const auto expected = Nlohmann(text);
    ASSERT_TRUE(expected.first);
    EXPECT_EQ(out, expected.second);
    EXPECT_EQ(Compact(text), expected);
  }
}

TEST(CompactJsonTest, RemovesExactlyTheWhiteSpaceBetweenTokens) {
  std::string out;
  ASSERT_TRUE(CompactJson(" {\n\t\"a b\" :\r [1, \"c d\"] }\n", &out));
  EXPECT_EQ(out, "{\"a b\":[1,\"c d\"]}");
}

// Each case: the single pass must give up, and CompactJson must still agree with nlohmann
// (valid ones through the fallback; invalid ones rejected).
TEST(CompactJsonTest, GivesUpWhereTheCompactFormMayDifferAndStillMatches) {
  const std::string cases[] = {
      // Escapes: nlohmann re-escapes them its own way.
      R"("a\/b")", R"("\u00e9")", R"("\ud83d\ude00")", R"("\n\t\"\\")", R"("\u001f")",
      R"({"k\u0061":1})", R"("\ud800")", R"("\x")", R"("\u12")",
      // Numbers other than plain integers of up to 18 digits.
      "1.5", "1.0", "1e3", "1E3", "1e-7", "-1.25E+2", "-0", "-0.0", "0.1",
      "1234567890123456789", "18446744073709551615", "18446744073709551616",
      "-9223372036854775808", "-9223372036854775809", "100000000000000000000",
      "01", "-01", "-", "1.", ".5", "1e", "+1", "[1.5,2]",
      // Duplicate keys: the first position keeps the last value.
      R"({"a":1,"a":2})", R"({"a":1,"b":2,"a":{"c":3}})", R"({"x":{"a":1,"a":1}})",
      R"({"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k1":10})",
      // Too deep for the single pass, valid for the full parser.
      Nested(kMaxCompactDepth + 1),
      "{\"a\":" + Nested(kMaxCompactDepth) + "}",
      // Not JSON, or not one value.
      "", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}",
      "{\"a\" 1}", "[1 2]", "{} {}", "1 2", "{} x", "tru", "nul", "falsey", "True", "nan",
      "'a'", "\"abc", "\"a\x01" "b\"", "\"a\tb\"", "\"a\nb\"", "/* c */ {}", "{}//", "\f{}",
      "{}\v", std::string("{}\0", 3), std::string("\0", 1),
      // A byte-order mark: nlohmann skips it at the start.
      "\xEF\xBB\xBF{\"a\":1}", "\xEF\xBB\xBF", " \xEF\xBB\xBF{}",
      // Invalid UTF-8: overlong, surrogate, above U+10FFFF, stray or cut-off bytes.
      "\"\xC0\x80\"", "\"\xC1\xBF\"", "\"\xE0\x80\x80\"", "\"\xE0\x9F\xBF\"",
      "\"\xED\xA0\x80\"", "\"\xED\xBF\xBF\"", "\"\xF0\x80\x80\x80\"", "\"\xF0\x8F\xBF\xBF\"",
      "\"\xF4\x90\x80\x80\"", "\"\xF5\x80\x80\x80\"", "\"\xFF\"", "\"\x80\"", "\"\xBF\"",
      "\"\xE6\x97\"", "\"\xF0\x9F\x98\"", "\"\xC3\"", "\"\xC3\x28\"", "\xC3\xA9",
      "{\"\xFF\":1}",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(absl::CEscape(text));
    std::string out;
    EXPECT_FALSE(CompactJsonFast(text, &out));
    EXPECT_EQ(Compact(text), Nlohmann(text));
  }
}

TEST(CompactJsonTest, FallbackRewritesWhatTheFastPathLeaves) {
  // The bytes differ from the text minus white space: proof the fallback ran.
  EXPECT_EQ(Compact(R"({"a": "\u00e9\/", "n": 1.50, "e": 1E2, "z": -0})"),
            std::make_pair(true, std::string("{\"a\":\"\xC3\xA9/\",\"n\":1.5,\"e\":100.0,"
                                             "\"z\":0}")));
  EXPECT_EQ(Compact(R"({"a":1,"b":2,"a":3})"),
            std::make_pair(true, std::string("{\"a\":3,\"b\":2}")));
}

TEST(CompactJsonTest, WritesIntoAStringThatHeldSomethingElse) {
  std::string out(5000, 'x');
  ASSERT_TRUE(CompactJson("[1, 2]", &out));
  EXPECT_EQ(out, "[1,2]");
  out.assign(3, 'y');
  ASSERT_TRUE(CompactJson("\"\\u0041\"", &out));
  EXPECT_EQ(out, "\"A\"");
}

TEST(CompactJsonTest, NestingDepthCountsBracketsOutsideStringsOnly) {
  EXPECT_EQ(JsonNestingDepth("1"), 0);
  EXPECT_EQ(JsonNestingDepth("{}"), 1);
  EXPECT_EQ(JsonNestingDepth(R"({"a":[1,{"b":[]}],"c":{}})"), 4);
  EXPECT_EQ(JsonNestingDepth(R"({"a":"[[[{{{"})"), 1);
  EXPECT_EQ(JsonNestingDepth(R"(["\"[[[", ["\\", [1]]])"), 3);
  EXPECT_EQ(JsonNestingDepth(std::string(600, '[') + std::string(600, ']')), 600);
}

}  // namespace
}  // namespace irm::log
