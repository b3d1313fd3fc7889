// The sign-in page of irmd's HTTP side (GET /login) and its session cookie.
//
// With --auth (and without --public-dashboard) every route but /healthz, /login, /logout and
// the pages' static files (/login.css, /console.css, /console.js) needs a bearer token
// (`Authorization: Bearer TOKEN`) or a signed-in session: the `irm_session` cookie that
// POST /login sets after checking a token typed into the page. The cookie holds only the
// session's random id (console/console_sessions.h keeps the rest on the server), HttpOnly,
// SameSite=Strict, Path=/, Secure over HTTPS. GET or POST /logout ends the session and
// clears the cookie.
// Thread-safe (constant data and pure functions).
#ifndef IRM_SERVICES_HTTP_LOGIN_PAGE_H_
#define IRM_SERVICES_HTTP_LOGIN_PAGE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace irm::services::http {

inline constexpr char kSessionCookie[] = "irm_session";

// The page, with `problem` (already plain text, "" for none) shown above the form.
std::string LoginPage(absl::string_view problem);
// Its stylesheet (GET /login.css) and the Content-Security-Policy sent with the page.
const char* LoginStyle();
const char* LoginContentSecurityPolicy();

// The Set-Cookie value that holds session `id` for at most `max_age_seconds`; `secure` over
// HTTPS.
std::string SessionCookie(absl::string_view id, int64_t max_age_seconds, bool secure);
// The Set-Cookie value that signs out.
std::string ClearedSessionCookie(bool secure);
// The session id in a request's Cookie header, "" if it has no irm_session cookie.
std::string SessionIdOf(absl::string_view cookie_header);

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_LOGIN_PAGE_H_
