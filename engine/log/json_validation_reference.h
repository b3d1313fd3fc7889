// For tests and fuzz targets only: what ValidateJson (json_validation.h) must accept,
// judged by a separate implementation, nlohmann-json's strict SAX parser (no comments, no
// trailing text), plus the three extra refusals:
//   - a UTF-8 byte order mark before the value (nlohmann skips one at the start);
//   - a duplicate key in an object, compared after unescaping (nlohmann keeps the last);
//   - nesting deeper than kMaxJsonDepth.
// Two differences from nlohmann are corrected:
//   - it takes a NUL byte for the end of the text ("{}\0x" passes); RFC 8259 allows none
//     (a raw NUL is neither white space nor a token, and must be escaped in strings);
//   - it refuses a number whose value overflows a double (1e400, an integer of 400 digits),
//     which RFC 8259's grammar allows and the log stores as sent. Such a number is replaced
//     by "0 " and the text judged again.
//
// Header-only; thread-safe.
#ifndef IRM_ENGINE_LOG_JSON_VALIDATION_REFERENCE_H_
#define IRM_ENGINE_LOG_JSON_VALIDATION_REFERENCE_H_

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "engine/log/json_validation.h"
#include "nlohmann/json.hpp"

namespace irm::log::reference {

// Records what ValidateJson refuses beyond nlohmann's grammar, and where a number overflowed.
class StrictSax : public nlohmann::json::json_sax_t {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    keys_.emplace_back();
    return Deeper();
  }
  bool key(string_t& key) override {
    if (!keys_.back().insert(key).second) duplicate = true;
    return true;
  }
  bool end_object() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return Deeper(); }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& error) override {
    if (error.id == 406) {  // out_of_range.406: number overflow
      overflow_end = position;
      overflow_token = last_token;
    }
    return false;
  }

  bool duplicate = false;
  int deepest = 0;
  std::size_t overflow_end = 0;  // byte offset just past an overflowing number, or 0
  std::string overflow_token;

 private:
  bool Deeper() {
    deepest = std::max(deepest, ++depth_);
    return true;
  }
  int depth_ = 0;
  std::vector<std::set<std::string>> keys_;
};

// Whether ValidateJson(text) must be OK.
inline bool StrictAccept(std::string text) {
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) return false;
  if (text.find('\0') != std::string::npos) return false;
  while (true) {
    StrictSax sax;
    const bool parsed = nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json,
                                                  /*strict=*/true, /*ignore_comments=*/false);
    const std::size_t n = sax.overflow_token.size();
    if (!parsed && n > 0 && sax.overflow_end >= n &&
        text.compare(sax.overflow_end - n, n, sax.overflow_token) == 0) {
      // "0 ", not "0": the text after the number must not become part of it ("1e400E2").
      text.replace(sax.overflow_end - n, n, "0 ");
      continue;
    }
    return parsed && !sax.duplicate && sax.deepest <= kMaxJsonDepth;
  }
}

}  // namespace irm::log::reference

#endif  // IRM_ENGINE_LOG_JSON_VALIDATION_REFERENCE_H_
