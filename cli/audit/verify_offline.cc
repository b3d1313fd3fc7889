#include "cli/audit/verify_offline.h"

#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "cli/audit/kept_checkpoints.h"
#include "engine/audit/ed25519.h"
#include "engine/audit/memory_tree.h"
#include "engine/common/status_macros.h"
#include "engine/store/offline_folder.h"

namespace irm::cli {
namespace {

// Hashes every stored event, in position order, checking each against the stored leaf node.
absl::Status Recompute(store::OfflineFolder& folder, audit::MemoryTree* mine) {
  const uint64_t stored_size = folder.stored_tree_size();
  return folder.ForEachEvent([&](uint64_t position, absl::string_view bytes) -> absl::Status {
    const audit::Hash leaf = audit::HashLeaf(bytes);
    if (position <= stored_size) {
      IRM_ASSIGN_OR_RETURN(audit::Hash stored_leaf, folder.store().Node(0, position - 1));
      if (stored_leaf != leaf) {
        return absl::DataLossError(absl::StrCat(
            "position ", position, ": the stored bytes of this event do not match the leaf "
            "hash recorded when it was written (recorded ", audit::ToHex(stored_leaf),
            ", the bytes hash to ", audit::ToHex(leaf), ")"));
      }
    }
    mine->AppendLeafHash(leaf);
    return absl::OkStatus();
  });
}

// Every stored node equals the recomputed one.
absl::Status CompareNodes(store::OfflineFolder& folder, const audit::MemoryTree& mine) {
  return folder.ForEachNode(
      [&](uint32_t level, uint64_t index, absl::string_view hash) -> absl::Status {
        absl::StatusOr<audit::Hash> expected = mine.Node(level, index);
        if (!expected.ok() || audit::AsBytes(*expected) != hash) {
          const uint64_t first = (index << level) + 1;
          return absl::DataLossError(absl::StrCat(
              "the stored Merkle tree node over positions ", first, "..",
              first + (uint64_t{1} << level) - 1,
              " differs from the tree of the stored events"));
        }
        return absl::OkStatus();
      });
}

}  // namespace

absl::StatusOr<VerifyReport> VerifyOffline(const std::string& dir,
                                           const std::string& public_key_file,
                                           const std::vector<audit::Checkpoint>& kept,
                                           std::ostream& err) {
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<store::OfflineFolder> folder,
                       store::OfflineFolder::Open(dir));
  const uint64_t stored_size = folder->stored_tree_size();
  audit::AuditStore& stored = folder->store();

  VerifyReport report;
  audit::MemoryTree mine;
  IRM_RETURN_IF_ERROR(Recompute(*folder, &mine));
  report.events = mine.size();
  report.root = mine.Root();
  if (stored_size != mine.size()) {
    return absl::DataLossError(absl::StrCat("the folder holds ", mine.size(),
                                            " events but its Merkle tree has ", stored_size,
                                            " leaves"));
  }
  report.checks.push_back(absl::StrCat("each of the ", mine.size(),
                                       " stored events hashes to the leaf recorded when it was written"));
  IRM_RETURN_IF_ERROR(CompareNodes(*folder, mine));
  report.checks.push_back("every stored tree node equals the one recomputed from the events");

  IRM_ASSIGN_OR_RETURN(std::vector<audit::Checkpoint> checkpoints,
                       stored.ListCheckpoints(0, UINT32_MAX));
  std::map<std::string, std::unique_ptr<audit::VerifyingKey>> keys;
  std::unique_ptr<audit::VerifyingKey> given;
  if (!public_key_file.empty()) {
    IRM_ASSIGN_OR_RETURN(given, audit::VerifyingKey::FromPemFile(public_key_file));
  }
  uint64_t last_good = 0;
  uint64_t other_keys = 0;
  for (const audit::Checkpoint& c : checkpoints) {
    const audit::VerifyingKey* key = given.get();
    if (key != nullptr && c.key_id != key->key_id()) {  // an earlier (rotated) key
      ++other_keys;
      continue;
    }
    if (key == nullptr) {
      auto& cached = keys[c.key_id];
      if (!cached) {
        IRM_ASSIGN_OR_RETURN(std::optional<std::string> pem, stored.PublicKey(c.key_id));
        if (!pem.has_value()) {
          return absl::DataLossError(absl::StrCat("the checkpoint of size ", c.size,
                                                  " names key ", c.key_id,
                                                  ", which is not in the folder; give --public-key F"));
        }
        IRM_ASSIGN_OR_RETURN(cached, audit::VerifyingKey::FromPem(*pem));
        err << "warning: no --public-key given; trusting the public key " << c.key_id
            << " stored in the data folder\n";
      }
      key = cached.get();
    }
    IRM_RETURN_IF_ERROR(key->VerifyCheckpoint(c));
    if (c.size > mine.size()) {
      return absl::DataLossError(absl::StrCat("the signed checkpoint of size ", c.size,
                                              " covers more events than the folder holds (",
                                              mine.size(), "): events were removed"));
    }
    IRM_ASSIGN_OR_RETURN(audit::Hash mine_at, audit::RootAt(mine, c.size));
    if (mine_at != c.root) {
      return absl::DataLossError(absl::StrCat(
          "the stored events differ from the signed checkpoint of size ", c.size,
          " somewhere in positions ", last_good + 1, "..", c.size,
          " (the stored tree was rewritten to match, so the leaf check could not name one)"));
    }
    last_good = c.size;
    ++report.checkpoints;
  }
  if (checkpoints.empty()) {
    report.checks.push_back("no signed checkpoints are stored (irmd ran without --signing-key)");
  } else {
    report.checks.push_back(absl::StrCat(report.checkpoints,
                                         " signed checkpoints: signatures OK, roots equal the "
                                         "recomputed tree (latest of size ",
                                         checkpoints.back().size, ")"));
  }
  if (other_keys > 0) {
    if (report.checkpoints == 0) {
      return absl::DataLossError(absl::StrCat("none of the ", other_keys,
                                              " stored checkpoints is signed by the given key ",
                                              given->key_id(), " (the first is signed by ",
                                              checkpoints.front().key_id, ")"));
    }
    report.checks.push_back(absl::StrCat(other_keys, " signed checkpoints of other keys were "
                                         "skipped (not signed by the given key)"));
  }
  if (!kept.empty()) {
    if (!given) {
      return absl::FailedPreconditionError(
          "kept checkpoints need a public key to check: give --public-key F");
    }
    IRM_RETURN_IF_ERROR(CheckKeptCheckpoints(kept, *given, mine, &report.checks));
  }
  return report;
}

}  // namespace irm::cli
