#include "engine/review/irg_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "engine/review/dates.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;

bool HasControl(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string Days(const ev::IrgSessionRecorded& s) {
  return absl::StrCat(s.from(), " to ", s.to());
}

}  // namespace

absl::Status CheckNewSession(const ev::IrgSessionRecorded& session,
                             const std::vector<ev::IrgSessionRecorded>& recorded) {
  if (session.number() < 1) {
    return common::InvalidField(
        "number", "INVALID_SESSION_NUMBER",
        absl::StrCat("session number ", session.number(),
                     " is not a session: give the IRG session's number, 1 or more "
                     "(--number 7 for the seventh session)"));
  }
  absl::StatusOr<absl::CivilDay> from = ParseDate(session.from(), "--from");
  if (!from.ok()) return common::WithField(from.status(), "from");
  absl::StatusOr<absl::CivilDay> to = ParseDate(session.to(), "--to");
  if (!to.ok()) return common::WithField(to.status(), "to");
  if (*from > *to) {
    return common::InvalidField(
        "to", "SESSION_ENDS_BEFORE_START",
        absl::StrCat("session ", session.number(), " would end (--to ", session.to(),
                     ") before it starts (--from ", session.from(),
                     "): give a last day on or after the first"));
  }
  if (session.place().size() > kMaxPlaceLength || HasControl(session.place())) {
    return common::InvalidField(
        "place", "INVALID_PLACE",
        absl::StrCat("--place must be at most ", kMaxPlaceLength,
                     " characters without control characters, e.g. 'Vienna'"));
  }
  for (const ev::IrgSessionRecorded& other : recorded) {
    if (other.number() == session.number()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "IRG session ", session.number(), " is already recorded (", Days(other),
          other.place().empty() ? "" : absl::StrCat(", ", other.place()),
          "); a session is recorded once: give another --number"));
    }
  }
  for (const ev::IrgSessionRecorded& other : recorded) {
    absl::StatusOr<absl::CivilDay> other_from = ParseDate(other.from(), "from");
    absl::StatusOr<absl::CivilDay> other_to = ParseDate(other.to(), "to");
    if (!other_from.ok() || !other_to.ok()) continue;
    if (*from <= *other_to && *other_from <= *to) {
      return absl::FailedPreconditionError(absl::StrCat(
          "session ", session.number(), " (", Days(session), ") overlaps IRG session ",
          other.number(), " (", Days(other),
          "); sessions do not overlap: check the dates or the number"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDrawSession(int session, const std::string& outside_reason, absl::CivilDay on,
                              const std::optional<ev::IrgSessionRecorded>& found) {
  if (session < 0) {
    return common::InvalidField("session", "INVALID_SESSION_NUMBER",
                                absl::StrCat("--session ", session,
                                             " is not a session: give a recorded session's "
                                             "number (irm irg sessions)"));
  }
  if (!outside_reason.empty()) {
    if (outside_reason.size() > kMaxOutsideReasonLength || HasControl(outside_reason) ||
        absl::StripAsciiWhitespace(outside_reason).empty()) {
      return common::InvalidField(
          "outside_session_reason", "INVALID_REASON",
          absl::StrCat("--outside-session takes a reason of at most ", kMaxOutsideReasonLength,
                       " characters without control characters, e.g. 'decided at session 7, "
                       "drawn in Vienna the week after'"));
    }
    return absl::OkStatus();
  }
  if (session == 0) return absl::OkStatus();
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "IRG session ", session, " is not recorded: record it first (irm irg session add "
        "--number ", session, " --from DATE --to DATE), or give --outside-session REASON"));
  }
  absl::StatusOr<absl::CivilDay> from = ParseDate(found->from(), "from");
  absl::StatusOr<absl::CivilDay> to = ParseDate(found->to(), "to");
  if (from.ok() && to.ok() && (on < *from || on > *to)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the draw's date ", FormatDate(on), " is outside IRG session ", session, " (",
        Days(*found), "): give --on a day of the session, or --outside-session REASON"));
  }
  return absl::OkStatus();
}

absl::Status CheckSummarySymbol(const std::string& symbol, int cycle) {
  constexpr absl::string_view kPrefix = "CAC/COSP/IRG/";
  auto bad = [&](absl::string_view why) {
    return common::InvalidField(
        "issue_summary.symbol", "INVALID_SYMBOL",
        absl::StrCat("symbol ", common::Quote(symbol), " ", why,
                     ": give the IRG document symbol, e.g. CAC/COSP/IRG/",
                     cycle == 1 ? "I" : "II", "/3/1/Add.12"));
  };
  if (!absl::StartsWith(symbol, kPrefix) || symbol.size() == kPrefix.size()) {
    return bad("is not an IRG document symbol (they start with CAC/COSP/IRG/)");
  }
  if (symbol.size() > kMaxSymbolLength) {
    return bad(absl::StrCat("is longer than ", kMaxSymbolLength, " characters"));
  }
  for (unsigned char c : symbol) {
    if (!absl::ascii_isalnum(c) && c != '/' && c != '.' && c != '-') {
      return bad("has a character other than letters, digits, '/', '.' and '-'");
    }
  }
  std::vector<absl::string_view> parts = absl::StrSplit(symbol, '/');
  if (parts.size() > 3 && (parts[3] == "I" || parts[3] == "II") &&
      parts[3] != (cycle == 1 ? "I" : "II")) {
    return bad(absl::StrCat("names cycle ", parts[3], " but the review is of cycle ", cycle));
  }
  return absl::OkStatus();
}

}  // namespace irm::review
