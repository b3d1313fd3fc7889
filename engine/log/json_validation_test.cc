// ValidateJson and JsonObjectMembers on one case per construct. The random differential
// test against a strict parser is json_validation_differential_test.cc.
#include "engine/log/json_validation.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::log {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Nested(int depth) {
  return absl::StrCat(std::string(depth, '['), "1", std::string(depth, ']'));
}

std::string Refusal(const std::string& text) {
  absl::Status status = ValidateJson(text);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << absl::CEscape(text);
  return std::string(status.message());
}

TEST(JsonValidationTest, AcceptsEveryJsonValueWithoutInterpretingIt) {
  const std::string cases[] = {
      "{}", "[]", " { } ", "[ ]", "0", "-1", "7", "true", "false", "null", "\"\"", "\"x\"",
      // Numbers of any length and precision, as sent.
      R"({"acct":12345678901234567890123,"rate":0.30000000000000000001,"x":1e2,"z":-0})",
      "-0.0", "1E+3", "1e-7", "-1.25E+2", "1e400", "-1e400", "4.9e-400", "0.1",
      "18446744073709551616", "-9223372036854775809", "1" + std::string(1000, '0'),
      // Escapes of every kind, and characters of every length.
      R"("\" \\ \/ \b \f \n \r \t \u0000 \u001f \u00e9 \uFFFF \ud83d\ude00 \uDBFF\uDFFF")",
      "\"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \x7F\"",
      "\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"",
      "\"\xEF\xBB\xBF\"",  // U+FEFF inside a string is a character like any other
      // White space of the four kinds anywhere between tokens.
      " {\n\t\"a\" :\r [ 1 ,2, {\"b\":null} ] , \"c\":{ } }\r\n",
      // The same key in different objects, and keys that only look alike.
      R"({"a":{"a":1},"b":{"a":2},"c":[{"a":1},{"a":1}]})",
      R"({"a":1,"A":2,"a ":3,"\u00e9":4,"e\u0301":5})",
      R"({"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10})",
      Nested(kMaxJsonDepth),
      "{\"a\":" + Nested(kMaxJsonDepth - 1) + "}",
  };
  for (const std::string& text : cases) {
    EXPECT_TRUE(ValidateJson(text).ok()) << absl::CEscape(text) << ": " << ValidateJson(text);
  }
}

TEST(JsonValidationTest, RefusesDuplicateKeysComparedAfterUnescapingAndNamesThem) {
  EXPECT_EQ(Refusal(R"({"a":1,"a":2})"),
            "duplicate key \"a\" in the top-level object (byte offset 0); keys are compared "
            "after unescaping, and each may appear once per object");
  EXPECT_THAT(Refusal(R"({"a":1,"\u0061":2})"), HasSubstr("duplicate key \"a\""));
  EXPECT_THAT(Refusal("{\"\\u00e9\":1,\"\xC3\xA9\":2}"), HasSubstr("duplicate key \"\xC3\xA9\""));
  EXPECT_THAT(Refusal(R"({"\ud83d\ude00":1,"😀":2})"), HasSubstr("duplicate key \"😀\""));
  EXPECT_THAT(Refusal(R"({"x":[{"b":1},{"c":{"d":1,"d":2}}]})"),
              HasSubstr("duplicate key \"d\" in the object at /x/1/c (byte offset 19)"));
  EXPECT_THAT(Refusal(R"({"a/b~":{"k":1,"k":2}})"), HasSubstr("in the object at /a~1b~0 "));
  EXPECT_THAT(  // past the pairwise check's size: sorted at the close
      Refusal(R"({"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k5":10})"),
      HasSubstr("duplicate key \"k5\""));
  // A key is shown escaped and cut short: no raw control characters in messages.
  const std::string message = Refusal(R"({"a\nb":1,"a\nb":2})");
  EXPECT_THAT(message, HasSubstr(R"(duplicate key "a\u000ab")"));
  EXPECT_THAT(message, Not(HasSubstr("\n")));
  const std::string long_key = std::string(500, 'k');
  EXPECT_THAT(Refusal(absl::StrCat("{\"", long_key, "\":1,\"", long_key, "\":2}")),
              HasSubstr(absl::StrCat("\"", std::string(60, 'k'), "…\"")));
}

TEST(JsonValidationTest, RefusesAByteOrderMarkRatherThanSkippingIt) {
  EXPECT_EQ(Refusal("\xEF\xBB\xBF{\"a\":1}"),
            "starts with a UTF-8 byte order mark (EF BB BF); send the JSON text without it");
  EXPECT_THAT(Refusal(" \xEF\xBB\xBF{}"), HasSubstr("byte order mark"));
  EXPECT_THAT(Refusal("\xEF\xBB\xBF"), HasSubstr("byte order mark"));
}

TEST(JsonValidationTest, RefusesNestingDeeperThanTheBound) {
  EXPECT_THAT(Refusal(Nested(kMaxJsonDepth + 1)),
              HasSubstr("nested more than 512 levels deep at byte offset 512 (in /0/0/0/0"));
  EXPECT_THAT(Refusal(Nested(kMaxJsonDepth + 1)),
              HasSubstr("; at most 512 levels of objects and arrays are allowed"));
  EXPECT_THAT(Refusal("{\"a\":" + Nested(kMaxJsonDepth) + "}"), HasSubstr("at most 512 levels"));
  // Unbalanced and far deeper: refused at the bound, without recursing further.
  EXPECT_THAT(Refusal(std::string(200000, '[')), HasSubstr("at most 512 levels"));
}

TEST(JsonValidationTest, SaysWhatIsMalformedAndWhere) {
  EXPECT_EQ(Refusal(R"({"a" 1})"),
            "not well-formed JSON: expected ':' after an object key, found '1' at byte offset 5");
  EXPECT_EQ(Refusal(R"({"a":[1,2,}]})"),
            "not well-formed JSON: expected a value (object, array, string, number, true, false "
            "or null), found '}' at byte offset 10 (in /a/2)");
  EXPECT_EQ(Refusal("{\"a\":\"x\xFFy\"}"),
            "not well-formed JSON: invalid UTF-8 in a string at byte offset 7 (in /a)");
  EXPECT_EQ(Refusal("[\"a\nb\"]"),
            "not well-formed JSON: a raw control character (U+000A) in a string at byte "
            "offset 3 (in /0); write it as an escape such as \\n or \\u000a");
  EXPECT_THAT(Refusal("{} {}"), HasSubstr("more text after the JSON value"));
  EXPECT_THAT(Refusal(""), HasSubstr("expected a value, found the end of the text"));
  EXPECT_THAT(Refusal("01"), HasSubstr("leading zeros"));
  EXPECT_THAT(Refusal(R"("\ud800")"), HasSubstr("high surrogate"));
  EXPECT_THAT(Refusal(R"("\udc00")"), HasSubstr("low surrogate"));
  EXPECT_THAT(Refusal(R"("\x")"), HasSubstr("invalid escape"));
  EXPECT_THAT(Refusal("\x01"), HasSubstr("found byte 0x01"));
}

TEST(JsonValidationTest, RefusesEverythingOutsideTheGrammar) {
  const std::string cases[] = {
      " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}",
      "{\"a\" 1}", "[1 2]", "{} {}", "1 2", "{} x", "tru", "nul", "falsey", "True", "nan",
      "NaN", "Infinity", "'a'", "\"abc", "\"a\x01" "b\"", "\"a\tb\"", "/* c */ {}", "{}//",
      "\f{}", "{}\v", std::string("{}\0", 3), std::string("\0", 1),
      // Numbers outside the grammar.
      "01", "-01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5.2", "--1", "[1.e3]",
      // Escapes outside the grammar.
      R"("\ud800")", R"("\udc00x")", R"("\ud800\u0041")", R"("\uZZZZ")", R"("\u12")",
      R"("\x")", R"("\U0041")", R"("\)", "\"\\",
      // Invalid UTF-8: overlong, surrogate, above U+10FFFF, stray or cut-off bytes.
      "\"\xC0\x80\"", "\"\xC1\xBF\"", "\"\xE0\x80\x80\"", "\"\xE0\x9F\xBF\"",
      "\"\xED\xA0\x80\"", "\"\xED\xBF\xBF\"", "\"\xF0\x80\x80\x80\"", "\"\xF0\x8F\xBF\xBF\"",
      "\"\xF4\x90\x80\x80\"", "\"\xF5\x80\x80\x80\"", "\"\xFF\"", "\"\x80\"", "\"\xBF\"",
      "\"\xE6\x97\"", "\"\xF0\x9F\x98\"", "\"\xC3\"", "\"\xC3\x28\"", "\xC3\xA9",
      "{\"\xFF\":1}",
  };
  for (const std::string& text : cases) {
    absl::Status status = ValidateJson(text);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << absl::CEscape(text);
    EXPECT_THAT(status.message(), HasSubstr("byte offset")) << absl::CEscape(text);
  }
}

TEST(JsonValidationTest, ObjectMembersGiveEachValueAsSent) {
  const std::string text =
      " {\"data\" : {\"n\": 1e2 ,\"s\":\"\\u00e9\"} ,\"k\\u0065y\":[1, 2]\n,\"z\":-0}\n";
  absl::StatusOr<std::vector<JsonMember>> members = JsonObjectMembers(text);
  ASSERT_TRUE(members.ok()) << members.status();
  ASSERT_EQ(members->size(), 3u);
  EXPECT_EQ((*members)[0].key, "data");
  EXPECT_EQ((*members)[0].value, "{\"n\": 1e2 ,\"s\":\"\\u00e9\"}");
  EXPECT_EQ((*members)[1].key, "key");
  EXPECT_EQ((*members)[1].value, "[1, 2]");
  EXPECT_EQ((*members)[2].key, "z");
  EXPECT_EQ((*members)[2].value, "-0");
  EXPECT_EQ((*members)[2].value.data(), text.data() + text.find("-0"));

  EXPECT_TRUE(JsonObjectMembers("{}").ok());
  EXPECT_THAT(JsonObjectMembers("[1]").status().message(), HasSubstr("not a JSON object"));
  EXPECT_THAT(JsonObjectMembers(R"({"a":1,"a":2})").status().message(),
              HasSubstr("duplicate key"));
}

TEST(JsonValidationTest, FindsRawLineBreaks) {
  EXPECT_FALSE(HasLineBreak(R"({"a":"\n\r"})"));
  EXPECT_TRUE(HasLineBreak("{\n}"));
  EXPECT_TRUE(HasLineBreak("{\r}"));
}

}  // namespace
}  // namespace irm::log
