#include "engine/access/authorize.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace irm::access {
namespace {

using ::testing::HasSubstr;

const Principal kSecretariat{"Sec", Role::kSecretariat, ""};
const Principal kFocalKen{"Ana", Role::kFocalPoint, "KEN"};
const Principal kFocalUga{"Ona", Role::kFocalPoint, "UGA"};
const Principal kReviewerFra{"Rémi", Role::kReviewer, "FRA"};
const Principal kReviewerBra{"Bia", Role::kReviewer, "BRA"};
const Principal kAuditor{"Aud", Role::kAuditor, ""};
const Principal kObserver{"Web", Role::kObserver, ""};
const ReviewParties kKen{"KEN", {"FRA", "UGA"}};

bool Denied(const absl::Status& status) {
  return status.code() == absl::StatusCode::kPermissionDenied;
}

TEST(AuthorizeTest, SecretariatGivesEveryCommand) {
  for (const char* command : {"schedule", "launch", "checklist", "desk_review", "draft",
                              "issue_summary", "redraw_exception", "add_need", "unknown"}) {
    EXPECT_TRUE(AuthorizeReviewCommand(kSecretariat, command, kKen, "focal_point:KEN").ok())
        << command;
  }
}

TEST(AuthorizeTest, FocalPointOnlyForItsStateAndItsSteps) {
  for (const char* command : {"focal_point", "checklist", "publish", "decline_publication",
                              "publish_checklist", "redraw", "defer", "add_need",
                              "need_status", "agree"}) {
    EXPECT_TRUE(AuthorizeReviewCommand(kFocalKen, command, kKen, "").ok()) << command;
    absl::Status other = AuthorizeReviewCommand(kFocalUga, command, kKen, "");
    EXPECT_TRUE(Denied(other)) << command;
    EXPECT_THAT(std::string(other.message()), HasSubstr("acts only for UGA"));
  }
  for (const char* command : {"schedule", "launch", "kickoff", "desk_review", "draft",
                              "issue_summary", "redraw_exception", "withdraw", "unknown",
                              "approve_summary", "circulate_checklist", "desk_review_call"}) {
    absl::Status s = AuthorizeReviewCommand(kFocalKen, command, kKen, "");
    EXPECT_TRUE(Denied(s)) << command;
    EXPECT_THAT(std::string(s.message()), HasSubstr("may be given by: secretariat"));
  }
}

TEST(AuthorizeTest, ReviewerOnlyOnReviewsItsStateWasDrawnFor) {
  for (const char* command : {"desk_review", "draft", "agree", "withdraw"}) {
    EXPECT_TRUE(AuthorizeReviewCommand(kReviewerFra, command, kKen, "").ok()) << command;
    absl::Status s = AuthorizeReviewCommand(kReviewerBra, command, kKen, "");
    EXPECT_TRUE(Denied(s)) << command;
    EXPECT_THAT(std::string(s.message()), HasSubstr("reviewers [FRA, UGA]"));
  }
  EXPECT_TRUE(Denied(AuthorizeReviewCommand(kReviewerFra, "checklist", kKen, "")));
  EXPECT_TRUE(Denied(AuthorizeReviewCommand(kReviewerFra, "add_need", kKen, "")));
  EXPECT_TRUE(Denied(AuthorizeReviewCommand(kReviewerFra, "approve_summary", kKen, "")));
  // A focal point is not a reviewer of its own review.
  EXPECT_TRUE(Denied(AuthorizeReviewCommand(kFocalKen, "desk_review", kKen, "")));
}

TEST(AuthorizeTest, OnlySecretariatRecordsOnBehalf) {
  absl::Status s = AuthorizeReviewCommand(kFocalKen, "checklist", kKen, "reviewer:FRA");
  EXPECT_TRUE(Denied(s));
  EXPECT_THAT(std::string(s.message()), HasSubstr("only the secretariat records for others"));
  EXPECT_TRUE(AuthorizeReviewCommand(kFocalKen, "checklist", kKen, "focal_point:KEN").ok());
}

TEST(AuthorizeTest, AuditorsAndObserversNeverWrite) {
  for (const Principal& reader : {kAuditor, kObserver}) {
    EXPECT_TRUE(Denied(AuthorizeReviewCommand(reader, "checklist", kKen, "")));
    EXPECT_TRUE(Denied(AuthorizeDraw(reader)));
    EXPECT_TRUE(Denied(AuthorizeAppend(reader, "notes", false)));
    EXPECT_TRUE(Denied(AuthorizeAppend(reader, "notes", true)));
    EXPECT_TRUE(Denied(AuthorizeAdmin(reader, "rebuild projections")));
    EXPECT_TRUE(Denied(AuthorizeVoid(reader)));
    EXPECT_THAT(std::string(AuthorizeAppend(reader, "notes", false).message()),
                HasSubstr("never write"));
  }
}

TEST(AuthorizeTest, OversightIsForTheSecretariatAndAuditors) {
  EXPECT_TRUE(AuthorizeOversight(kSecretariat, "list projections").ok());
  EXPECT_TRUE(AuthorizeOversight(kAuditor, "list projections").ok());
  for (const Principal& other : {kObserver, kFocalKen}) {
    absl::Status s = AuthorizeOversight(other, "list projections");
    EXPECT_TRUE(Denied(s));
    EXPECT_THAT(std::string(s.message()), HasSubstr("only the secretariat and auditors may"));
  }
}

TEST(AuthorizeTest, RawAppendIsSecretariatsAndNeverIntoReviewStreams) {
  EXPECT_TRUE(AuthorizeAppend(kSecretariat, "notes-2026", false).ok());
  absl::Status s = AuthorizeAppend(kSecretariat, "review-KEN-2", false);
  EXPECT_TRUE(Denied(s));
  EXPECT_THAT(std::string(s.message()), HasSubstr("irm import"));
  EXPECT_TRUE(AuthorizeAppend(kSecretariat, "review-KEN-2", true).ok());
  EXPECT_TRUE(Denied(AuthorizeAppend(kSecretariat, "voided", false)));
  EXPECT_TRUE(AuthorizeAppend(kSecretariat, "voided", true).ok());
  EXPECT_TRUE(Denied(AuthorizeAppend(kFocalKen, "notes", false)));
  EXPECT_TRUE(Denied(AuthorizeAppend(kReviewerFra, "review-KEN-2", true)));
  EXPECT_TRUE(Denied(AuthorizeDraw(kFocalKen)));
  EXPECT_TRUE(AuthorizeDraw(kSecretariat).ok());
}

TEST(AuthorizeTest, OnlyTheSecretariatVoids) {
  EXPECT_TRUE(AuthorizeVoid(kSecretariat).ok());
  for (const Principal& other : {kFocalKen, kReviewerFra}) {
    absl::Status s = AuthorizeVoid(other);
    EXPECT_TRUE(Denied(s));
    EXPECT_THAT(std::string(s.message()), HasSubstr("only the secretariat may"));
  }
}


// Four eyes (issue 21): each party agrees for itself, or the secretariat on its behalf.
TEST(AuthorizeTest, AgreementsComeFromTheirPartyOrTheSecretariatOnItsBehalf) {
  EXPECT_TRUE(AuthorizeAgreement(kFocalKen, "KEN", "state", "").ok());
  EXPECT_TRUE(AuthorizeAgreement(kFocalKen, "KEN", "state", "focal_point:KEN").ok());
  EXPECT_TRUE(AuthorizeAgreement(kReviewerFra, "KEN", "reviewer:FRA", "").ok());
  EXPECT_TRUE(AuthorizeAgreement(kSecretariat, "KEN", "reviewer:FRA", "reviewer:FRA").ok());
  EXPECT_TRUE(AuthorizeAgreement(kSecretariat, "KEN", "state", "focal_point:KEN").ok());

  absl::Status s = AuthorizeAgreement(kFocalKen, "KEN", "reviewer:FRA", "");
  EXPECT_TRUE(Denied(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("--party state"));
  s = AuthorizeAgreement(kReviewerFra, "KEN", "reviewer:UGA", "");
  EXPECT_TRUE(Denied(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("--party reviewer:FRA"));
  EXPECT_TRUE(Denied(AuthorizeAgreement(kReviewerFra, "KEN", "state", "")));
  s = AuthorizeAgreement(kSecretariat, "KEN", "state", "");
  EXPECT_TRUE(Denied(s)) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("--on-behalf-of focal_point:KEN"));
  EXPECT_TRUE(Denied(AuthorizeAgreement(kObserver, "KEN", "state", "")));

  s = AuthorizeAgreement(kSecretariat, "KEN", "state", "focal_point:UGA");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("does not match --party state"));
  s = AuthorizeAgreement(kSecretariat, "KEN", "reviewer:FRA", "focal_point:KEN");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(AuthorizeAgreement(kSecretariat, "KEN", "FRA", "reviewer:FRA").code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace irm::access
