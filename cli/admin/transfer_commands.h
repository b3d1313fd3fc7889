// `irm export` and `irm import`: the whole log to and from JSON lines (one event per line,
// in the form of engine/codec/event_json.h).
//
// import appends consecutive events of one stream as one atomic batch (at most
// kImportBatchSize events and kImportBatchBytes, at least one event) with AppendRequest.import set, expecting the stream to be exactly
// where the export had it, so a re-import is a no-op the server reports as already written.
#ifndef IRM_CLI_ADMIN_TRANSFER_COMMANDS_H_
#define IRM_CLI_ADMIN_TRANSFER_COMMANDS_H_

#include <cstddef>
#include <vector>

#include "cli/core/command.h"
#include "irm/api/v1/log.pb.h"

namespace irm::cli {

// At most 127 events and 1 MiB per batch, so that an import also fits a cluster's appends
// (docs/cluster.md: one etcd transaction each).
inline constexpr size_t kImportBatchSize = 127;
// Bytes of events (as exported, counted twice: each event also carries its original
// metadata) per import batch: within irmd's 16 MiB per append, and cluster mode's 1 MiB.
inline constexpr size_t kImportBatchBytes = 1u << 20;

// Adds export and import to `registry`.
void RegisterTransferCommands(CommandRegistry& registry);

// The AppendRequest that re-creates `events`: all of one stream with consecutive revisions,
// not empty. Expects no stream when the first revision is 0, else exactly the revision
// before it; every event keeps its id, type, content type, data, correlation and causation
// ids and custom metadata, and records its original position and metadata in
// imported_from.
api::v1::AppendRequest BuildImportRequest(const std::vector<event::v1::EventRecord>& events);

}  // namespace irm::cli

#endif  // IRM_CLI_ADMIN_TRANSFER_COMMANDS_H_
