#include "engine/access/authorize.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"
#include "engine/domain/irg_sessions.h"
#include "engine/domain/review_stream.h"

namespace irm::access {
namespace {

struct CommandRow {
  absl::string_view command;
  CommandRights rights;
};

constexpr CommandRow kCommands[] = {
    {"schedule", {}},
    {"assign_reviewers", {}},
    {"launch", {}},
    {"focal_point", {true, false}},
    {"kickoff", {}},
    {"checklist", {true, false}},
    {"desk_review", {false, true}},
    {"visit", {}},
    {"joint_meeting", {}},
    {"no_dialogue", {}},
    {"postpone_visit", {}},
    {"draft", {false, true}},
    // Since issue 21 the parties agree (`agree`); the secretariat records the approval.
    {"approve_summary", {}},
    {"issue_summary", {}},
    {"publish", {true, false}},
    {"decline_publication", {true, false}},
    {"publish_checklist", {true, false}},
    {"redraw", {true, false}},
    {"redraw_exception", {}},
    {"withdraw", {false, true}},
    {"defer", {true, false}},
    {"add_need", {true, false}},
    {"need_status", {true, false}},
    // Issue 21, sections 4-5. `agree` is further narrowed to the party (AuthorizeAgreement).
    {"agree", {true, true}},
    {"circulate_checklist", {}},
    {"desk_review_call", {}},
    // Issue 22: the reviewing States' experts record outcomes; the State follows up on its
    // recommendations.
    {"add_outcome", {false, true}},
    {"recommendation_status", {true, false}},
};

std::string WhoMay(absl::string_view command, const CommandRights& rights) {
  std::string who = "secretariat";
  if (rights.focal_point) absl::StrAppend(&who, ", the focal point of the State under review");
  if (rights.reviewer) absl::StrAppend(&who, ", the reviewers drawn for the review");
  return absl::StrCat(common::Quote(command), " may be given by: ", who);
}

std::string ReviewName(const ReviewParties& parties) {
  return parties.state.empty() ? std::string("this review")
                               : absl::StrCat("the review of ", parties.state);
}

absl::Status NeverWrites(const Principal& principal) {
  return absl::PermissionDeniedError(absl::StrCat(
      principal.Label(), " (", principal.name,
      ") may read but never write; steps are recorded by the secretariat, focal points "
      "and reviewers"));
}

}  // namespace

CommandRights RightsOf(absl::string_view command) {
  for (const CommandRow& row : kCommands) {
    if (row.command == command) return row.rights;
  }
  return CommandRights{};
}

absl::Status AuthorizeReviewCommand(const Principal& principal, absl::string_view command,
                                    const ReviewParties& parties,
                                    absl::string_view on_behalf_of) {
  if (!principal.MayWrite()) return NeverWrites(principal);
  if (principal.role == Role::kSecretariat) return absl::OkStatus();
  if (!on_behalf_of.empty() && on_behalf_of != principal.Label()) {
    return absl::PermissionDeniedError(absl::StrCat(
        principal.Label(), " may not record on behalf of ", common::Quote(on_behalf_of),
        "; only the secretariat records for others (leave on_behalf_of empty)"));
  }
  const CommandRights rights = RightsOf(command);
  if (principal.role == Role::kFocalPoint) {
    if (!rights.focal_point) {
      return absl::PermissionDeniedError(absl::StrCat(principal.Label(), " may not give ",
                                                      common::Quote(command), "; ",
                                                      WhoMay(command, rights)));
    }
    if (principal.state != parties.state) {
      return absl::PermissionDeniedError(absl::StrCat(
          principal.Label(), " acts only for ", principal.state, ", not for ",
          ReviewName(parties)));
    }
    return absl::OkStatus();
  }
  // Reviewer.
  if (!rights.reviewer) {
    return absl::PermissionDeniedError(absl::StrCat(principal.Label(), " may not give ",
                                                    common::Quote(command), "; ",
                                                    WhoMay(command, rights)));
  }
  if (std::find(parties.reviewers.begin(), parties.reviewers.end(), principal.state) ==
      parties.reviewers.end()) {
    return absl::PermissionDeniedError(absl::StrCat(
        principal.Label(), " acts only on reviews ", principal.state, " was drawn for; ",
        ReviewName(parties), " has reviewers [",
        absl::StrJoin(parties.reviewers, ", "), "]"));
  }
  return absl::OkStatus();
}

absl::Status AuthorizeAgreement(const Principal& principal, absl::string_view state,
                                absl::string_view party, absl::string_view on_behalf_of) {
  std::string principal_of_party;
  if (party == "state") {
    principal_of_party = absl::StrCat("focal_point:", state);
  } else if (absl::StartsWith(party, "reviewer:") && party.size() > 9) {
    principal_of_party = std::string(party);
  } else {
    return common::InvalidField("agree.party", "NOT_A_PARTY", absl::StrCat(
        "--party ", common::Quote(party),
        " is not a party: give state (the State under review) or reviewer:CODE (a reviewing "
        "State, e.g. reviewer:FRA)"));
  }
  if (!on_behalf_of.empty() && on_behalf_of != principal_of_party) {
    return common::InvalidField("on_behalf_of", "ON_BEHALF_OF_MISMATCH", absl::StrCat(
        "--on-behalf-of ", on_behalf_of, " does not match --party ", party,
        ": that party's agreement is recorded on behalf of ", principal_of_party));
  }
  if (!principal.MayWrite()) return NeverWrites(principal);
  if (principal.role == Role::kSecretariat) {
    if (on_behalf_of.empty()) {
      return absl::PermissionDeniedError(absl::StrCat(
          principal.Label(), " does not agree to a report itself; it records a party's "
          "agreement on its behalf: add --on-behalf-of ", principal_of_party));
    }
    return absl::OkStatus();
  }
  if (principal.Label() != principal_of_party) {
    return absl::PermissionDeniedError(absl::StrCat(
        principal.Label(), " may not agree for ", party, "; that agreement is given by ",
        principal_of_party, " or recorded by the secretariat on its behalf",
        principal.role == Role::kFocalPoint ? " (a focal point agrees with --party state)"
                                            : absl::StrCat(" (a reviewer agrees with --party "
                                                           "reviewer:", principal.state, ")")));
  }
  return absl::OkStatus();
}

absl::Status AuthorizeDraw(const Principal& principal) {
  if (!principal.MayWrite()) return NeverWrites(principal);
  if (principal.role == Role::kSecretariat) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      principal.Label(), " may not draw lots; the secretariat draws years and reviewers"));
}

absl::Status AuthorizeAppend(const Principal& principal, absl::string_view stream, bool import) {
  if (!principal.MayWrite()) return NeverWrites(principal);
  if (principal.role != Role::kSecretariat) {
    return absl::PermissionDeniedError(absl::StrCat(
        principal.Label(), " may not ", import ? "import into" : "append to",
        " the raw log; only the secretariat may (focal points and reviewers record steps "
        "through the review commands)"));
  }
  if (!import && domain::IsReviewStream(stream)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "raw append into ", stream,
        " refused: review- streams change only through workflow commands (irm review ..., "
        "irm need ...) or irm import"));
  }
  if (!import && domain::IsDeadlineStream(stream)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "raw append into ", stream,
        " refused: deadline- streams are written by irmd itself when a review step's "
        "deadline passes (docs/deadlines.md); irm admin check-deadlines asks it to look now"));
  }
  if (!import && domain::IsIrgSessionsStream(stream)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "raw append into ", stream,
        " refused: IRG sessions are recorded by irm irg session add --number N --from DATE "
        "--to DATE (or irm import)"));
  }
  if (!import && stream == "voided") {  // review::kVoidedStream
    return absl::PermissionDeniedError(
        "raw append into voided refused: void records are written by irm admin void "
        "POSITION --reason TEXT (docs/void.md)");
  }
  return absl::OkStatus();
}

absl::Status AuthorizeVoid(const Principal& principal) {
  if (!principal.MayWrite()) return NeverWrites(principal);
  if (principal.role == Role::kSecretariat) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      principal.Label(), " may not void events; only the secretariat may (irm admin void)"));
}

absl::Status AuthorizeAdmin(const Principal& principal, absl::string_view what) {
  if (principal.role == Role::kSecretariat) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(principal.Label(), " may not ", what, "; only the secretariat may"));
}

absl::Status AuthorizeOversight(const Principal& principal, absl::string_view what) {
  if (principal.role == Role::kSecretariat || principal.role == Role::kAuditor) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(principal.Label(), " may not ", what,
                                                  "; only the secretariat and auditors may"));
}

}  // namespace irm::access
