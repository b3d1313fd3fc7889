#include "engine/common/quote.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace irm::common {
namespace {

uint32_t DecodeUtf8(absl::string_view c) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(c[i]); };
  switch (c.size()) {
    case 1:
      return byte(0);
    case 2:
      return (byte(0) & 0x1F) << 6 | (byte(1) & 0x3F);
    case 3:
      return (byte(0) & 0x0F) << 12 | (byte(1) & 0x3F) << 6 | (byte(2) & 0x3F);
    default:
      return (byte(0) & 0x07) << 18 | (byte(1) & 0x3F) << 12 | (byte(2) & 0x3F) << 6 |
             (byte(3) & 0x3F);
  }
}

// Code points that print as nothing or reorder what follows them.
bool IsInvisible(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

// Appends the escaped form of the character at the start of `text`; returns its byte length.
size_t AppendEscapedChar(absl::string_view text, std::string* out) {
  const size_t length = Utf8CharLength(text);
  if (length == 0) {
    absl::StrAppendFormat(out, "\\x%02x", static_cast<uint8_t>(text[0]));
    return 1;
  }
  const absl::string_view c = text.substr(0, length);
  const uint32_t cp = DecodeUtf8(c);
  switch (cp) {
    case '\\': out->append("\\\\"); return 1;
    case '\'': out->append("\\'"); return 1;
    case '\n': out->append("\\n"); return 1;
    case '\r': out->append("\\r"); return 1;
    case '\t': out->append("\\t"); return 1;
    default: break;
  }
  if (cp < 0x20 || cp == 0x7F) {
    absl::StrAppendFormat(out, "\\x%02x", cp);
  } else if (IsInvisible(cp)) {
    absl::StrAppendFormat(out, "\\u{%04x}", cp);
  } else {
    out->append(c.data(), c.size());
  }
  return length;
}

}  // namespace

size_t Utf8CharLength(absl::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t first = byte(0);
  size_t length = 0;
  if (first < 0x80) return 1;
  if (first >= 0xC2 && first <= 0xDF) length = 2;
  else if (first >= 0xE0 && first <= 0xEF) length = 3;
  else if (first >= 0xF0 && first <= 0xF4) length = 4;
  else return 0;
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
  }
  // Overlong three- and four-byte forms, UTF-16 surrogates, and past U+10FFFF.
  if (first == 0xE0 && byte(1) < 0xA0) return 0;
  if (first == 0xED && byte(1) >= 0xA0) return 0;
  if (first == 0xF0 && byte(1) < 0x90) return 0;
  if (first == 0xF4 && byte(1) >= 0x90) return 0;
  return length;
}

std::string Escape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) text.remove_prefix(AppendEscapedChar(text, &out));
  return out;
}

std::string Quote(absl::string_view text, size_t max_chars) {
  std::string out = "'";
  const size_t total = text.size();
  size_t shown = 0;
  while (!text.empty() && shown < max_chars) {
    text.remove_prefix(AppendEscapedChar(text, &out));
    ++shown;
  }
  if (text.empty()) {
    out.push_back('\'');
  } else {
    absl::StrAppend(&out, "...' (", total, " bytes)");
  }
  return out;
}

}  // namespace irm::common
