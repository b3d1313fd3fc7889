// `irm report needs`: the secretariat's tables of technical-assistance needs, from irmd's
// needs projection, as a table, JSON (interface.md), CSV or a self-contained HTML page.
#ifndef IRM_CLI_REPORTS_REPORT_COMMANDS_H_
#define IRM_CLI_REPORTS_REPORT_COMMANDS_H_

#include "cli/core/command.h"

namespace irm::cli {

void RegisterReportCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_REPORTS_REPORT_COMMANDS_H_
