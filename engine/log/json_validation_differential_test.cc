// Differential test: ValidateJson must accept exactly what a strict RFC 8259 parser accepts
// (nlohmann-json's, see json_validation_reference.h) minus its three extra refusals
// (duplicate keys, a byte order mark, nesting deeper than 512) -- on 20,000 random JSON-ish
// texts from a seeded generator (valid documents with random white space, nesting, escapes,
// UTF-8 good and bad, numbers of every shape and length, duplicate keys; then byte flips,
// truncations, insertions and deletions), and on every file and line of the fuzz corpora
// (fuzz/corpus/).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "engine/log/json_validation.h"
#include "engine/log/json_validation_reference.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace irm::log {
namespace {

// Counts what the comparisons saw, so the test can check it tested something.
struct Tally {
  int valid = 0, invalid = 0, duplicates = 0, mismatches = 0;
};

void Compare(const std::string& text, Tally& tally) {
  const bool expected = reference::StrictAccept(text);
  const absl::Status status = ValidateJson(text);
  ++(expected ? tally.valid : tally.invalid);
  if (absl::StrContains(status.message(), "duplicate key")) ++tally.duplicates;
  if (status.ok() == expected) return;
  if (++tally.mismatches <= 5) {
    ADD_FAILURE() << "input: \"" << absl::CEscape(text) << "\"\nreference: "
                  << (expected ? "accepts" : "refuses") << "\nValidateJson: " << status;
  }
}

// Random JSON-ish text: mostly valid, with rare invalid pieces, from one seed.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  // One in three documents is plain: no invalid pieces, though duplicate keys still occur.
  std::string Document() {
    plain_ = OneIn(3);
    std::string s;
    Space(s);
    if (OneIn(300)) {  // past or near the depth bound
      const int depth = kMaxJsonDepth - 3 + Below(7);
      for (int i = 0; i < depth; ++i) s += OneIn(2) ? "[" : "{\"k\":";
      s += "0";
      // Close in reverse: find the openers again from the end.
      for (size_t i = s.size(); i-- > 0;) {
        if (s[i] == '[') s += "]";
        if (s[i] == '{') s += "}";
      }
    } else {
      Value(s, 0);
    }
    Space(s);
    return s;
  }

  // One to three random edits.
  std::string Mutate(std::string s) {
    static const char kInteresting[] = "{}[],:\"\\ 0123-.eE+tfn\t\n\x01\x7f\xc3\xa9\xff";
    for (int edits = 1 + Below(3); edits > 0; --edits) {
      const size_t at = s.empty() ? 0 : Below(static_cast<int>(s.size()));
      const char c = OneIn(2) ? static_cast<char>(Below(256))
                              : kInteresting[Below(sizeof(kInteresting) - 1)];
      switch (Below(4)) {
        case 0: if (!s.empty()) s[at] = c; break;
        case 1: s.resize(at); break;
        case 2: s.insert(at, 1, c); break;
        default: if (!s.empty()) s.erase(at, 1 + Below(3)); break;
      }
    }
    return s;
  }

 private:
  int Below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool OneIn(int n) { return Below(n) == 0; }
  template <size_t N>
  const char* Pick(const char* const (&options)[N]) { return options[Below(N)]; }

  void Space(std::string& s) {
    if (OneIn(2)) return;
    for (int n = Below(4); n > 0; --n) s += " \t\n\r"[Below(4)];
    if (!plain_ && OneIn(400)) s += OneIn(2) ? "\f" : "\v";  // not JSON white space
  }

  void Value(std::string& s, int depth) {
    switch (Below(depth >= 5 ? 4 : 7)) {
      case 0: String(s); break;
      case 1: Number(s); break;
      case 2: s += !plain_ && OneIn(100) ? Pick({"tru", "nulll", "True", "NaN"})
                              : Pick({"true", "false", "null"}); break;
      case 3: Below(2) ? Number(s) : String(s); break;
      case 4: case 5: Object(s, depth + 1); break;
      default: Array(s, depth + 1); break;
    }
  }

  void Object(std::string& s, int depth) {
    s += "{";
    Space(s);
    const int n = Below(12);
    for (int i = 0; i < n; ++i) {
      if (i > 0) { s += ","; Space(s); }
      if (OneIn(6)) {
        s += plain_ ? Pick({"\"a\"", "\"b\"", "\"\xC3\xA9\""})  // duplicates
                    : Pick({"\"a\"", "\"b\"", "\"\\u0061\"", "\"\xC3\xA9\""});
      } else {
        String(s);
      }
      Space(s); s += ":"; Space(s);
      Value(s, depth);
      Space(s);
    }
    if (!plain_ && OneIn(200)) s += ",";  // trailing comma
    s += "}";
  }

  void Array(std::string& s, int depth) {
    s += "[";
    Space(s);
    for (int i = 0, n = Below(8); i < n; ++i) {
      if (i > 0) { s += ","; Space(s); }
      Value(s, depth);
      Space(s);
    }
    s += "]";
  }

  void String(std::string& s) {
    s += "\"";
    for (int n = Below(12); n > 0; --n) {
      const int kind = plain_ ? 100 + Below(900) : Below(1000);
      if (kind < 100) {
        s += Pick({"\\n", "\\\"", "\\\\", "\\/", "\\t", "\\b", "\\f", "\\r", "\\u00e9",
                   "\\u0000", "\\u001F", "\\u007f", "\\ud83d\\ude00", "\\uDBFF\\uDFFF"});
      } else if (kind < 220) {
        s += Pick({"\xC3\xA9", "\xE6\x97\xA5", "\xF0\x9F\x98\x80", "\xC2\x80", "\xDF\xBF",
                   "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xF4\x8F\xBF\xBF", "\x7F"});
      } else if (kind < 225 && !plain_) {  // not JSON: bad UTF-8, control bytes, escapes
        s += Pick({"\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
                   "\xF4\x90\x80\x80", "\xF5\x80", "\xFF", "\x80", "\xE6\x97", "\xC3",
                   "\x01", "\x1F", "\t", "\\ud800", "\\udc00x", "\\uZZZZ", "\\u12", "\\x",
                   "\\U0041"});
      } else {
        s += " abcxyzABC019_-.,:;/'<>&{}[]"[Below(28)];
      }
    }
    s += "\"";
  }

  void Number(std::string& s) {
    if (!plain_ && OneIn(3)) {
      s += Pick({"0", "-0", "-0.0", "1.5", "1e3", "1E+3", "1e-3", "-2.5e10", "0.1", "1.0",
                 "01", "-", "1.", ".5", "1e", "+1", "9223372036854775807",
                 "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
                 "18446744073709551616", "123456789012345678", "1234567890123456789",
                 "1e400", "-1e400", "4.9e-324", "0.30000000000000004", "0.30000000000000000001",
                 "12345678901234567890123", "1e2", "-0e-0", "2E-00", "00", "-00", "0.", "1e+",
                 "--1", "1.5.2", "0x10", "Infinity", "-"});
      return;
    }
    if (OneIn(3)) s += "-";
    const int digits = 1 + (OneIn(4) ? Below(24) : Below(6));
    s += static_cast<char>('1' + Below(9));
    for (int i = 1; i < digits; ++i) s += static_cast<char>('0' + Below(10));
    if (OneIn(4)) {  // a fraction of any length
      s += ".";
      for (int i = 1 + (OneIn(4) ? Below(30) : Below(4)); i > 0; --i) {
        s += static_cast<char>('0' + Below(10));
      }
    }
    if (OneIn(6)) {  // an exponent, sometimes beyond a double's range
      s += Pick({"e", "E", "e+", "e-", "E-"});
      for (int i = 1 + Below(4); i > 0; --i) s += static_cast<char>('0' + Below(10));
    }
  }

  std::mt19937 rng_;
  bool plain_ = false;
};

TEST(JsonValidationDifferentialTest, AcceptsWhatAStrictParserAcceptsOnRandomTexts) {
  Generator generator(20261130);
  Tally tally;
  for (int i = 0; i < 20000; ++i) {
    const std::string document = generator.Document();
    Compare(i % 3 == 2 ? generator.Mutate(document) : document, tally);
  }
  EXPECT_EQ(tally.mismatches, 0);
  std::printf("valid %d, invalid %d (duplicate keys %d)\n", tally.valid, tally.invalid,
              tally.duplicates);
  // The mix must exercise both verdicts and the duplicate check.
  EXPECT_GT(tally.valid, 6000);
  EXPECT_GT(tally.invalid, 4000);
  EXPECT_GT(tally.duplicates, 500);
}

TEST(JsonValidationDifferentialTest, AcceptsWhatAStrictParserAcceptsOnTheFuzzCorpora) {
  Tally tally;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(IRM_FUZZ_CORPUS_DIR)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << file.rdbuf();
    const std::string text = bytes.str();
    Compare(text, tally);
    for (absl::string_view line : absl::StrSplit(text, '\n')) Compare(std::string(line), tally);
  }
  EXPECT_EQ(tally.mismatches, 0);
  std::printf("valid %d, invalid %d (duplicate keys %d)\n", tally.valid, tally.invalid,
              tally.duplicates);
  EXPECT_GT(tally.valid, 20);  // the event_json seeds are JSON lines
  EXPECT_GT(tally.invalid, 100);
}

// The reference's one correction of nlohmann (numbers that overflow a double) is needed and
// exact: without it these would count as invalid.
TEST(JsonValidationDifferentialTest, ReferenceAcceptsNumbersBeyondADouble) {
  EXPECT_FALSE(nlohmann::json::accept("[1e400]"));
  EXPECT_TRUE(reference::StrictAccept("[1e400, -1e400, 1" + std::string(400, '0') + "]"));
  EXPECT_FALSE(reference::StrictAccept("[1e400, x]"));
  EXPECT_FALSE(reference::StrictAccept("{\"a\":1e400,\"a\":1}"));
  EXPECT_FALSE(reference::StrictAccept("19E2019E20"));  // found by the fuzzer
  EXPECT_FALSE(reference::StrictAccept("[1e400.5]"));
}

}  // namespace
}  // namespace irm::log
