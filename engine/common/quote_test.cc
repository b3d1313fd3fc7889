#include "engine/common/quote.h"

#include <string>

#include "gtest/gtest.h"

namespace irm::common {
namespace {

TEST(QuoteTest, PlainTextIsQuotedAsItIs) {
  EXPECT_EQ(Quote("review-KEN-2"), "'review-KEN-2'");
  EXPECT_EQ(Quote(""), "''");
  EXPECT_EQ(Quote("Côte d’Ivoire"), "'Côte d’Ivoire'");
}

TEST(QuoteTest, ControlCharactersAndBadBytesAreEscaped) {
  EXPECT_EQ(Quote(std::string("a\0b", 3)), "'a\\x00b'");
  EXPECT_EQ(Quote("line\nbreak\r\t"), "'line\\nbreak\\r\\t'");
  EXPECT_EQ(Quote("\x1b[31mred"), "'\\x1b[31mred'");
  EXPECT_EQ(Quote("\x7f"), "'\\x7f'");
  EXPECT_EQ(Quote("it's a \\"), "'it\\'s a \\\\'");
  EXPECT_EQ(Quote("\xff\xfe"), "'\\xff\\xfe'");
  EXPECT_EQ(Quote("\xc3"), "'\\xc3'");              // a cut two-byte character
  EXPECT_EQ(Quote("\xed\xa0\x80"), "'\\xed\\xa0\\x80'");  // a UTF-16 surrogate
}

TEST(QuoteTest, InvisibleCodePointsAreEscaped) {
  EXPECT_EQ(Quote("abc\u202Edef"), "'abc\\u{202e}def'");
  EXPECT_EQ(Quote("\u200Bx\uFEFF"), "'\\u{200b}x\\u{feff}'");
  EXPECT_EQ(Quote("\u0085"), "'\\u{0085}'");
}

TEST(QuoteTest, LongTextIsCut) {
  EXPECT_EQ(Quote(std::string(100, 'x'), 5), "'xxxxx...' (100 bytes)");
  EXPECT_EQ(Quote("ééé", 2), "'éé...' (6 bytes)");
  EXPECT_EQ(Quote(std::string(60, 'x')), "'" + std::string(60, 'x') + "'");
}

TEST(QuoteTest, EscapeHasNoQuotesAndNoCut) {
  EXPECT_EQ(Escape("\u202E"), "\\u{202e}");
  EXPECT_EQ(Escape(std::string(100, 'y')), std::string(100, 'y'));
  EXPECT_EQ(Escape("é"), "é");
}

TEST(QuoteTest, Utf8CharLength) {
  EXPECT_EQ(Utf8CharLength("a"), 1u);
  EXPECT_EQ(Utf8CharLength("é"), 2u);
  EXPECT_EQ(Utf8CharLength("€"), 3u);
  EXPECT_EQ(Utf8CharLength("😀"), 4u);
  EXPECT_EQ(Utf8CharLength("\xc0\x80"), 0u);  // overlong NUL
  EXPECT_EQ(Utf8CharLength("\x80"), 0u);
  EXPECT_EQ(Utf8CharLength(""), 0u);
}

}  // namespace
}  // namespace irm::common
