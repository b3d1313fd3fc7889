// The console (docs/console.md) over the real irmd with --auth and --http, driven with plain
// HTTP: sessions whose cookie holds only a random id, CSRF tokens on every POST, steps run
// through irmd's own gRPC services as the signed-in principal (the actor irm history shows),
// refusals with the rule's message and nothing appended, a SIGHUP reload that ends sessions.
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/auth_fixture.h"
#include "tests/http_fixture.h"

namespace irm::tests {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kForm[] = "application/x-www-form-urlencoded";

class E2eConsoleTest : public AuthFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartWithAuthFile({"--http", "127.0.0.1:0"}));
    http_ = HttpAddressOf(irmd_->stderr_text());
    ASSERT_FALSE(http_.empty()) << irmd_->stderr_text();
  }

  httplib::Client Client() {
    httplib::Client client("http://" + http_);
    client.set_read_timeout(20, 0);
    return client;
  }

  // Signs in with `token`; the "irm_session=ID" pair of its cookie.
  std::string SignIn(const std::string& token) {
    httplib::Client client = Client();
    httplib::Result res = client.Post("/login", "token=" + token, kForm);
    if (!res) return "";
    EXPECT_EQ(res->status, 303);
    EXPECT_EQ(res->get_header_value("Location"), "/work");
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  // GET `path` with the session `cookie`.
  httplib::Result Page(const std::string& path, const std::string& cookie) {
    return Client().Get(path, {{"Cookie", cookie}});
  }

  // The CSRF token in a page's forms.
  static std::string CsrfOf(const std::string& page) {
    std::smatch m;
    if (!std::regex_search(page, m, std::regex("name=\"csrf\" value=\"([0-9a-f]{64})\""))) {
      return "";
    }
    return m[1];
  }

  // POST a step with form `body`; JSON answer when `json`.
  httplib::Result Post(const std::string& path, const std::string& cookie,
                       const std::string& body, bool json = true) {
    httplib::Headers headers;
    if (!cookie.empty()) headers.emplace("Cookie", cookie);
    if (json) headers.emplace("Accept", "application/json");
    return Client().Post(path, headers, body, kForm);
  }

  void MustIrmAs(const std::string& token, const std::vector<std::string>& args) {
    IrmResult result = As(token, args);
    ASSERT_EQ(result.exit_code, 0) << result;
  }

  // The last event of KEN-2 as `irm history --json` prints it.
  json LastEvent() {
    IrmResult result = As(kSec, {"--json", "history", "KEN", "--cycle", "2"});
    EXPECT_EQ(result.exit_code, 0) << result;
    std::vector<std::string> lines = Lines(result.out);
    return lines.empty() ? json() : json::parse(lines.back());
  }

  // How many events the review's stream holds ("nothing appended" is judged on the stream:
  // irmd's deadline recorder may append DeadlinePassed to other streams at any time).
  size_t Events(const std::string& state) {
    IrmResult result = As(kSec, {"--json", "read", "review-" + state + "-2"});
    EXPECT_EQ(result.exit_code, 0) << result;
    return Lines(result.out).size();
  }

  std::string Stage(const std::string& state) {
    return JsonAs(kSec, {"status", state, "--cycle", "2"})["stage"];
  }

  std::string http_;
};

TEST_F(E2eConsoleTest, SignInSetsASessionCookieAndLogoutEndsIt) {
  LaunchKen();
  // Anonymous visitors: the API refuses, pages send them to the sign-in page.
  EXPECT_EQ(Client().Get("/api/reviews")->status, 401);
  httplib::Result anonymous = Client().Get("/work");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 303);
  EXPECT_EQ(anonymous->get_header_value("Location"), "/login");
  httplib::Result login = Client().Get("/login");
  ASSERT_TRUE(login);
  EXPECT_THAT(login->body, HasSubstr("<form id=\"login\""));
  EXPECT_THAT(login->body, HasSubstr("name=\"token\""));

  httplib::Result signed_in = Client().Post("/login", std::string("token=") + kKen, kForm);
  ASSERT_TRUE(signed_in);
  const std::string set_cookie = signed_in->get_header_value("Set-Cookie");
  EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(set_cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(set_cookie, Not(HasSubstr(kKen))) << "the cookie never holds the token";
  EXPECT_THAT(set_cookie, Not(HasSubstr("Secure"))) << "plain HTTP on loopback";
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  httplib::Result work = Page("/work", cookie);
  ASSERT_TRUE(work);
  EXPECT_EQ(work->status, 200);
  EXPECT_THAT(work->body, HasSubstr("Ana Ruiz"));
  EXPECT_THAT(work->body, HasSubstr("data-state=\"KEN\""))
      << "KEN's focal point is to appoint itself";
  EXPECT_EQ(Page("/api/reviews/KEN/2", cookie)->status, 200);
  EXPECT_THAT(irmd_->stderr_text(), Not(HasSubstr(kKen))) << "tokens never reach the log";

  httplib::Result out = Page("/logout", cookie);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 303);
  EXPECT_THAT(out->get_header_value("Set-Cookie"), HasSubstr("Max-Age=0"));
  // The old cookie no longer works, even if the browser kept it.
  httplib::Result after = Page("/work", cookie);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 303);
  EXPECT_EQ(after->get_header_value("Location"), "/login");
  EXPECT_EQ(Page("/api/reviews/KEN/2", cookie)->status, 401);
}

TEST_F(E2eConsoleTest, APostNeedsTheSessionAndItsCsrfTokenAndRecordsThePrincipal) {
  LaunchKen();
  const std::string cookie = SignIn(kSec);
  ASSERT_FALSE(cookie.empty());
  httplib::Result page = Page("/reviews/KEN/2", cookie);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("data-stage=\"launched\""));
  EXPECT_THAT(page->body, HasSubstr("data-command=\"focal-point\""));
  const std::string csrf = CsrfOf(page->body);
  ASSERT_FALSE(csrf.empty()) << page->body;
  const std::string path = "/console/reviews/KEN/2/focal-point";
  const size_t head = Events("KEN");
  for (const auto& [who, body] : std::vector<std::pair<std::string, std::string>>{
           {cookie, "name=Ana+Ruiz"},
           {cookie, "name=Ana+Ruiz&csrf=" + std::string(64, '0')},
           {"", "name=Ana+Ruiz&csrf=" + csrf},
           {"irm_session=" + csrf, "name=Ana+Ruiz&csrf=" + csrf}}) {
    httplib::Result refused = Post(path, who, body);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403) << body << ": " << refused->body;
    EXPECT_EQ(json::parse(refused->body)["error"]["code"], "PERMISSION_DENIED");
  }
  EXPECT_EQ(Events("KEN"), head) << "nothing appended";
  // Without script: a POST and a redirect back to the page.
  httplib::Result done =
      Post(path, cookie, "name=Ana+Ruiz&email=ana%40example.org&on=2016-06-10&csrf=" + csrf,
           /*json=*/false);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(done->get_header_value("Location"), "/reviews/KEN/2");
  EXPECT_EQ(Stage("KEN"), "focal_point_appointed");
  // With script: JSON with the new stage.
  httplib::Result kickoff =
      Post("/console/reviews/KEN/2/kickoff", cookie,
           "checklist_due=2016-08-15&on=2016-07-01&csrf=" + csrf);
  ASSERT_TRUE(kickoff);
  ASSERT_EQ(kickoff->status, 200) << kickoff->body;
  EXPECT_EQ(json::parse(kickoff->body)["stage"], "kickoff_held");
  const json last = LastEvent();
  EXPECT_EQ(last["type"], "KickoffCallHeld");
  EXPECT_EQ(last["actor"]["name"], "Sam Secretariat") << last;
  EXPECT_EQ(last["on"], "2016-07-01");
}

TEST_F(E2eConsoleTest, AFocalPointActsOnItsOwnStateOnly) {
  LaunchKen();
  Step(kSec, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-10"});
  Step(kSec, "kickoff", {"--on", "2016-07-01"});
  MustIrmAs(kSec, {"review", "schedule", "NGA", "--cycle", "2", "--year", "1", "--on",
                   "2015-11-06"});
  MustIrmAs(kSec, {"review", "assign-reviewers", "NGA", "--cycle", "2", "--reviewers",
                   "GHA,FRA", "--on", "2016-01-15"});
  MustIrmAs(kSec, {"review", "launch", "NGA", "--cycle", "2", "--on", "2016-06-01"});
  MustIrmAs(kSec, {"review", "focal-point", "NGA", "--cycle", "2", "--name", "N", "--on",
                   "2016-06-10"});
  MustIrmAs(kSec, {"review", "kickoff", "NGA", "--cycle", "2", "--on", "2016-07-01"});
  const std::string cookie = SignIn(kKen);
  httplib::Result ken = Page("/reviews/KEN/2", cookie);
  ASSERT_TRUE(ken);
  EXPECT_THAT(ken->body, HasSubstr("data-command=\"checklist\""));
  httplib::Result nga = Page("/reviews/NGA/2", cookie);
  ASSERT_TRUE(nga);
  EXPECT_EQ(nga->status, 200);
  EXPECT_THAT(nga->body, Not(HasSubstr("data-command=")));
  const std::string csrf = CsrfOf(ken->body);
  const size_t head = Events("NGA");
  httplib::Result forged = Post("/console/reviews/NGA/2/checklist", cookie, "csrf=" + csrf);
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << forged->body;
  EXPECT_EQ(json::parse(forged->body)["error"]["code"], "PERMISSION_DENIED");
  EXPECT_EQ(Events("NGA"), head);
  EXPECT_EQ(Stage("NGA"), "kickoff_held");
  httplib::Result own =
      Post("/console/reviews/KEN/2/checklist", cookie, "publish=1&on=2016-08-01&csrf=" + csrf);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  EXPECT_EQ(LastEvent()["actor"]["name"], "Ana Ruiz");
  // Readers never get forms.
  for (const char* token : {kAud, kObs}) {
    httplib::Result read = Page("/reviews/KEN/2", SignIn(token));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->status, 200);
    EXPECT_THAT(read->body, Not(HasSubstr("data-command="))) << token;
  }
}

TEST_F(E2eConsoleTest, ARefusedStepShowsTheRuleAndAppendsNothing) {
  LaunchKen();
  const std::string cookie = SignIn(kSec);
  const std::string csrf = CsrfOf(Page("/reviews/KEN/2", cookie)->body);
  const size_t head = Events("KEN");
  // A draft report before the dialogue: a rule (409), with the rule's message.
  httplib::Result rule = Post("/console/reviews/KEN/2/draft", cookie, "csrf=" + csrf);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->status, 409) << rule->body;
  EXPECT_THAT(json::parse(rule->body)["error"]["message"].get<std::string>(),
              HasSubstr("allowed next"));
  // Without script, the page again, the message in role=alert.
  httplib::Result page = Post("/console/reviews/KEN/2/draft", cookie, "csrf=" + csrf, false);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 409);
  EXPECT_THAT(page->body, HasSubstr("role=\"alert\""));
  EXPECT_THAT(page->body, HasSubstr("allowed next"));
  EXPECT_THAT(page->body, HasSubstr("data-stage=\"launched\""));
  // Bad input (400): a malformed date, a field the step does not take, an unknown step.
  for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
           {"focal-point", "name=A&on=2016-13-45"},
           {"focal-point", "name=A&colour=blue"},
           {"focal-point", ""},
           {"fly", ""}}) {
    httplib::Result bad = Post("/console/reviews/KEN/2/" + path, cookie, body + "&csrf=" + csrf);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400) << path << " " << body << ": " << bad->body;
    EXPECT_FALSE(json::parse(bad->body)["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(Events("KEN"), head);
}

TEST_F(E2eConsoleTest, AReloadThatRemovesThePrincipalEndsItsSessions) {
  LaunchKen();
  const std::string ana = SignIn(kKen);
  const std::string sam = SignIn(kSec);
  ASSERT_EQ(Page("/work", ana)->status, 200);
  // Ana leaves the file; the secretariat stays.
  std::ofstream(auth_file_) << "{\"principals\":[" << Entry("Sam Secretariat", "secretariat", "", kSec)
                            << "]}";
  ASSERT_EQ(kill(irmd_->pid(), SIGHUP), 0);
  ASSERT_TRUE(irmd_->WaitForStderrLine("auth file reloaded", absl::Seconds(20)).ok())
      << irmd_->stderr_text();
  httplib::Result after = Page("/work", ana);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 303);
  EXPECT_EQ(after->get_header_value("Location"), "/login");
  EXPECT_EQ(Page("/api/reviews/KEN/2", ana)->status, 401);
  EXPECT_EQ(Page("/work", sam)->status, 200);
}

// The secretariat's tools: search and filter every review; draw review years with the seed
// shown. Only the secretariat gets the draw forms, and only it may draw.
TEST_F(E2eConsoleTest, TheSecretariatSearchesReviewsAndDrawsLots) {
  LaunchKen();
  const std::string sam = SignIn(kSec);
  httplib::Result launched = Page("/reviews?stage=launched&cycle=2", sam);
  ASSERT_TRUE(launched);
  ASSERT_EQ(launched->status, 200) << launched->body;
  EXPECT_THAT(launched->body, HasSubstr("<tr data-state=\"KEN\" data-cycle=\"2\""));
  EXPECT_THAT(launched->body, HasSubstr("data-command=\"lots-draw-years\""));
  EXPECT_THAT(launched->body, HasSubstr("data-command=\"lots-draw\""));
  httplib::Result none = Page("/reviews?stage=completed", sam);
  ASSERT_TRUE(none);
  EXPECT_THAT(none->body, Not(HasSubstr("<tr data-state=\"KEN\"")));
  httplib::Result bad = Page("/reviews?cycle=x", sam);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("cycle &#39;x&#39; is not 1 or 2"));
  const std::string csrf = CsrfOf(launched->body);

  const std::string ana = SignIn(kKen);
  httplib::Result theirs = Page("/reviews", ana);
  ASSERT_TRUE(theirs);
  EXPECT_THAT(theirs->body, Not(HasSubstr("data-command=")));
  httplib::Result refused =
      Post("/console/lots/draw-years", ana, "cycle=1&seed=7&csrf=" + CsrfOf(theirs->body));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403) << refused->body;

  httplib::Result drawn = Post("/console/lots/draw-years", sam,
                               "cycle=1&seed=7&outside_session=test&on=2010-07-01&csrf=" + csrf);
  ASSERT_TRUE(drawn);
  ASSERT_EQ(drawn->status, 200) << drawn->body;
  const json answer = json::parse(drawn->body);
  EXPECT_EQ(answer["seed"], 7);
  EXPECT_GT(answer["drawn"].size(), 100u) << "every State party of cycle 1";
  EXPECT_THAT(answer["message"].get<std::string>(), HasSubstr("seed 7"));
  httplib::Result again = Post("/console/lots/draw-years", sam, "cycle=one&csrf=" + csrf);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 400) << again->body;
}

// Issue 20's forms for the records beside the stages: outcomes (reviewing experts or the
// secretariat, desk review to approval), needs' status and recommendations' status (the
// State's focal point or the secretariat; recommendations once the summary is issued).
class E2eConsoleRecordsTest : public E2eConsoleTest {
 protected:
  // KEN-2 at desk_review_done, with one need (KEN-2-1).
  void ToDeskReview() {
    LaunchKen();
    Step(kKen, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-15"});
    Step(kSec, "kickoff", {"--checklist-due", "2016-08-01", "--on", "2016-07-01"});
    Step(kKen, "checklist", {"--on", "2016-08-03"});
    Step(kFra, "desk-review", {"--on", "2016-09-01"});
    MustIrmAs(kSec, {"need", "add", "KEN", "--cycle", "2", "--article", "9", "--category",
                     "capacity_building", "--text", "Procurement training", "--on", "2016-09-02"});
  }

  // The CSRF token of `cookie`'s session (from its My work page).
  std::string Csrf(const std::string& cookie) {
    httplib::Result page = Page("/work", cookie);
    return page ? CsrfOf(page->body) : "";
  }
};

TEST_F(E2eConsoleRecordsTest, OutcomesAndNeedsStatusThroughTheForms) {
  ToDeskReview();
  const std::string remy = SignIn(kFra);
  httplib::Result page = Page("/reviews/KEN/2", remy);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("data-command=\"outcome-add\""));
  EXPECT_THAT(page->body, HasSubstr("<option value=\"recommendation\">"));
  EXPECT_THAT(page->body, Not(HasSubstr("data-command=\"need-status\"")))
      << "a reviewer does not change needs";
  EXPECT_THAT(page->body, Not(HasSubstr("data-command=\"recommendation-status\"")));
  const std::string csrf = CsrfOf(page->body);
  const std::string outcome = "/console/reviews/KEN/2/outcome-add";
  size_t head = Events("KEN");
  // A reviewer not drawn for KEN forges the POST: 403, nothing appended.
  const std::string bia = SignIn(kBra);
  httplib::Result forged = Post(outcome, bia,
                                "article=9&kind=recommendation&text=X&csrf=" + Csrf(bia));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << forged->body;
  // Bad input: a kind that is none (400, the rule's message), an article outside the cycle.
  for (const std::string& body : {std::string("article=9&kind=wish&text=X"),
                                  std::string("article=30&kind=observation&text=X"),
                                  std::string("kind=observation&text=X")}) {
    httplib::Result bad = Post(outcome, remy, body + "&on=2016-09-05&csrf=" + csrf);
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400) << body << ": " << bad->body;
  }
  EXPECT_EQ(Events("KEN"), head) << "nothing appended";
  httplib::Result added = Post(outcome, remy,
                               "article=9&kind=recommendation&text=Publish+procurement+plans"
                               "&on=2016-09-05&csrf=" + csrf);
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 200) << added->body;
  EXPECT_EQ(json::parse(added->body)["outcome_id"], "KEN-2-R1");
  json last = LastEvent();
  EXPECT_EQ(last["type"], "OutcomeRecorded");
  EXPECT_EQ(last["actor"]["name"], "Remy Fournier") << last;
  // The page lists it; an observer gets no outcome before the summary is issued.
  page = Page("/reviews/KEN/2", remy);
  EXPECT_THAT(page->body, HasSubstr("data-outcome=\"KEN-2-R1\""));
  EXPECT_THAT(page->body, HasSubstr("Publish procurement plans"));
  httplib::Result otto = Page("/reviews/KEN/2", SignIn(kObs));
  ASSERT_TRUE(otto);
  EXPECT_THAT(otto->body, Not(HasSubstr("Publish procurement plans")));

  // The need's status: KEN's focal point may, a reviewer's focal point for another State not.
  const std::string ana = SignIn(kKen);
  page = Page("/reviews/KEN/2", ana);
  EXPECT_THAT(page->body, HasSubstr("data-command=\"need-status\""));
  EXPECT_THAT(page->body, HasSubstr("<option value=\"KEN-2-1\">"));
  EXPECT_THAT(page->body, Not(HasSubstr("data-command=\"outcome-add\"")))
      << "the State under review does not record its outcomes";
  const std::string need = "/console/reviews/KEN/2/need-status";
  head = Events("KEN");
  const std::string olu = SignIn(kUga);
  forged = Post(need, olu, "id=KEN-2-1&status=addressed&csrf=" + Csrf(olu));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << forged->body;
  httplib::Result elsewhere =
      Post(need, ana, "id=NGA-2-1&status=addressed&csrf=" + CsrfOf(page->body));
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->status, 400) << elsewhere->body;
  EXPECT_THAT(json::parse(elsewhere->body)["error"]["message"].get<std::string>(),
              HasSubstr("belongs to the review of NGA"));
  httplib::Result unknown =
      Post(need, ana, "id=KEN-2-1&status=solved&csrf=" + CsrfOf(page->body));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400) << unknown->body;
  EXPECT_EQ(Events("KEN"), head) << "nothing appended";
  httplib::Result changed =
      Post(need, ana, "id=KEN-2-1&status=addressed&provider=UNODC&on=2016-09-10&csrf=" +
                          CsrfOf(page->body));
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->status, 200) << changed->body;
  last = LastEvent();
  EXPECT_EQ(last["type"], "NeedStatusChanged");
  EXPECT_EQ(last["actor"]["name"], "Ana Ruiz") << last;
  EXPECT_THAT(Page("/reviews/KEN/2", ana)->body, HasSubstr("(addressed)"));
}

TEST_F(E2eConsoleRecordsTest, ARecommendationsStatusOnceTheSummaryIsIssued) {
  ToDeskReview();
  JsonAs(kFra, {"outcome", "add", "KEN", "--cycle", "2", "--article", "9", "--kind",
                "recommendation", "--text", "Publish procurement plans", "--on", "2016-09-05"});
  const std::string ana = SignIn(kKen);
  const std::string path = "/console/reviews/KEN/2/recommendation-status";
  // Before the summary is issued: no form, and a POST is refused with the rule (409).
  httplib::Result page = Page("/reviews/KEN/2", ana);
  ASSERT_TRUE(page);
  EXPECT_THAT(page->body, Not(HasSubstr("data-command=\"recommendation-status\"")));
  size_t head = Events("KEN");
  httplib::Result early = Post(path, ana, "id=KEN-2-R1&status=implemented&on=2016-09-20&csrf=" +
                                              CsrfOf(page->body), /*json=*/false);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409) << early->body;
  EXPECT_THAT(early->body, HasSubstr("role=\"alert\""));
  EXPECT_THAT(early->body, HasSubstr("once the executive summary is issued"));
  EXPECT_EQ(Events("KEN"), head);

  Step(kSec, "joint-meeting", {"--on", "2016-10-05"});
  Step(kFra, "draft", {"--on", "2016-11-15"});
  Step(kKen, "agree", {"--party", "state", "--on", "2016-11-20"});
  Step(kFra, "agree", {"--party", "reviewer:FRA", "--on", "2016-11-21"});
  Step(kSec, "agree",
       {"--party", "reviewer:UGA", "--on-behalf-of", "reviewer:UGA", "--on", "2016-11-22"});
  Step(kSec, "approve-summary", {"--on", "2016-12-01"});
  Step(kSec, "issue-summary", {"--on", "2017-01-10"});
  page = Page("/reviews/KEN/2", ana);
  ASSERT_TRUE(page);
  EXPECT_THAT(page->body, HasSubstr("data-command=\"recommendation-status\""));
  EXPECT_THAT(page->body, HasSubstr("<option value=\"KEN-2-R1\">"));
  EXPECT_THAT(page->body, HasSubstr("data-outcome=\"KEN-2-R1\" data-status=\"not_started\""));
  EXPECT_THAT(Page("/reviews/KEN/2", SignIn(kFra))->body,
              Not(HasSubstr("data-command=\"recommendation-status\"")))
      << "the follow-up is the State's";
  const std::string csrf = CsrfOf(page->body);
  head = Events("KEN");
  const std::string olu = SignIn(kUga);
  httplib::Result forged =
      Post(path, olu, "id=KEN-2-R1&status=implemented&on=2018-01-01&csrf=" + Csrf(olu));
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << forged->body;
  httplib::Result no_date = Post(path, ana, "id=KEN-2-R1&status=implemented&csrf=" + csrf);
  ASSERT_TRUE(no_date);
  EXPECT_EQ(no_date->status, 400) << no_date->body;
  httplib::Result bad = Post(path, ana, "id=KEN-2-R1&status=done&on=2018-01-01&csrf=" + csrf);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_EQ(Events("KEN"), head) << "nothing appended";
  httplib::Result done = Post(path, ana,
                              "id=KEN-2-R1&status=partially_implemented&on=2018-03-01"
                              "&evidence=Draft+law+tabled&csrf=" + csrf);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body;
  const json last = LastEvent();
  EXPECT_EQ(last["type"], "RecommendationStatusChanged");
  EXPECT_EQ(last["actor"]["name"], "Ana Ruiz") << last;
  page = Page("/reviews/KEN/2", SignIn(kAud));
  ASSERT_TRUE(page);
  EXPECT_THAT(page->body,
              HasSubstr("data-outcome=\"KEN-2-R1\" data-status=\"partially_implemented\""));
  EXPECT_THAT(page->body, HasSubstr("Draft law tabled"));
  EXPECT_THAT(page->body, Not(HasSubstr("data-command=")));
}

// A review's draws of lots on a page of their own, linked from the review page, readable by
// an auditor: the year's draw seed, each reviewers' draw with its seed and candidate lists.
TEST_F(E2eConsoleTest, TheDrawsPageShowsSeedsAndCandidateLists) {
  MustIrmAs(kSec, {"lots", "draw-years", "--cycle", "1", "--seed", "7", "--on", "2010-07-01",
                   "--outside-session", "test"});
  const int year = JsonAs(kSec, {"status", "KEN", "--cycle", "1"})["year"];
  MustIrmAs(kSec, {"lots", "draw", "--cycle", "1", "--year", std::to_string(year), "--seed", "9",
                   "--on", "2010-07-02", "--outside-session", "test"});
  const std::string aude = SignIn(kAud);
  httplib::Result review = Page("/reviews/KEN/1", aude);
  ASSERT_TRUE(review);
  ASSERT_EQ(review->status, 200) << review->body;
  EXPECT_THAT(review->body, HasSubstr("href=\"/draws/KEN/1\""));
  httplib::Result draws = Page("/draws/KEN/1", aude);
  ASSERT_TRUE(draws);
  ASSERT_EQ(draws->status, 200) << draws->body;
  EXPECT_THAT(draws->body, HasSubstr("data-type=\"ReviewScheduled\""));
  EXPECT_THAT(draws->body, HasSubstr("data-seed=\"7\""));
  EXPECT_THAT(draws->body, HasSubstr("data-type=\"ReviewersDrawn\""));
  EXPECT_THAT(draws->body, HasSubstr("data-seed=\"9\""));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(draws->body, m,
                                std::regex("data-slot=\"1\">([A-Z]{3}[^<]*)</p>")))
      << draws->body;
  EXPECT_THAT(std::string(m[1]), HasSubstr(", ")) << "a list of candidates";
  EXPECT_TRUE(std::regex_search(draws->body, std::regex("data-slot=\"2\">[A-Z]{3}, [A-Z]{3}")));
  EXPECT_THAT(draws->body, Not(HasSubstr("data-command=")));
  httplib::Result bad = Page("/draws/KEN/3", aude);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

// Auditors' integrity page: the latest signed checkpoint, verified with irmd's public key.
class E2eConsoleAuditTest : public E2eConsoleTest {
 protected:
  void SetUp() override {
    const std::string key = dir_.Sub("signing.pem");
    ASSERT_EQ(std::system(absl::StrCat("openssl genpkey -algorithm ed25519 -out ", key,
                                       " 2>/dev/null")
                              .c_str()),
              0);
    ASSERT_NO_FATAL_FAILURE(StartWithAuthFile(
        {"--http", "127.0.0.1:0", "--signing-key", key, "--checkpoint-interval", "1h"}));
    http_ = HttpAddressOf(irmd_->stderr_text());
    ASSERT_FALSE(http_.empty()) << irmd_->stderr_text();
  }
};

TEST_F(E2eConsoleAuditTest, TheIntegrityPageShowsTheVerifiedCheckpoint) {
  LaunchKen();
  IrmResult signed_now = As(kAud, {"checkpoint", "--sign"});
  ASSERT_EQ(signed_now.exit_code, 0) << signed_now;
  httplib::Result page = Page("/audit", SignIn(kAud));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("data-verified=\"true\""));
  EXPECT_THAT(page->body, HasSubstr("verified with irmd's public key"));
  EXPECT_THAT(page->body, Not(HasSubstr("data-command=")));
  // The log grows past the checkpoint: the page proves the current tree extends it.
  Step(kSec, "focal-point", {"--name", "Ana Ruiz", "--on", "2016-06-10"});
  page = Page("/audit", SignIn(kAud));
  ASSERT_TRUE(page);
  EXPECT_THAT(page->body, HasSubstr("id=\"consistency\" data-verified=\"true\""))
      << page->body;
}

// Without --auth (loopback only) the console is the open server's secretariat, as gRPC is; its
// forms still need the CSRF token of a session started by the first page visit.
class E2eOpenConsoleTest : public HttpFixture {};

TEST_F(E2eOpenConsoleTest, TheOpenServersConsoleIsTheSecretariatWithCsrf) {
  MustIrm({"review", "schedule", "KEN", "--cycle", "2", "--year", "1", "--on", "2015-11-06"});
  MustIrm({"review", "assign-reviewers", "KEN", "--cycle", "2", "--reviewers", "UGA,FRA", "--on",
           "2016-01-15"});
  httplib::Client client("http://" + http_);
  httplib::Result page = client.Get("/reviews/KEN/2");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_THAT(page->body, HasSubstr("data-command=\"launch\""));
  const std::string set_cookie = page->get_header_value("Set-Cookie");
  EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page->body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]{64})\"")));
  const std::string csrf = m[1];
  httplib::Headers headers = {{"Accept", "application/json"}};
  httplib::Result forged = client.Post("/console/reviews/KEN/2/launch", headers, "on=2016-06-01",
                                       kForm);
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << forged->body;
  headers.emplace("Cookie", cookie);
  httplib::Result done = client.Post("/console/reviews/KEN/2/launch", headers,
                                     "on=2016-06-01&csrf=" + csrf, kForm);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body;
  IrmResult history = RunIrm(irmd_->address(), {"--json", "history", "KEN", "--cycle", "2"});
  ASSERT_EQ(history.exit_code, 0) << history;
  const json last = json::parse(Lines(history.out).back());
  EXPECT_EQ(last["type"], "ReviewLaunched");
  EXPECT_EQ(last["actor"]["role"], "secretariat");
  EXPECT_EQ(last["actor"]["name"], "anonymous");
  // The dashboard's JSON stays the observer view, session or not.
  EXPECT_EQ(HttpGet(http_, "/api/reviews/KEN/2", {{"Cookie", cookie}}).body["focal_point"],
            nullptr);
}

}  // namespace
}  // namespace irm::tests
