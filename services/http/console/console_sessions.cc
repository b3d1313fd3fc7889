#include "services/http/console/console_sessions.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

#include "absl/strings/escaping.h"

namespace irm::services::http {

ConsoleSessions::ConsoleSessions(ConsoleSessionOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)) {}

std::string ConsoleSessions::RandomHex() {
  unsigned char bytes[32];
  size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::abort();  // no random source: a session id must never be guessable
    got += static_cast<size_t>(n);
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

ConsoleSession ConsoleSessions::Create(const access::Principal& principal,
                                       const std::string& token) {
  ConsoleSession session{RandomHex(), RandomHex(), token, principal};
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  if (sessions_.size() >= options_.max_sessions) {
    // Expired sessions go first; if none, the least recently used one.
    auto oldest = sessions_.end();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (now - it->second.last_used > options_.idle_timeout ||
          now - it->second.created > options_.lifetime) {
        sessions_.erase(it++);
        continue;
      }
      if (oldest == sessions_.end() || it->second.last_used < oldest->second.last_used) {
        oldest = it;
      }
      ++it;
    }
    if (sessions_.size() >= options_.max_sessions && oldest != sessions_.end()) {
      sessions_.erase(oldest);
    }
  }
  sessions_[session.id] = Entry{session, now, now};
  return session;
}

std::optional<ConsoleSession> ConsoleSessions::Find(const std::string& id) {
  if (id.empty()) return std::nullopt;
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_used > options_.idle_timeout ||
      now - it->second.created > options_.lifetime) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second.session;
}

void ConsoleSessions::End(const std::string& id) {
  absl::MutexLock lock(&mu_);
  sessions_.erase(id);
}

size_t ConsoleSessions::size() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

bool SameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace irm::services::http
