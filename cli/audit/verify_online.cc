#include "cli/audit/verify_online.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "cli/audit/kept_checkpoints.h"
#include "engine/audit/ed25519.h"
#include "engine/audit/memory_tree.h"
#include "engine/audit/proof_verifier.h"
#include "engine/common/status_macros.h"

namespace irm::cli {
namespace {

constexpr uint32_t kLeavesPerCall = 10000;

// The verifying key: the user's file, or the server's (announced on `err`).
absl::StatusOr<std::unique_ptr<audit::VerifyingKey>> LoadKey(AuditClient& client,
                                                             const std::string& file,
                                                             std::ostream& err) {
  if (!file.empty()) return audit::VerifyingKey::FromPemFile(file);
  IRM_ASSIGN_OR_RETURN(ServerPublicKey served, client.GetPublicKey());
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<audit::VerifyingKey> key,
                       audit::VerifyingKey::FromPem(served.pem));
  err << "warning: no --public-key given; trusting the server's own key " << key->key_id()
      << " (give --public-key F to check against a key you hold)\n";
  return key;
}

// Downloads leaves [0, size) and hashes them into a tree.
absl::StatusOr<audit::MemoryTree> Download(AuditClient& client, uint64_t size,
                                           std::vector<std::string>* leaves) {
  audit::MemoryTree tree;
  while (tree.size() < size) {
    const uint64_t want = std::min<uint64_t>(kLeavesPerCall, size - tree.size());
    IRM_ASSIGN_OR_RETURN(std::vector<std::string> batch,
                         client.GetLeaves(tree.size(), static_cast<uint32_t>(want)));
    for (std::string& leaf : batch) {
      tree.AppendLeaf(leaf);
      leaves->push_back(std::move(leaf));
    }
  }
  return tree;
}

// True if the recomputed tree's first m leaves are proven a prefix of the tree (size, root).
absl::StatusOr<bool> PrefixMatches(AuditClient& client, const audit::MemoryTree& mine,
                                   uint64_t m, uint64_t size, const audit::Hash& root) {
  IRM_ASSIGN_OR_RETURN(std::vector<audit::Hash> proof, client.GetConsistencyProof(m, size));
  IRM_ASSIGN_OR_RETURN(audit::Hash prefix_root, audit::RootAt(mine, m));
  return audit::VerifyConsistency(m, size, prefix_root, root, proof).ok();
}

// The DataLoss error naming the first position whose stored bytes are not in (size, root).
absl::Status LocateMismatch(AuditClient& client, const audit::MemoryTree& mine, uint64_t size,
                            const audit::Hash& root, const std::string& what) {
  uint64_t lo = 1, hi = size;  // the answer m is in [lo, hi]; prefix m does not match
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    IRM_ASSIGN_OR_RETURN(bool matches, PrefixMatches(client, mine, mid, size, root));
    if (matches) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return absl::DataLossError(absl::StrCat(
      "position ", lo, ": the stored bytes of this event do not match ", what,
      " (the root recomputed from the ", size, " stored events is ", audit::ToHex(mine.Root()),
      ", the checkpoint says ", audit::ToHex(root), "; positions 1..", lo - 1,
      " are proven to match)"));
}

// Positions to prove included: the asked ones, and `samples` spread over [1, size].
std::set<uint64_t> PositionsToProve(const OnlineVerifyOptions& options, uint64_t size) {
  std::set<uint64_t> positions(options.positions.begin(), options.positions.end());
  if (size == 0) return positions;
  for (size_t i = 0; i < options.samples; ++i) {
    positions.insert(1 + (options.samples <= 1 ? 0 : (size - 1) * i / (options.samples - 1)));
  }
  return positions;
}

}  // namespace

absl::StatusOr<VerifyReport> VerifyOnline(AuditClient& client, const OnlineVerifyOptions& options,
                                          std::ostream& err) {
  VerifyReport report;
  IRM_ASSIGN_OR_RETURN(TreeHead head, client.GetTreeHead());
  std::unique_ptr<audit::VerifyingKey> key;
  audit::Checkpoint target;
  std::string what;
  if (head.signing || !options.public_key_file.empty()) {
    IRM_ASSIGN_OR_RETURN(key, LoadKey(client, options.public_key_file, err));
    // Ask for a checkpoint of the whole log now, so that every event is covered.
    IRM_ASSIGN_OR_RETURN(target, head.signing ? client.SignCheckpoint() : client.GetCheckpoint(0));
    IRM_RETURN_IF_ERROR(key->VerifyCheckpoint(target));
    what = absl::StrCat("the signed checkpoint of size ", target.size);
    report.checks.push_back(absl::StrCat("checkpoint of size ", target.size, " signed by key ",
                                         key->key_id(), ": signature OK"));
  } else {
    err << "warning: irmd has no signing key; comparing with its unsigned tree head, which "
           "shows the stored bytes match the server's own tree, not a signed commitment\n";
    target.size = head.size;
    target.root = head.root;
    what = absl::StrCat("the server's tree head of size ", head.size);
  }

  std::vector<std::string> leaves;
  IRM_ASSIGN_OR_RETURN(audit::MemoryTree mine, Download(client, target.size, &leaves));
  report.events = mine.size();
  report.root = mine.Root();
  if (mine.Root() != target.root) {
    return LocateMismatch(client, mine, target.size, target.root, what);
  }
  report.checks.push_back(absl::StrCat("recomputed the root of ", target.size,
                                       " events from their stored bytes: equals ", what));

  if (key) {
    IRM_ASSIGN_OR_RETURN(std::vector<audit::Checkpoint> checkpoints, client.ListCheckpoints());
    const audit::Checkpoint* previous = nullptr;
    uint64_t other_keys = 0;
    for (const audit::Checkpoint& c : checkpoints) {
      if (c.size > target.size) break;  // signed after we started
      if (c.key_id != key->key_id()) {  // an earlier (rotated) key: not ours to trust
        ++other_keys;
        continue;
      }
      IRM_RETURN_IF_ERROR(key->VerifyCheckpoint(c));
      IRM_ASSIGN_OR_RETURN(audit::Hash mine_at, audit::RootAt(mine, c.size));
      if (mine_at != c.root) {
        return LocateMismatch(client, mine, target.size, target.root,
                              absl::StrCat("the signed checkpoint of size ", c.size));
      }
      if (previous != nullptr) {
        IRM_ASSIGN_OR_RETURN(std::vector<audit::Hash> proof,
                             client.GetConsistencyProof(previous->size, c.size));
        IRM_RETURN_IF_ERROR(
            audit::VerifyConsistency(previous->size, c.size, previous->root, c.root, proof));
      }
      previous = &c;
      ++report.checkpoints;
    }
    report.checks.push_back(absl::StrCat(
        report.checkpoints, " stored checkpoints: signatures OK, roots equal the recomputed "
        "tree, each proven consistent with the one before"));
    if (other_keys > 0) {
      report.checks.push_back(absl::StrCat(other_keys, " stored checkpoints signed by other "
                                           "keys were skipped (not signed by the given key)"));
    }
  }

  if (!options.kept.empty()) {
    if (!key) {
      return absl::FailedPreconditionError(
          "kept checkpoints need a public key to check: give --public-key F");
    }
    IRM_RETURN_IF_ERROR(CheckKeptCheckpoints(options.kept, *key, mine, &report.checks));
  }

  for (uint64_t position : PositionsToProve(options, target.size)) {
    if (position == 0 || position > target.size) {
      return absl::InvalidArgumentError(absl::StrCat(
          "position ", position, " is not in the checkpoint of ", target.size,
          " events; give a position from 1 to ", target.size));
    }
    IRM_ASSIGN_OR_RETURN(std::vector<audit::Hash> path,
                         client.GetInclusionProof(position - 1, target.size));
    absl::Status included = audit::VerifyInclusion(
        position - 1, target.size, audit::HashLeaf(leaves[position - 1]), path, target.root);
    if (!included.ok()) {
      return absl::DataLossError(absl::StrCat("position ", position, ": ", included.message()));
    }
    report.checks.push_back(absl::StrCat("event at position ", position, " proven included in ",
                                         what, " (", path.size(), path.size() == 1 ? " hash)" : " hashes)"));
  }
  return report;
}

}  // namespace irm::cli
