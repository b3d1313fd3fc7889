#include "engine/log/compact_json.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "nlohmann/json.hpp"

namespace irm::log {
namespace {

constexpr int kMaxIntegerDigits = 18;  // fits int64 and uint64 both ways: printed back as is

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A byte a string holds as itself: printable ASCII except the quote and the backslash.
bool IsPlainAscii(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x80 && u != '"' && u != '\\';
}

// One left-to-right pass over the text, writing each token's bytes to `out` (which has room
// for the whole text: the compact form is never longer). Every method returns false to give
// up; a give-up says nothing about validity.
class Compactor {
 public:
  Compactor(absl::string_view text, char* out)
      : p_(text.data()), end_(text.data() + text.size()), out_(out) {
    keys_.reserve(32);  // one allocation for a typical event instead of one per doubling
  }

  // The whole text is one value with only white space around it, all of it handled.
  bool Document() {
    SkipSpace();
    if (!Value(0)) return false;
    SkipSpace();
    return p_ == end_;
  }
  char* out() const { return out_; }

 private:
  void SkipSpace() {
    while (p_ != end_ && IsSpace(*p_)) ++p_;
  }
  // Copies one byte that the caller has checked to be there.
  void Take() { *out_++ = *p_++; }
  bool At(char c) const { return p_ != end_ && *p_ == c; }

  bool Value(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return Object(depth + 1);
      case '[': return Array(depth + 1);
      case '"': return String(nullptr);
      case 't': return Literal("true", 4);
      case 'f': return Literal("false", 5);
      case 'n': return Literal("null", 4);
      default: return Integer();
    }
  }

  bool Literal(const char* word, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    std::memcpy(out_, p_, n);
    p_ += n;
    out_ += n;
    return true;
  }

  // -?(0|[1-9][0-9]*), at most kMaxIntegerDigits digits, not -0, no fraction or exponent.
  bool Integer() {
    const char* start = p_;
    if (At('-')) ++p_;
    const char* digits = p_;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    const ptrdiff_t n = p_ - digits;
    if (n == 0 || n > kMaxIntegerDigits) return false;
    if (*digits == '0' && (n > 1 || digits != start)) return false;  // 01, -0
    if (At('.') || At('e') || At('E')) return false;  // (the caller would stop there too)
    std::memcpy(out_, start, p_ - start);
    out_ += p_ - start;
    return true;
  }

  // One complete UTF-8 sequence of 2-4 bytes at p_ (RFC 3629: no overlong forms, no
  // surrogates, nothing above U+10FFFF); advances past it.
  bool Utf8Sequence() {
    const auto b = [this](ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    const unsigned char lead = b(0);
    int length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (end_ - p_ < length || b(1) < low || b(1) > high) return false;
    for (int i = 2; i < length; ++i) {
      if (b(i) < 0x80 || b(i) > 0xBF) return false;
    }
    p_ += length;
    return true;
  }

  // A string without backslash escapes or control characters, copied with its quotes. If
  // `content` is set, it receives the characters between the quotes.
  bool String(absl::string_view* content) {
    const char* start = p_++;  // the opening quote
    while (true) {
      while (p_ != end_ && IsPlainAscii(*p_)) ++p_;
      if (p_ == end_) return false;
      if (*p_ == '"') break;
      if (!Utf8Sequence()) return false;  // a backslash, a control byte or not UTF-8
    }
    ++p_;  // the closing quote
    if (content != nullptr) *content = absl::string_view(start + 1, p_ - start - 2);
    std::memcpy(out_, start, p_ - start);
    out_ += p_ - start;
    return true;
  }

  bool Array(int depth) {
    if (depth > kMaxCompactDepth) return false;
    Take();  // [
    SkipSpace();
    if (At(']')) {
      Take();
      return true;
    }
    while (true) {
      if (!Value(depth)) return false;
      SkipSpace();
      if (At(']')) break;
      if (!At(',')) return false;
      Take();
      SkipSpace();
    }
    Take();  // ]
    return true;
  }

  bool Object(int depth) {
    if (depth > kMaxCompactDepth) return false;
    Take();  // {
    SkipSpace();
    if (At('}')) {
      Take();
      return true;
    }
    const size_t first_key = keys_.size();  // this object's keys are keys_[first_key..]
    while (true) {
      absl::string_view key;
      if (!At('"') || !String(&key)) return false;
      keys_.push_back(key);
      SkipSpace();
      if (!At(':')) return false;
      Take();
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (At('}')) break;
      if (!At(',')) return false;
      Take();
      SkipSpace();
    }
    Take();  // }
    const bool unique = KeysUnique(first_key);
    keys_.resize(first_key);
    return unique;
  }

  // No two of keys_[first..] are equal. Without escapes, equal bytes are equal keys.
  bool KeysUnique(size_t first) {
    const auto begin = keys_.begin() + first;
    const size_t n = keys_.size() - first;
    if (n <= 8) {  // the usual event: a few members, pairwise is cheapest
      for (auto i = begin; i != keys_.end(); ++i) {
        if (std::find(i + 1, keys_.end(), *i) != keys_.end()) return false;
      }
      return true;
    }
    std::sort(begin, keys_.end());
    return std::adjacent_find(begin, keys_.end()) == keys_.end();
  }

  const char* p_;
  const char* const end_;
  char* out_;
  std::vector<absl::string_view> keys_;  // keys of the objects open on the path to p_
};

}  // namespace

bool CompactJsonFast(absl::string_view text, std::string* out) {
  out->resize(text.size());
  Compactor compactor(text, out->data());
  if (!compactor.Document()) return false;
  out->resize(compactor.out() - out->data());
  return true;
}

bool CompactJsonFull(absl::string_view text, std::string* out) {
  nlohmann::ordered_json parsed =
      nlohmann::ordered_json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return false;
  *out = parsed.dump();
  return true;
}

int JsonNestingDepth(absl::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, which may be a quote
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

bool CompactJson(absl::string_view text, std::string* out) {
  return CompactJsonFast(text, out) || CompactJsonFull(text, out);
}

}  // namespace irm::log
