#include "engine/review/agreements.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/error_details.h"
#include "engine/common/quote.h"

namespace irm::review {

std::vector<std::string> RequiredParties(const event::v1::ReviewState& review) {
  std::vector<std::string> parties = {std::string(kStateParty)};
  for (const std::string& reviewer : review.reviewers()) {
    if (!reviewer.empty()) parties.push_back(absl::StrCat(kReviewerPartyPrefix, reviewer));
  }
  return parties;
}

absl::Status CheckParty(const event::v1::ReviewState& review, const std::string& stream,
                        absl::string_view party) {
  const std::vector<std::string> parties = RequiredParties(review);
  for (const std::string& p : parties) {
    if (p == party) return absl::OkStatus();
  }
  const std::string allowed = absl::StrJoin(parties, ", ");
  if (party.empty()) {
    return common::InvalidField(
        "party", "VALUE_REQUIRED",
        absl::StrCat("an agreement names its party (--party): one of ", allowed, " for ", stream),
        {{"allowed", allowed}});
  }
  if (absl::StartsWith(party, kReviewerPartyPrefix)) {
    return common::InvalidField(
        "party", "NOT_A_PARTY",
        absl::StrCat(party.substr(kReviewerPartyPrefix.size()), " is not a reviewer of ", stream,
                     "; its parties are ", allowed),
        {{"allowed", allowed}});
  }
  return common::InvalidField(
      "party", "NOT_A_PARTY",
      absl::StrCat(common::Quote(party), " is not a party: give state (the State under review) "
                   "or reviewer:CODE; for ", stream, ": ", allowed),
      {{"allowed", allowed}});
}

std::string PartyPrincipal(absl::string_view party, absl::string_view state) {
  if (party == kStateParty) return absl::StrCat("focal_point:", state);
  return std::string(party);
}

std::string DescribeParty(absl::string_view party, absl::string_view state) {
  if (party == kStateParty) return absl::StrCat("the State under review (", state, ")");
  if (absl::StartsWith(party, kReviewerPartyPrefix)) {
    return absl::StrCat("reviewer ", party.substr(kReviewerPartyPrefix.size()));
  }
  return std::string(party);
}

const event::v1::PartyAgreement* FindAgreement(const event::v1::ReviewState& review,
                                               absl::string_view party) {
  for (const event::v1::PartyAgreement& agreement : review.agreements()) {
    if (agreement.party() == party) return &agreement;
  }
  return nullptr;
}

std::vector<std::string> MissingAgreements(const event::v1::ReviewState& review) {
  std::vector<std::string> missing;
  for (const std::string& party : RequiredParties(review)) {
    if (FindAgreement(review, party) == nullptr) missing.push_back(party);
  }
  return missing;
}

}  // namespace irm::review
