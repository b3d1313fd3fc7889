// ConsoleForms: which steps the console offers a principal on a review, and their fields.
//
// The catalogue names each command as `irm` does (`launch`, `focal-point`, `need-add`, ...)
// and each field as the CLI flag without its leading dashes, inner dashes as underscores
// (`checklist_due`, `on_behalf_of`). FormsFor() lists the steps the review's stage allows next
// (the order of engine/review/review_rules.cc's AllowedNext) that the principal may give
// (engine/access/authorize.h's AuthorizeReviewCommand and AuthorizeAgreement): the same rules
// the gRPC side enforces, used here only to choose what to show. Whatever is shown, the
// command itself is judged again by irmd's ReviewService when it is submitted.
//
// Pure functions over constant data; thread-safe.
#ifndef IRM_SERVICES_HTTP_CONSOLE_CONSOLE_FORMS_H_
#define IRM_SERVICES_HTTP_CONSOLE_CONSOLE_FORMS_H_

#include <string>
#include <utility>
#include <vector>

#include "engine/access/principal.h"
#include "irm/event/v1/review_state.pb.h"

namespace irm::services::http {

struct FormField {
  std::string name;   // "checklist_due"
  std::string label;  // "Checklist due"
  std::string type;   // "date", "text", "email", "number", "checkbox", "select"
  bool required = false;
  std::vector<std::string> options = {};  // "select": the values offered (the CLI's words)
};

// One command of the catalogue.
struct CommandSpec {
  std::string name;        // "focal-point": the irm word(s) joined by dashes
  std::string proto_name;  // "focal_point": the ReviewCommand oneof field (authorize.h)
  std::string label;       // the button's text
  std::vector<FormField> fields;  // besides `on` and `on_behalf_of`
  // A record beside the review's stages (needs, outcomes, recommendations' status): never
  // counted as a step waiting on the principal (My work).
  bool records_only = false;
  // `on` is required (as the CLI's `irm recommendation status --on`).
  bool on_required = false;
};

// The command named `name`, or nullptr.
const CommandSpec* FindCommand(const std::string& name);
// Every command the console can submit, for messages: "launch, focal-point, ...".
std::string CommandNames();

// One form to show: a command, with fields fixed by the page (hidden inputs).
struct CommandForm {
  const CommandSpec* spec = nullptr;
  std::vector<std::pair<std::string, std::string>> fixed;  // e.g. {"party","state"}
  std::string note;             // e.g. "the State under review (KEN)"
  bool on_behalf_field = false;  // the secretariat may record it for someone
  // Choices this review offers for a field (its need ids, its recommendations' ids): the
  // field is then a select of these.
  std::vector<std::pair<std::string, std::vector<std::string>>> choices = {};
};

// The forms `principal` may submit now on `review` (a review the principal may read).
std::vector<CommandForm> FormsFor(const access::Principal& principal,
                                  const event::v1::ReviewState& review);

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONSOLE_CONSOLE_FORMS_H_
