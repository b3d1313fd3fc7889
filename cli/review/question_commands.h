// The questions about reviews, answered by ReviewService reads (never writing):
//
//   irm status STATE [--cycle C] [--as-of POSITION|DATE]   a card per review (both cycles
//                                                          without --cycle)
//   irm reviews [--cycle C] [--stage S] [--region R] [--year Y] [--state S] [--overdue]
//               [--as-of DATE]                             an aligned table and a count
//   irm pipeline [--cycle C] [--by region|year] [--as-of DATE]  stage counts per cycle
//   irm profile STATE                                      both reviews and open needs
//
// With --json, status and reviews print one review object per line (review_text.h), the
// pipeline one object per row, the profile one object.
#ifndef IRM_CLI_REVIEW_QUESTION_COMMANDS_H_
#define IRM_CLI_REVIEW_QUESTION_COMMANDS_H_

#include "cli/core/command.h"

namespace irm::cli {

// Adds "status", "reviews", "pipeline" and "profile" to `registry`.
void RegisterQuestionCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_REVIEW_QUESTION_COMMANDS_H_
