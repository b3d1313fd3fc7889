// ConsoleSessions: the signed-in browsers of irmd's console, kept in memory on the server.
//
// A session is a random id (the only thing in the browser's `irm_session` cookie), the
// principal it signed in as, the token it signed in with (kept here so the console can call
// irmd's own gRPC services as that principal; never sent to the browser), and a random CSRF
// token that every state-changing request must echo. A session ends at Logout, after
// `idle_timeout` without a request, after `lifetime` in any case, when the table is full and it
// is the least recently used one, or when the caller ends it (HttpAccess does when the
// --auth file no longer gives its token the same principal, e.g. after a SIGHUP reload).
//
// Thread-safe: one mutex, held only for map operations (no I/O under it).
#ifndef IRM_SERVICES_HTTP_CONSOLE_CONSOLE_SESSIONS_H_
#define IRM_SERVICES_HTTP_CONSOLE_CONSOLE_SESSIONS_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/access/principal.h"

namespace irm::services::http {

struct ConsoleSession {
  std::string id;    // 64 hex digits from the system's random source
  std::string csrf;  // 64 hex digits, checked on every POST
  std::string token;  // the bearer token signed in with; "" on an open server
  access::Principal principal;
};

struct ConsoleSessionOptions {
  absl::Duration idle_timeout = absl::Minutes(30);  // --http-session-idle
  absl::Duration lifetime = absl::Hours(12);
  size_t max_sessions = 10000;
};

class ConsoleSessions {
 public:
  using Clock = std::function<absl::Time()>;
  explicit ConsoleSessions(ConsoleSessionOptions options = {}, Clock clock = absl::Now);

  // A new session for `principal` signed in with `token`. When the table is full the least
  // recently used session ends first.
  ConsoleSession Create(const access::Principal& principal, const std::string& token);
  // The live session with this id (its idle clock restarts), or nullopt: unknown, ended, idle
  // longer than idle_timeout or older than lifetime (such a session is removed).
  std::optional<ConsoleSession> Find(const std::string& id);
  // Ends the session `id`, if any.
  void End(const std::string& id);

  size_t size() const;
  const ConsoleSessionOptions& options() const { return options_; }

  // 32 random bytes as 64 hex digits (getrandom(2)).
  static std::string RandomHex();

 private:
  struct Entry {
    ConsoleSession session;
    absl::Time created;
    absl::Time last_used;
  };

  const ConsoleSessionOptions options_;
  const Clock clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> sessions_ ABSL_GUARDED_BY(mu_);
};

// True when `a` and `b` are equal, in time independent of where they differ.
bool SameSecret(const std::string& a, const std::string& b);

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONSOLE_CONSOLE_SESSIONS_H_
