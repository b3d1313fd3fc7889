#include "services/http/console/console_pages.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "engine/common/html_escape.h"
#include "engine/review/outcomes.h"
#include "irm/event/v1/review_events.pb.h"
#include "services/http/console/console_forms.h"

namespace irm::services::http {

using ::irm::common::HtmlEscape;

namespace {

constexpr const char* kStages[] = {"scheduled",       "reviewers_drawn",     "launched",
                                   "focal_point_appointed", "kickoff_held", "checklist_submitted",
                                   "desk_review_done", "dialogue_held",      "draft_report",
                                   "summary_approved", "completed"};

std::string Attr(absl::string_view name, absl::string_view value) {
  return absl::StrCat(" ", name, "=\"", HtmlEscape(value), "\"");
}

std::string Head(const std::string& title, const std::string& root_attributes) {
  return absl::StrCat(
      "<!doctype html>\n<html lang=\"en\"", root_attributes,
      "><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      HtmlEscape(title),
      " · irm console</title><link rel=\"stylesheet\" href=\"/console.css\">"
      "<script src=\"/console.js\" defer></script></head>\n<body>\n");
}

std::string Header(const PageContext& c) {
  std::string out = absl::StrCat(
      "<header><nav aria-label=\"Console\"><a href=\"/work\">My work</a> "
      "<a href=\"/reviews\">Reviews</a> <a href=\"/audit\">Integrity</a> "
      "<a href=\"/\">Dashboard</a></nav><p class=\"who\">Signed in as <strong>",
      HtmlEscape(c.principal.name), "</strong> (", HtmlEscape(c.principal.Label()), ")</p>");
  if (c.signed_in) {
    absl::StrAppend(&out, "<form method=\"post\" action=\"/logout\" class=\"logout\">",
                    "<input type=\"hidden\" name=\"csrf\"", Attr("value", c.csrf),
                    "><button type=\"submit\">Sign out</button></form>");
  }
  absl::StrAppend(&out, "</header>\n<div id=\"alert\" role=\"alert\" aria-live=\"assertive\"",
                  c.alert_is_error ? " class=\"error\"" : "", ">", HtmlEscape(c.alert),
                  "</div>\n");
  return out;
}

std::string Fact(absl::string_view name, absl::string_view value) {
  return absl::StrCat("<dt>", name, "</dt><dd>", value.empty() ? "—" : HtmlEscape(value),
                      "</dd>");
}

std::string FormHtml(const CommandForm& form, const std::string& state, int cycle,
                     const std::string& csrf, int index) {
  const CommandSpec& spec = *form.spec;
  const std::string id = absl::StrCat("f", index, "-");
  std::string out = absl::StrCat(
      "<form method=\"post\"",
      Attr("action", absl::StrCat("/console/reviews/", state, "/", cycle, "/", spec.name)),
      Attr("data-command", spec.name), "><h3>", HtmlEscape(spec.label),
      form.note.empty() ? "" : absl::StrCat(": ", HtmlEscape(form.note)), "</h3>",
      "<input type=\"hidden\" name=\"csrf\"", Attr("value", csrf), ">");
  for (const auto& [name, value] : form.fixed) {
    absl::StrAppend(&out, "<input type=\"hidden\"", Attr("name", name), Attr("value", value), ">");
  }
  auto field = [&](const FormField& f) {
    bool fixed = false;
    for (const auto& [name, value] : form.fixed) fixed |= name == f.name;
    if (fixed) return;
    const std::string fid = id + f.name;
    const std::vector<std::string>* options = &f.options;
    for (const auto& [name, values] : form.choices) {
      if (name == f.name) options = &values;
    }
    if (f.type == "select") {
      absl::StrAppend(&out, "<p><label", Attr("for", fid), ">", HtmlEscape(f.label),
                      f.required ? " (required)" : "", "</label><select", Attr("id", fid),
                      Attr("name", f.name), f.required ? " required" : "", ">");
      if (!f.required) absl::StrAppend(&out, "<option value=\"\">—</option>");
      for (const std::string& o : *options) {
        absl::StrAppend(&out, "<option", Attr("value", o), ">", HtmlEscape(o), "</option>");
      }
      absl::StrAppend(&out, "</select></p>");
      return;
    }
    if (f.type == "checkbox") {
      absl::StrAppend(&out, "<p class=\"check\"><input type=\"checkbox\" value=\"1\"",
                      Attr("id", fid), Attr("name", f.name), "><label", Attr("for", fid), ">",
                      HtmlEscape(f.label), "</label></p>");
      return;
    }
    absl::StrAppend(&out, "<p><label", Attr("for", fid), ">", HtmlEscape(f.label),
                    f.required ? " (required)" : "", "</label><input", Attr("id", fid),
                    Attr("name", f.name), Attr("type", f.type), f.required ? " required" : "",
                    "></p>");
  };
  for (const FormField& f : spec.fields) field(f);
  if (spec.on_required) {
    field({"on", "Business date", "date", true});
  } else {
    field({"on", "Business date (default: today)", "date", false});
  }
  if (form.on_behalf_field) {
    field({"on_behalf_of", "On behalf of (e.g. focal_point:KEN; optional)", "text", false});
  }
  absl::StrAppend(&out, "<button type=\"submit\">", HtmlEscape(spec.label), "</button></form>\n");
  return out;
}

std::string RecordedAt(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                          absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
                          absl::UTCTimeZone());
}

std::string Reviewers(const event::v1::ReviewState& r) {
  std::vector<std::string> codes;
  for (const std::string& code : r.reviewers()) codes.push_back(code.empty() ? "(open)" : code);
  return absl::StrJoin(codes, ", ");
}

// The review's outcomes as the viewer may read them (GetReviewHistory's status is already
// the viewer's view: texts are withheld until the executive summary is issued, as on every
// other read path), each recommendation with its current status and its changes.
std::string OutcomesHtml(const event::v1::ReviewState& r) {
  if (r.outcomes_size() == 0) return "";
  std::string out = absl::StrCat(
      "<section aria-labelledby=\"outcomes\"><h2 id=\"outcomes\">Outcomes</h2>",
      "<div class=\"scroll\"><table class=\"outcomes\"><thead><tr><th scope=\"col\">Id</th>",
      "<th scope=\"col\">Article</th><th scope=\"col\">Kind</th>",
      "<th scope=\"col\">Outcome</th><th scope=\"col\">Recorded</th>",
      "<th scope=\"col\">Status</th></tr></thead><tbody>");
  for (const event::v1::OutcomeState& o : r.outcomes()) {
    std::string status;
    if (o.kind() == review::kRecommendation) {
      if (o.history_size() == 0) {
        status = std::string(review::kNotStarted);
      } else {
        const event::v1::OutcomeStatusStep& last = o.history(o.history_size() - 1);
        status = last.status().empty() ? std::string("(withheld)")
                                       : absl::StrCat(last.status(), " since ", last.on());
      }
    }
    std::string text = o.text().empty()
                           ? std::string("(withheld until the executive summary is issued)")
                           : o.text();
    if (o.needs_size() > 0) absl::StrAppend(&text, " — needs ", absl::StrJoin(o.needs(), ", "));
    absl::StrAppend(&out, "<tr", Attr("data-outcome", o.outcome_id()),
                    Attr("data-status", o.kind() == review::kRecommendation
                                            ? (o.history_size() == 0
                                                   ? std::string(review::kNotStarted)
                                                   : o.history(o.history_size() - 1).status())
                                            : std::string()),
                    "><td>", HtmlEscape(o.outcome_id()), "</td><td>", o.article(), "</td><td>",
                    HtmlEscape(o.kind()), "</td><td>", HtmlEscape(text), "</td><td>",
                    HtmlEscape(o.recorded_on()), "</td><td>", HtmlEscape(status));
    if (o.history_size() > 1) {
      absl::StrAppend(&out, "<ul class=\"changes\">");
      for (const event::v1::OutcomeStatusStep& step : o.history()) {
        const std::string evidence =
            step.evidence().empty() ? "" : absl::StrCat(" (", HtmlEscape(step.evidence()), ")");
        absl::StrAppend(&out, "<li>", HtmlEscape(step.on()), ": ", HtmlEscape(step.status()),
                        evidence, "</li>");
      }
      absl::StrAppend(&out, "</ul>");
    } else if (o.history_size() == 1 && !o.history(0).evidence().empty()) {
      absl::StrAppend(&out, " (", HtmlEscape(o.history(0).evidence()), ")");
    }
    absl::StrAppend(&out, "</td></tr>");
  }
  absl::StrAppend(&out, "</tbody></table></div></section>\n");
  return out;
}

}  // namespace

std::string ReviewPage(const PageContext& c, const api::v1::ReviewHistory& history,
                       const std::string& as_of) {
  const api::v1::ReviewStatus& status = history.status();
  const event::v1::ReviewState& r = status.review();
  const std::string title = absl::StrCat(r.state(), " cycle ", r.cycle());
  std::string out = absl::StrCat(
      Head(title, absl::StrCat(Attr("data-state", r.state()),
                               Attr("data-cycle", std::to_string(r.cycle())),
                               Attr("data-stage", r.stage()), Attr("data-page", "review"))),
      Header(c));
  absl::StrAppend(&out, "<main id=\"review\"",
                  Attr("data-stream", absl::StrCat("review-", r.state(), "-", r.cycle())),
                  Attr("data-position", std::to_string(r.last_position())),
                  "><h1>Review of ", HtmlEscape(r.state()), ", cycle ", r.cycle(),
                  as_of.empty() ? "" : absl::StrCat(" as of ", HtmlEscape(as_of)), "</h1>\n");
  absl::StrAppend(&out, "<form method=\"get\" class=\"asof\"><label for=\"as_of\">As of</label>",
                  "<input id=\"as_of\" name=\"as_of\" type=\"date\"", Attr("value", as_of),
                  "><button type=\"submit\">Show</button></form>\n");
  std::string dialogue = r.dialogue();
  if (r.dialogue() == "country_visit") {
    dialogue = absl::StrCat("country visit ", r.visit_from(), " to ", r.visit_to());
  }
  std::string publication = r.publication().empty() ? "not decided" : r.publication();
  if (r.checklist_published()) absl::StrAppend(&publication, "; checklist published");
  absl::StrAppend(
      &out, "<section aria-labelledby=\"facts\"><h2 id=\"facts\">Facts</h2><dl class=\"facts\">",
      Fact("Stage", r.stage()), Fact("Review year", r.year() ? std::to_string(r.year()) : ""),
      Fact("Region", r.region()), Fact("Reviewers", Reviewers(r)),
      Fact("Focal point", r.focal_point()), Fact("Launched (t0)", r.launched_on()),
      Fact("Checklist due", r.checklist_due()), Fact("Dialogue", dialogue),
      Fact("Next step", status.next_step()),
      Fact("Next deadline", absl::StrCat(status.next_deadline(),
                                         status.overdue() ? " (overdue)" : "")),
      Fact("Needs", std::to_string(status.identified_needs())), Fact("Publication", publication),
      Fact("Executive summary", r.summary_issued_on().empty()
                                    ? ""
                                    : absl::StrCat("issued ", r.summary_issued_on(), " ",
                                                   r.summary_symbol())),
      "</dl></section>\n");
  if (r.needs_size() > 0) {
    absl::StrAppend(&out, "<section aria-labelledby=\"needs\"><h2 id=\"needs\">Needs</h2><ul>");
    for (const event::v1::NeedState& n : r.needs()) {
      absl::StrAppend(&out, "<li>", HtmlEscape(n.need_id()), ": article ", n.article(), ", ",
                      HtmlEscape(n.category()), ", ", HtmlEscape(n.text()),
                      n.status().empty() ? "" : absl::StrCat(" (", HtmlEscape(n.status()), ")"),
                      "</li>");
    }
    absl::StrAppend(&out, "</ul></section>\n");
  }
  absl::StrAppend(&out, OutcomesHtml(r));
  absl::StrAppend(&out, "<p><a", Attr("href", absl::StrCat("/draws/", r.state(), "/", r.cycle())),
                  " id=\"draws-link\">The draws of lots of this review (seeds and candidate "
                  "lists)</a></p>\n");
  const std::vector<CommandForm> forms =
      as_of.empty() ? FormsFor(c.principal, r) : std::vector<CommandForm>{};
  absl::StrAppend(&out, "<section aria-labelledby=\"steps\" id=\"next-steps\"><h2 id=\"steps\">",
                  "Steps you may take now</h2>");
  if (forms.empty()) {
    absl::StrAppend(&out, "<p>None for ", HtmlEscape(c.principal.Label()),
                    as_of.empty() ? "" : " in a view of the past", ".</p>");
  }
  for (size_t i = 0; i < forms.size(); ++i) {
    absl::StrAppend(&out, FormHtml(forms[i], r.state(), r.cycle(), c.csrf, static_cast<int>(i)));
  }
  absl::StrAppend(&out, "</section>\n<section aria-labelledby=\"timeline\"><h2 id=\"timeline\">",
                  "Timeline</h2><div class=\"scroll\"><table class=\"timeline\"><thead><tr>",
                  "<th scope=\"col\">#</th><th scope=\"col\">Step</th>",
                  "<th scope=\"col\">Business date</th><th scope=\"col\">Recorded</th>",
                  "<th scope=\"col\">Recorded by</th></tr></thead><tbody>");
  for (const api::v1::HistoryEvent& e : history.events()) {
    std::string actor = e.actor().name().empty()
                            ? e.actor().role()
                            : absl::StrCat(e.actor().name(), " (", e.actor().role(),
                                           e.actor().state().empty() ? "" : ":",
                                           e.actor().state(), ")");
    if (!e.on_behalf_of().empty()) absl::StrAppend(&actor, " on behalf of ", e.on_behalf_of());
    absl::StrAppend(&out, "<tr", Attr("data-type", e.type()), e.has_voided() ? " class=\"void\"" : "",
                    "><td>", e.position(), "</td><td>", HtmlEscape(e.type()),
                    e.has_voided() ? " (void)" : "", "</td><td>", HtmlEscape(e.on()), "</td><td>",
                    RecordedAt(e.recorded_at()), "</td><td class=\"actor\">", HtmlEscape(actor),
                    "</td></tr>");
  }
  absl::StrAppend(&out, "</tbody></table></div></section>\n");
  if (history.provenance_size() > 0) {
    absl::StrAppend(&out, "<section aria-labelledby=\"provenance\"><h2 id=\"provenance\">",
                    "Where each field comes from</h2><div class=\"scroll\"><table ",
                    "class=\"provenance\"><thead><tr><th scope=\"col\">Field</th>",
                    "<th scope=\"col\">Value</th><th scope=\"col\">Set by event</th></tr></thead>",
                    "<tbody>");
    for (const api::v1::FieldProvenance& p : history.provenance()) {
      absl::StrAppend(&out, "<tr><td>", HtmlEscape(p.field()), "</td><td>", HtmlEscape(p.value()),
                      "</td><td>",
                      p.position() ? absl::StrCat("#", p.position())
                                   : (p.derived_from().empty()
                                          ? std::string("(default)")
                                          : absl::StrCat("from ", HtmlEscape(p.derived_from()))),
                      "</td></tr>");
    }
    absl::StrAppend(&out, "</tbody></table></div></section>\n");
  }
  absl::StrAppend(&out, "</main></body></html>\n");
  return out;
}

std::string MyWorkPage(const PageContext& c, const std::vector<api::v1::ReviewStatus>& reviews) {
  const bool secretariat = c.principal.role == access::Role::kSecretariat;
  std::vector<const api::v1::ReviewStatus*> waiting;
  std::map<std::pair<int, std::string>, std::pair<int, int>> counts;  // (cycle, stage) -> n, overdue
  for (const api::v1::ReviewStatus& s : reviews) {
    auto& count = counts[{s.review().cycle(), s.review().stage()}];
    ++count.first;
    count.second += s.overdue() ? 1 : 0;
    bool mine = false;
    if (secretariat) {
      mine = !s.next_step().empty();
    } else {
      for (const CommandForm& form : FormsFor(c.principal, s.review())) {
        mine |= !form.spec->records_only;
      }
    }
    if (mine) waiting.push_back(&s);
  }
  std::stable_sort(waiting.begin(), waiting.end(), [](auto* a, auto* b) {
    const bool a_none = a->next_deadline().empty(), b_none = b->next_deadline().empty();
    return std::make_tuple(!a->overdue(), a_none, a->next_deadline()) <
           std::make_tuple(!b->overdue(), b_none, b->next_deadline());
  });
  std::string out = absl::StrCat(Head("My work", Attr("data-page", "work")), Header(c),
                                 "<main id=\"work\"><h1>My work</h1>\n");
  absl::StrAppend(&out, "<section aria-labelledby=\"waiting\"><h2 id=\"waiting\">Steps waiting on ",
                  HtmlEscape(c.principal.Label()), " (", waiting.size(), ")</h2>");
  if (waiting.empty()) {
    absl::StrAppend(&out, "<p>Nothing is waiting on you.</p>");
  } else {
    absl::StrAppend(&out, "<div class=\"scroll\"><table class=\"waiting\"><thead><tr>",
                    "<th scope=\"col\">Review</th><th scope=\"col\">Stage</th>",
                    "<th scope=\"col\">Next step</th><th scope=\"col\">Deadline</th></tr>",
                    "</thead><tbody>");
    for (const api::v1::ReviewStatus* s : waiting) {
      const event::v1::ReviewState& r = s->review();
      absl::StrAppend(&out, "<tr", Attr("data-state", r.state()),
                      Attr("data-cycle", std::to_string(r.cycle())), Attr("data-stage", r.stage()),
                      Attr("data-overdue", s->overdue() ? "true" : "false"), "><td><a",
                      Attr("href", absl::StrCat("/reviews/", r.state(), "/", r.cycle())), ">",
                      HtmlEscape(r.state()), " cycle ", r.cycle(), "</a></td><td>",
                      HtmlEscape(r.stage()), "</td><td>", HtmlEscape(s->next_step()), "</td><td>",
                      s->next_deadline().empty() ? "—" : HtmlEscape(s->next_deadline()),
                      s->overdue() ? " <strong class=\"overdue\">overdue</strong>" : "",
                      "</td></tr>");
    }
    absl::StrAppend(&out, "</tbody></table></div>");
  }
  absl::StrAppend(&out, "</section>\n<section aria-labelledby=\"counts\"><h2 id=\"counts\">",
                  "Reviews per stage</h2><div class=\"scroll\"><table class=\"counts\"><thead>",
                  "<tr><th scope=\"col\">Stage</th><th scope=\"col\">Cycle 1</th>",
                  "<th scope=\"col\">Cycle 2</th></tr></thead><tbody>");
  for (const char* stage : kStages) {
    absl::StrAppend(&out, "<tr", Attr("data-stage", stage), "><th scope=\"row\">", stage,
                    "</th>");
    for (int cycle : {1, 2}) {
      auto it = counts.find({cycle, stage});
      const int n = it == counts.end() ? 0 : it->second.first;
      const int late = it == counts.end() ? 0 : it->second.second;
      absl::StrAppend(&out, "<td", Attr("data-cycle", std::to_string(cycle)), ">", n,
                      late ? absl::StrCat(" (", late, " overdue)") : "", "</td>");
    }
    absl::StrAppend(&out, "</tr>");
  }
  absl::StrAppend(&out, "</tbody></table></div></section></main></body></html>\n");
  return out;
}

namespace {

std::string Select(const std::string& name, const std::string& label,
                   const std::vector<std::string>& options, const std::string& chosen) {
  std::string out = absl::StrCat("<p><label for=\"q-", name, "\">", label, "</label><select",
                                 Attr("id", "q-" + name), Attr("name", name),
                                 "><option value=\"\">any</option>");
  for (const std::string& o : options) {
    absl::StrAppend(&out, "<option", Attr("value", o), o == chosen ? " selected" : "", ">",
                    HtmlEscape(o), "</option>");
  }
  return out + "</select></p>";
}

std::string DrawForm(const std::string& command, const std::string& title, bool with_year,
                     const std::string& csrf) {
  const std::string id = command + "-";
  std::string out = absl::StrCat("<form method=\"post\"",
                                 Attr("action", "/console/lots/" + command.substr(5)),
                                 Attr("data-command", command), "><h3>", title, "</h3>",
                                 "<input type=\"hidden\" name=\"csrf\"", Attr("value", csrf), ">");
  auto field = [&](const std::string& name, const std::string& label, const std::string& type,
                   bool required) {
    absl::StrAppend(&out, "<p><label", Attr("for", id + name), ">", label,
                    required ? " (required)" : "", "</label><input", Attr("id", id + name),
                    Attr("name", name), Attr("type", type), required ? " required" : "", "></p>");
  };
  field("cycle", "Cycle (1 or 2)", "number", true);
  if (with_year) field("year", "Review year (1-5)", "number", true);
  field("seed", "Seed (empty: irmd picks and records one)", "number", false);
  field("session", "IRG session number", "number", false);
  field("outside_session", "Reason for drawing outside a session", "text", false);
  field("on", "Business date (default: today)", "date", false);
  absl::StrAppend(&out, "<button type=\"submit\">", title, "</button></form>\n");
  return out;
}

}  // namespace

std::string ReviewsPage(const PageContext& c, const ReviewFilters& f,
                        const std::vector<api::v1::ReviewStatus>& reviews) {
  std::string out = absl::StrCat(Head("Reviews", Attr("data-page", "reviews")), Header(c),
                                 "<main id=\"reviews\"><h1>Reviews</h1>\n");
  absl::StrAppend(&out, "<form method=\"get\" action=\"/reviews\" class=\"filters\" ",
                  "aria-label=\"Filter the reviews\">",
                  Select("cycle", "Cycle", {"1", "2"}, f.cycle),
                  Select("stage", "Stage", std::vector<std::string>(std::begin(kStages),
                                                                    std::end(kStages)),
                         f.stage),
                  Select("region", "Region",
                         {"african", "asia_pacific", "eastern_european",
                          "latin_american_caribbean", "western_european_other"},
                         f.region),
                  "<p><label for=\"q-year\">Review year</label><input id=\"q-year\" name=\"year\" ",
                  "type=\"number\"", Attr("value", f.year), "></p>",
                  "<p><label for=\"q-state\">State (code)</label><input id=\"q-state\" ",
                  "name=\"state\" type=\"text\"", Attr("value", f.state), "></p>",
                  "<p><label for=\"q-as_of\">As of</label><input id=\"q-as_of\" name=\"as_of\" ",
                  "type=\"date\"", Attr("value", f.as_of), "></p>",
                  "<p class=\"check\"><input id=\"q-overdue\" name=\"overdue\" type=\"checkbox\" ",
                  "value=\"1\"", f.overdue ? " checked" : "",
                  "><label for=\"q-overdue\">Overdue only</label></p>",
                  "<button type=\"submit\">Show</button></form>\n");
  absl::StrAppend(&out, "<p>", reviews.size(), " reviews.</p><div class=\"scroll\"><table ",
                  "class=\"reviews\"><thead><tr><th scope=\"col\">Review</th>",
                  "<th scope=\"col\">Region</th><th scope=\"col\">Year</th>",
                  "<th scope=\"col\">Stage</th><th scope=\"col\">Reviewers</th>",
                  "<th scope=\"col\">Next deadline</th></tr></thead><tbody>");
  for (const api::v1::ReviewStatus& s : reviews) {
    const event::v1::ReviewState& r = s.review();
    std::string href = absl::StrCat("/reviews/", r.state(), "/", r.cycle());
    if (!f.as_of.empty()) absl::StrAppend(&href, "?as_of=", f.as_of);
    absl::StrAppend(&out, "<tr", Attr("data-state", r.state()),
                    Attr("data-cycle", std::to_string(r.cycle())), Attr("data-stage", r.stage()),
                    Attr("data-overdue", s.overdue() ? "true" : "false"), "><td><a",
                    Attr("href", href), ">", HtmlEscape(r.state()), " cycle ", r.cycle(),
                    "</a></td><td>", HtmlEscape(r.region()), "</td><td>", r.year(), "</td><td>",
                    HtmlEscape(r.stage()), "</td><td>", HtmlEscape(Reviewers(r)), "</td><td>",
                    HtmlEscape(s.next_deadline()),
                    s.overdue() ? " <strong class=\"overdue\">overdue</strong>" : "",
                    "</td></tr>");
  }
  absl::StrAppend(&out, "</tbody></table></div>\n");
  if (c.principal.role == access::Role::kSecretariat) {
    absl::StrAppend(&out, "<section aria-labelledby=\"draws\" id=\"draws-section\"><h2 ",
                    "id=\"draws\">Draws of lots</h2>",
                    DrawForm("lots-draw-years", "Draw the review years", false, c.csrf),
                    DrawForm("lots-draw", "Draw the reviewers of a review year", true, c.csrf),
                    "</section>\n");
  }
  absl::StrAppend(&out, "</main></body></html>\n");
  return out;
}

namespace {

std::string Codes(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  return codes.empty() ? std::string("—") : HtmlEscape(absl::StrJoin(codes, ", "));
}

std::string Session(int session, const std::string& outside) {
  std::string out = session ? absl::StrCat("IRG session ", session) : "";
  if (!outside.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : "; ", "outside a session: ", outside);
  }
  return out;
}

// One event of the draws page; "" for events that are not about the draws.
std::string DrawEventHtml(const event::v1::EventRecord& e) {
  namespace ev = ::irm::event::v1;
  const bool proto = e.content_type() == ev::CONTENT_TYPE_PROTOBUF;
  std::string head = absl::StrCat("<h2>#", e.position(), " ", HtmlEscape(e.type()));
  if (e.type() == "ReviewScheduled") {
    ev::ReviewScheduled d;
    if (!proto || !d.ParseFromString(e.data())) return "";
    return absl::StrCat(
        "<section class=\"draw\"", Attr("data-type", e.type()),
        Attr("data-position", std::to_string(e.position())),
        Attr("data-seed", std::to_string(d.draw_seed())), ">", head, ": the review year</h2>",
        "<dl class=\"facts\">", Fact("Business date", d.on()),
        Fact("Review year", std::to_string(d.year())),
        Fact("Seed", d.draw_seed() ? std::to_string(d.draw_seed())
                                   : std::string("none (scheduled by hand, not drawn)")),
        Fact("Session", Session(d.session(), d.outside_session_reason())), "</dl></section>\n");
  }
  if (e.type() == "ReviewersDrawn") {
    ev::ReviewersDrawn d;
    if (!proto || !d.ParseFromString(e.data())) return "";
    std::string slot1;
    for (int i = 0; i < d.slot1_candidates_size(); ++i) {
      absl::StrAppend(&slot1, i ? ", " : "", d.slot1_candidates(i));
      if (i < d.slot1_candidate_legal_systems_size()) {
        absl::StrAppend(&slot1, " (", d.slot1_candidate_legal_systems(i), ")");
      }
    }
    return absl::StrCat(
        "<section class=\"draw\"", Attr("data-type", e.type()),
        Attr("data-position", std::to_string(e.position())),
        Attr("data-seed", std::to_string(d.seed())), ">", head, ": round ", d.draw_round(),
        d.slot() ? absl::StrCat(", slot ", d.slot()) : std::string(", both slots"), "</h2>",
        "<dl class=\"facts\">", Fact("Business date", d.on()),
        Fact("Drawn", absl::StrJoin(d.reviewers(), ", ")),
        Fact("Seed", d.seed() ? std::to_string(d.seed())
                              : std::string("none (assigned from a draw made elsewhere)")),
        Fact("Rule", d.draw_rule() == 1 ? "slot 1 has a similar legal system where possible"
                                        : (d.assigned() ? "" : "the lot among eligible States")),
        Fact("Legal systems of the State", d.legal_systems()),
        Fact("Session", Session(d.session(), d.outside_session_reason())), "</dl>",
        "<h3>Slot 1 candidates (same regional group)</h3><p class=\"candidates\" "
        "data-slot=\"1\">",
        slot1.empty() ? "—" : HtmlEscape(slot1), "</p>",
        d.slot1_dissimilar_size() > 0
            ? absl::StrCat("<h3>Left out of slot 1 (legal system not similar)</h3><p>",
                           Codes(d.slot1_dissimilar()), "</p>")
            : "",
        "<h3>Slot 2 candidates (any group)</h3><p class=\"candidates\" data-slot=\"2\">",
        Codes(d.slot2_candidates()), "</p></section>\n");
  }
  std::string facts;
  if (e.type() == "ReviewerRedrawRequested") {
    ev::ReviewerRedrawRequested d;
    if (!proto || !d.ParseFromString(e.data())) return "";
    facts = absl::StrCat(Fact("Business date", d.on()), Fact("Slot", std::to_string(d.slot())),
                         Fact("Reviewer redrawn", d.reviewer()),
                         Fact("Exception by the secretariat",
                              d.by_secretariat_exception() ? "yes" : "no"));
  } else if (e.type() == "ReviewerWithdrew") {
    ev::ReviewerWithdrew d;
    if (!proto || !d.ParseFromString(e.data())) return "";
    facts = absl::StrCat(Fact("Business date", d.on()), Fact("Reviewer", d.reviewer()),
                         Fact("Slot", std::to_string(d.slot())));
  } else if (e.type() == "ReviewDeferred") {
    ev::ReviewDeferred d;
    if (!proto || !d.ParseFromString(e.data())) return "";
    facts = absl::StrCat(Fact("Business date", d.on()),
                         Fact("From year", std::to_string(d.from_year())),
                         Fact("To year", std::to_string(d.to_year())),
                         Fact("Reviewers released", d.reviewers_released() ? "yes" : "no"));
  } else {
    return "";
  }
  return absl::StrCat("<section class=\"draw\"", Attr("data-type", e.type()),
                      Attr("data-position", std::to_string(e.position())), ">", head,
                      "</h2><dl class=\"facts\">", facts, "</dl></section>\n");
}

}  // namespace

std::string DrawsPage(const PageContext& c, const std::string& state, int cycle,
                      const std::vector<event::v1::EventRecord>& events) {
  const std::string review = absl::StrCat("/reviews/", state, "/", cycle);
  std::string out = absl::StrCat(
      Head(absl::StrCat("Draws: ", state, " cycle ", cycle),
           absl::StrCat(Attr("data-page", "draws"), Attr("data-state", state),
                        Attr("data-cycle", std::to_string(cycle)))),
      Header(c), "<main id=\"draws\"><h1>Draws of lots for the review of ", HtmlEscape(state),
      ", cycle ", cycle, "</h1><p><a", Attr("href", review),
      ">Back to the review</a>. Each draw is recorded with its seed and the lists it was drawn "
      "from, so anyone can redo it (docs/workflow.md); the events are those of <code>irm read "
      "review-",
      HtmlEscape(state), "-", cycle, "</code>.</p>\n");
  int shown = 0;
  for (const event::v1::EventRecord& e : events) {
    std::string html = DrawEventHtml(e);
    if (html.empty()) continue;
    ++shown;
    absl::StrAppend(&out, html);
  }
  if (shown == 0) absl::StrAppend(&out, "<p>No draw recorded yet.</p>");
  absl::StrAppend(&out, "</main></body></html>\n");
  return out;
}

std::string AuditPage(const PageContext& c, const CheckpointStatus& st) {
  std::string out = absl::StrCat(Head("Integrity", Attr("data-page", "audit")), Header(c),
                                 "<main id=\"audit\"><h1>Integrity of the log</h1>\n");
  auto hex = [](const std::string& bytes) { return absl::BytesToHexString(bytes); };
  absl::StrAppend(&out, "<dl class=\"facts\">");
  if (st.tree_head_status.ok()) {
    absl::StrAppend(&out, Fact("Events in the log now", std::to_string(st.tree_head.tree_size())),
                    Fact("Current root", hex(st.tree_head.root())));
  } else {
    absl::StrAppend(&out, Fact("Current tree", std::string(st.tree_head_status.message())));
  }
  if (st.checkpoint_status.ok()) {
    const auto& cp = st.checkpoint;
    absl::StrAppend(
        &out, Fact("Latest signed checkpoint", absl::StrCat(cp.tree_size(), " events")),
        Fact("Its root", hex(cp.root())),
        Fact("Signed at", absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                                           absl::FromUnixSeconds(cp.time().seconds()),
                                           absl::UTCTimeZone())),
        Fact("Key", cp.key_id()));
  } else {
    absl::StrAppend(&out, Fact("Latest signed checkpoint",
                               std::string(st.checkpoint_status.message())));
  }
  absl::StrAppend(&out, "<dt>Signature</dt><dd id=\"signature\"",
                  Attr("data-verified", st.signature_status.ok() ? "true" : "false"), ">",
                  st.signature_status.ok()
                      ? absl::StrCat("verified with irmd's public key ", HtmlEscape(st.key_id))
                      : absl::StrCat("not verified: ", HtmlEscape(st.signature_status.message())),
                  "</dd><dt>The current tree extends it</dt><dd id=\"consistency\"",
                  Attr("data-verified", st.consistency_status.ok() ? "true" : "false"), ">",
                  st.consistency_status.ok()
                      ? std::string("yes: a consistency proof to the current root verifies")
                      : absl::StrCat("not shown: ", HtmlEscape(st.consistency_status.message())),
                  "</dd></dl><p>For an independent check, run <code>irm verify --public-key ",
                  "FILE</code> with the key obtained out of band (docs/audit.md).</p>",
                  "</main></body></html>\n");
  return out;
}

std::string MessagePage(const PageContext& c, const std::string& title) {
  return absl::StrCat(Head(title, Attr("data-page", "message")), Header(c),
                      "<main id=\"message\"><h1>", HtmlEscape(title),
                      "</h1><p><a href=\"/work\">My work</a></p></main></body></html>\n");
}

const char* ConsoleContentSecurityPolicy() {
  return "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
         "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
}

}  // namespace irm::services::http
