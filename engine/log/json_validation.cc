#include "engine/log/json_validation.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <forward_list>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace irm::log {
namespace {

constexpr size_t kShownKeyBytes = 60;
constexpr size_t kShownPathBytes = 200;

// How a byte inside a string is handled.
enum ByteClass : uint8_t { kPlain, kQuote, kBackslash, kControl, kNonAscii };

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> classes{};
  for (int b = 0; b < 256; ++b) {
    classes[b] = b < 0x20 ? kControl : b >= 0x80 ? kNonAscii : kPlain;
  }
  classes['"'] = kQuote;
  classes['\\'] = kBackslash;
  return classes;
}
constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at `p` (which has at least 4 bytes) as a number, or -1.
int Hex4(const char* p) {
  int value = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = HexValue(p[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The characters of a string whose escapes the validator has checked.
std::string Unescape(absl::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    const char c = raw[++i];
    switch (c) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        uint32_t cp = Hex4(raw.data() + i + 1);
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // the validator checked the low half follows
          cp = 0x10000 + ((cp - 0xD800) << 10) + (Hex4(raw.data() + i + 3) - 0xDC00);
          i += 6;
        }
        AppendUtf8(cp, out);
        break;
      }
      default: out += c; break;  // " \ /
    }
  }
  return out;
}

// `text` (valid UTF-8) for a message: quotes, backslashes and control characters escaped as
// in JSON, cut to about kShownKeyBytes bytes at a character boundary. With `pointer`, also
// '~' and '/' as JSON Pointer writes them.
std::string Shown(absl::string_view text, bool pointer) {
  std::string out;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (out.size() >= kShownKeyBytes && (c & 0xC0) != 0x80) break;
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", std::string(1, c));
    } else if (c < 0x20 || c == 0x7F) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else if (pointer && c == '~') {
      out += "~0";
    } else if (pointer && c == '/') {
      out += "~1";
    } else {
      out += static_cast<char>(c);
    }
  }
  if (i < text.size()) out += "…";
  return out;
}

// One pass over a JSON text. Each method returns false on the first problem, after
// recording it (Fail); the callers on the way out add the path to it (AddPath*).
class Validator {
 public:
  Validator(absl::string_view text, std::vector<JsonMember>* members)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()),
        members_(members) {}

  absl::Status Run() {
    SkipSpace();
    if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          p_ == begin_ ? "starts with a UTF-8 byte order mark (EF BB BF)"
                       : "has a UTF-8 byte order mark (EF BB BF) after white space",
          "; send the JSON text without it"));
    }
    if (!Value(0)) return Error();
    SkipSpace();
    if (p_ != end_) {
      Fail("more text after the JSON value (send exactly one value)");
      return Error();
    }
    return absl::OkStatus();
  }

 private:
  void SkipSpace() {
    while (p_ != end_ && IsSpace(*p_)) ++p_;
  }
  bool At(char c) const { return p_ != end_ && *p_ == c; }

  // Records a syntax problem at p_.
  bool Fail(absl::string_view what) {
    std::string found = "the end of the text";
    if (p_ != end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      found = c >= 0x20 && c < 0x7F ? absl::StrCat("'", std::string(1, c), "'")
                                    : absl::StrFormat("byte 0x%02x", c);
    }
    return FailAt(p_, absl::StrCat("not well-formed JSON: ", what, ", found ", found));
  }
  // Records a problem at `at`: what is wrong, then (after the place) what would be right.
  bool FailAt(const char* at, std::string message, std::string advice = "") {
    message_ = std::move(message);
    advice_ = std::move(advice);
    offset_ = static_cast<size_t>(at - begin_);
    return false;
  }
  void AddPathKey(absl::string_view key) { path_.push_back(Shown(key, /*pointer=*/true)); }
  void AddPathIndex(size_t index) { path_.push_back(absl::StrCat(index)); }

  std::string Path() const {
    std::string path;
    for (auto it = path_.rbegin(); it != path_.rend(); ++it) absl::StrAppend(&path, "/", *it);
    if (path.size() > kShownPathBytes) {
      size_t cut = kShownPathBytes;
      while (cut > 0 && (static_cast<unsigned char>(path[cut]) & 0xC0) == 0x80) --cut;
      path = absl::StrCat(path.substr(0, cut), "…");
    }
    return path;
  }

  absl::Status Error() const {
    if (duplicate_) {
      return absl::InvalidArgumentError(absl::StrCat(
          message_, " in ", path_.empty() ? "the top-level object" : "the object at " + Path(),
          " (byte offset ", offset_, ")", advice_));
    }
    return absl::InvalidArgumentError(absl::StrCat(message_, " at byte offset ", offset_,
                                                   path_.empty() ? "" : " (in " + Path() + ")",
                                                   advice_));
  }

  bool Value(int depth) {
    if (p_ == end_) return Fail("expected a value");
    switch (*p_) {
      case '{': return Object(depth + 1);
      case '[': return Array(depth + 1);
      case '"': return String(nullptr);
      case 't': return Literal("true", 4);
      case 'f': return Literal("false", 5);
      case 'n': return Literal("null", 4);
      case '-': case '0': case '1': case '2': case '3': case '4':
      case '5': case '6': case '7': case '8': case '9':
        return Number();
      default:
        return Fail("expected a value (object, array, string, number, true, false or null)");
    }
  }

  bool Literal(const char* word, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) {
      return Fail("expected a value (true, false and null are the only literals)");
    }
    p_ += n;
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? of any length.
  bool Number() {
    if (*p_ == '-') ++p_;
    if (p_ == end_ || !IsDigit(*p_)) return Fail("expected a digit in a number");
    if (*p_ == '0') {
      ++p_;
      if (p_ != end_ && IsDigit(*p_)) return Fail("a number may not have leading zeros");
    } else {
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    if (At('.')) {
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return Fail("expected a digit after the decimal point");
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    if (At('e') || At('E')) {
      ++p_;
      if (At('+') || At('-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return Fail("expected a digit in the exponent");
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    return true;
  }

  // One complete UTF-8 sequence of 2-4 bytes at p_ (RFC 3629); advances past it.
  bool Utf8Sequence() {
    const auto b = [this](ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    const unsigned char lead = b(0);
    int length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // no overlong forms
      if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    }
    bool ok = length > 0 && end_ - p_ >= length && b(1) >= low && b(1) <= high;
    for (int i = 2; ok && i < length; ++i) ok = b(i) >= 0x80 && b(i) <= 0xBF;
    if (!ok) return FailAt(p_, "not well-formed JSON: invalid UTF-8 in a string");
    p_ += length;
    return true;
  }

  // A backslash escape at p_; advances past it (a surrogate pair is one escape).
  bool Escape() {
    const char* start = p_;
    if (end_ - p_ < 2) return FailAt(start, "not well-formed JSON: unterminated string");
    switch (p_[1]) {
      case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        p_ += 2;
        return true;
      case 'u':
        break;
      default:
        return FailAt(start, "not well-formed JSON: invalid escape in a string",
                      "; the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u with 4 hex "
                      "digits");
    }
    const int cp = end_ - p_ >= 6 ? Hex4(p_ + 2) : -1;
    if (cp < 0) {
      return FailAt(start, "not well-formed JSON: \\u in a string must be followed by 4 hex "
                           "digits");
    }
    p_ += 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return FailAt(start, "not well-formed JSON: a \\u escape of a low surrogate without "
                           "the high one before it");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const int low = end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u' ? Hex4(p_ + 2) : -1;
      if (low < 0xDC00 || low > 0xDFFF) {
        return FailAt(start, "not well-formed JSON: a \\u escape of a high surrogate not "
                             "followed by a \\u escape of a low one");
      }
      p_ += 6;
    }
    return true;
  }

  // A string at p_ (its opening quote). If `key` is set, it receives the characters:
  // a view of the text, or of a decoded copy when the string holds escapes.
  bool String(absl::string_view* key) {
    const char* start = ++p_;
    bool escaped = false;
    while (true) {
      while (p_ != end_ && kByteClass[static_cast<unsigned char>(*p_)] == kPlain) ++p_;
      if (p_ == end_) return FailAt(start - 1, "not well-formed JSON: unterminated string");
      switch (kByteClass[static_cast<unsigned char>(*p_)]) {
        case kQuote: {
          const absl::string_view raw(start, p_ - start);
          ++p_;
          if (key != nullptr) {
            if (escaped) {
              decoded_.push_front(Unescape(raw));
              *key = decoded_.front();
            } else {
              *key = raw;
            }
          }
          return true;
        }
        case kBackslash:
          if (!Escape()) return false;
          escaped = true;
          break;
        case kControl:
          return FailAt(p_,
                        absl::StrFormat("not well-formed JSON: a raw control character "
                                        "(U+%04X) in a string",
                                        static_cast<unsigned char>(*p_)),
                        absl::StrFormat("; write it as an escape such as \\n or \\u%04x",
                                        static_cast<unsigned char>(*p_)));
        default:
          if (!Utf8Sequence()) return false;
          break;
      }
    }
  }

  bool TooDeep() {
    return FailAt(p_, absl::StrCat("nested more than ", kMaxJsonDepth, " levels deep"),
                  absl::StrCat("; at most ", kMaxJsonDepth,
                               " levels of objects and arrays are allowed"));
  }

  bool Array(int depth) {
    if (depth > kMaxJsonDepth) return TooDeep();
    ++p_;  // [
    SkipSpace();
    if (At(']')) {
      ++p_;
      return true;
    }
    for (size_t index = 0;; ++index) {
      if (!Value(depth)) {
        AddPathIndex(index);
        return false;
      }
      SkipSpace();
      if (At(',')) {
        ++p_;
        SkipSpace();
      } else if (At(']')) {
        ++p_;
        return true;
      } else {
        return Fail("expected ',' or ']' after an array element");
      }
    }
  }

  bool Object(int depth) {
    if (depth > kMaxJsonDepth) return TooDeep();
    const char* open = p_++;
    SkipSpace();
    if (At('}')) {
      ++p_;
      return true;
    }
    const size_t first_key = keys_.size();  // this object's keys are keys_[first_key..]
    while (true) {
      if (!At('"')) return Fail("expected a key (a string in double quotes)");
      absl::string_view key;
      if (!String(&key)) return false;
      keys_.push_back(key);
      SkipSpace();
      if (!At(':')) return Fail("expected ':' after an object key");
      ++p_;
      SkipSpace();
      const char* value = p_;
      if (!Value(depth)) {
        AddPathKey(key);
        return false;
      }
      if (members_ != nullptr && depth == 1) {
        members_->push_back(JsonMember{std::string(key), absl::string_view(value, p_ - value)});
      }
      SkipSpace();
      if (At(',')) {
        ++p_;
        SkipSpace();
      } else if (At('}')) {
        break;
      } else {
        return Fail("expected ',' or '}' after an object member");
      }
    }
    ++p_;  // }
    if (const absl::string_view* twice = Duplicate(first_key)) {
      duplicate_ = true;
      return FailAt(open, absl::StrCat("duplicate key \"", Shown(*twice, false), "\""),
                    "; keys are compared after unescaping, and each may appear once per object");
    }
    keys_.resize(first_key);
    return true;
  }

  // A key that keys_[first..] hold twice, or nullptr. Reorders keys_[first..].
  const absl::string_view* Duplicate(size_t first) {
    const auto begin = keys_.begin() + first;
    const size_t n = keys_.size() - first;
    if (n <= 8) {  // the usual event: a few members, pairwise is cheapest
      for (auto i = begin; i != keys_.end(); ++i) {
        if (std::find(i + 1, keys_.end(), *i) != keys_.end()) return &*i;
      }
      return nullptr;
    }
    std::sort(begin, keys_.end());
    const auto twice = std::adjacent_find(begin, keys_.end());
    return twice == keys_.end() ? nullptr : &*twice;
  }

  const char* const begin_;
  const char* p_;
  const char* const end_;
  std::vector<JsonMember>* const members_;  // the top-level object's members, if wanted
  absl::InlinedVector<absl::string_view, 16> keys_;  // of the objects open on the path to p_
  std::forward_list<std::string> decoded_;  // keys that held escapes, unescaped

  // The first problem: its message, where it is, and the path to it (innermost first).
  std::string message_;
  std::string advice_;
  size_t offset_ = 0;
  bool duplicate_ = false;
  std::vector<std::string> path_;
};

}  // namespace

absl::Status ValidateJson(absl::string_view text) { return Validator(text, nullptr).Run(); }

absl::StatusOr<std::vector<JsonMember>> JsonObjectMembers(absl::string_view text) {
  std::vector<JsonMember> members;
  absl::Status status = Validator(text, &members).Run();
  if (!status.ok()) return status;
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == absl::string_view::npos || text[first] != '{') {
    return absl::InvalidArgumentError("not a JSON object: expected {...}");
  }
  return members;
}

bool HasLineBreak(absl::string_view text) {
  return std::memchr(text.data(), '\n', text.size()) != nullptr ||
         std::memchr(text.data(), '\r', text.size()) != nullptr;
}

}  // namespace irm::log
