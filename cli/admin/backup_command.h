// irm admin backup: an online backup of irmd's whole database into a folder on the server.
#ifndef IRM_CLI_ADMIN_BACKUP_COMMAND_H_
#define IRM_CLI_ADMIN_BACKUP_COMMAND_H_

#include "cli/core/command.h"

namespace irm::cli {

void RegisterBackupCommand(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_ADMIN_BACKUP_COMMAND_H_
