// The sign-in page of irmd's HTTP side (GET /login) and its session cookie.
//
// With --auth (and without --public-dashboard) every route but /healthz, /login, /logout and
// the page's stylesheet /login.css needs a bearer token: `Authorization: Bearer TOKEN`, or
// the `irm_session` cookie that POST /login sets after checking a token typed into the page.
// The cookie holds the token itself (percent-encoded), HttpOnly, SameSite=Strict, Path=/,
// Secure over HTTPS, for 12 hours: every request re-checks it against the --auth file, so a
// token revoked by SIGHUP stops working at once. GET or POST /logout clears it.
// Thread-safe (constant data and pure functions).
#ifndef IRM_SERVICES_HTTP_LOGIN_PAGE_H_
#define IRM_SERVICES_HTTP_LOGIN_PAGE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace irm::services::http {

inline constexpr char kSessionCookie[] = "irm_session";

// The page, with `problem` (already plain text, "" for none) shown above the form.
std::string LoginPage(absl::string_view problem);
// Its stylesheet (GET /login.css) and the Content-Security-Policy sent with the page.
const char* LoginStyle();
const char* LoginContentSecurityPolicy();

// The Set-Cookie value that signs in with `token`; `secure` over HTTPS.
std::string SessionCookie(absl::string_view token, bool secure);
// The Set-Cookie value that signs out.
std::string ClearedSessionCookie(bool secure);
// The token in a request's Cookie header, "" if it has no irm_session cookie.
std::string SessionToken(absl::string_view cookie_header);

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_LOGIN_PAGE_H_
