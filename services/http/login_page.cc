#include "services/http/login_page.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/common/html_escape.h"

namespace irm::services::http {
namespace {

using ::irm::common::HtmlEscape;

bool Unreserved(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string PercentEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (Unreserved(c)) {
      out += c;
    } else {
      const unsigned char byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string PercentDecode(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string LoginPage(absl::string_view problem) {
  std::string page = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>irm: sign in</title><link rel="stylesheet" href="/login.css"></head>
<body><main><h1>irm</h1><p>Sign in with your irm token.</p>
)";
  if (!problem.empty()) {
    absl::StrAppend(&page, R"(<p class="problem" role="alert">)", HtmlEscape(problem), "</p>\n");
  }
  absl::StrAppend(&page, R"(<form id="login" method="post" action="/login">
<label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form></main></body></html>
)");
  return page;
}

const char* LoginStyle() {
  return "body{font:16px system-ui,sans-serif;margin:0;display:flex;justify-content:center}"
         "main{max-width:22rem;margin-top:15vh;padding:1rem}"
         "label,input,button{display:block;width:100%;box-sizing:border-box;margin-top:.5rem}"
         "input,button{padding:.5rem;font:inherit}.problem{color:#a00}\n";
}

const char* LoginContentSecurityPolicy() {
  return "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
         "base-uri 'none'";
}

std::string SessionCookie(absl::string_view id, int64_t max_age_seconds, bool secure) {
  return absl::StrCat(kSessionCookie, "=", PercentEncode(id), "; Path=/; Max-Age=",
                      max_age_seconds, "; HttpOnly; SameSite=Strict", secure ? "; Secure" : "");
}

std::string ClearedSessionCookie(bool secure) {
  return absl::StrCat(kSessionCookie, "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict",
                      secure ? "; Secure" : "");
}

std::string SessionIdOf(absl::string_view cookie_header) {
  for (absl::string_view pair : absl::StrSplit(cookie_header, ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    if (absl::ConsumePrefix(&pair, kSessionCookie) && absl::ConsumePrefix(&pair, "=")) {
      return PercentDecode(pair);
    }
  }
  return "";
}

}  // namespace irm::services::http
