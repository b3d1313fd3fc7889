// irm: the command-line client of irmd. See interface.md for the command surface and
// `irm --help` for the commands this build has.
#include <iostream>
#include <string>
#include <vector>

#include "cli/admin/admin_commands.h"
#include "cli/audit/audit_commands.h"
#include "cli/admin/backup_command.h"
#include "cli/core/command.h"
#include "cli/core/completion.h"
#include "cli/review/irg_commands.h"
#include "cli/log/log_commands.h"
#include "cli/review/need_lots_commands.h"
#include "cli/review/outcome_commands.h"
#include "cli/review/question_commands.h"
#include "cli/reports/report_commands.h"
#include "cli/review/review_commands.h"
#include "cli/admin/sample_commands.h"
#include "cli/review/states_command.h"
#include "cli/log/subscribe_command.h"
#include "cli/admin/transfer_commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  irm::cli::CommandRegistry registry;
  irm::cli::RegisterLogCommands(registry);
  irm::cli::RegisterSubscribeCommand(registry);
  irm::cli::RegisterTransferCommands(registry);
  irm::cli::RegisterAdminCommands(registry);
  irm::cli::RegisterBackupCommand(registry);
  irm::cli::RegisterReviewCommands(registry);
  irm::cli::RegisterNeedLotsCommands(registry);
  irm::cli::RegisterOutcomeCommands(registry);
  irm::cli::RegisterIrgCommands(registry);
  irm::cli::RegisterQuestionCommands(registry);
  irm::cli::RegisterReportCommands(registry);
  irm::cli::RegisterSampleCommands(registry);
  irm::cli::RegisterStatesCommand(registry);
  irm::cli::RegisterAuditCommands(registry);
  irm::cli::RegisterCompletionCommand(registry);  // last: it lists the commands above
  std::vector<std::string> args(argv + 1, argv + argc);
  return registry.Run(args, std::cout, std::cerr);
}
