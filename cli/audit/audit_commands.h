// `irm checkpoint` and `irm verify`: the auditor's commands (docs/audit.md).
//
//   irm checkpoint [--size N | --sign | --list] [--public-key F]
//       the latest (or given) signed checkpoint: size, root, time, key id, signature; with
//       --public-key the signature is verified. --json prints one object per checkpoint.
//   irm verify [--public-key F] [--event POSITION]... [--samples N]
//       online: see verify_online.h
//   irm verify --data DIR [--public-key F]
//       offline, on a stopped server's folder: see verify_offline.h
//
// verify prints its checks, then "OK: N events, root HEX"; on a mismatch it fails with
// DATA_LOSS naming the first position whose stored bytes do not match (exit 1).
#ifndef IRM_CLI_AUDIT_AUDIT_COMMANDS_H_
#define IRM_CLI_AUDIT_AUDIT_COMMANDS_H_

#include "cli/core/command.h"

namespace irm::cli {

void RegisterAuditCommands(CommandRegistry& registry);

}  // namespace irm::cli

#endif  // IRM_CLI_AUDIT_AUDIT_COMMANDS_H_
