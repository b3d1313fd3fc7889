#include "engine/audit/proof_verifier.h"

#include "absl/strings/str_cat.h"

namespace irm::audit {
namespace {

absl::Status Fail(absl::string_view what) { return absl::DataLossError(what); }

}  // namespace

absl::Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                             const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) {
    return Fail(absl::StrCat("inclusion proof: leaf index ", index,
                             " is not inside a tree of ", size, " leaves"));
  }
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return Fail(absl::StrCat("inclusion proof: ", proof.size(),
                               " hashes is more than a tree of ", size, " leaves needs"));
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = HashChildren(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Fail(absl::StrCat("inclusion proof: ", proof.size(),
                             " hashes is fewer than a tree of ", size, " leaves needs"));
  }
  if (r != root) {
    return Fail(absl::StrCat("inclusion proof: leaf ", index, " with this hash is not in the tree of ",
                             size, " leaves with root ", ToHex(root)));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t first, uint64_t second, const Hash& first_root,
                               const Hash& second_root, const std::vector<Hash>& proof) {
  if (first > second) {
    return Fail(absl::StrCat("consistency proof: a tree of ", first,
                             " leaves cannot be a prefix of one of ", second));
  }
  if (first == second || first == 0) {
    if (!proof.empty()) {
      return Fail(absl::StrCat("consistency proof from ", first, " to ", second,
                               " must be empty, but has ", proof.size(), " hashes"));
    }
    const Hash expected = first == 0 ? EmptyTreeHash() : second_root;
    if (first_root != expected) {
      return Fail(absl::StrCat("consistency: the roots of size ", first, " and ", second,
                               " cannot both hold (", ToHex(first_root), " vs ",
                               ToHex(expected), ")"));
    }
    return absl::OkStatus();
  }
  if (proof.empty()) {
    return Fail(absl::StrCat("consistency proof from ", first, " to ", second, " is empty"));
  }
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if ((first & (first - 1)) == 0) path.push_back(first_root);  // first is a power of two
  path.insert(path.end(), proof.begin(), proof.end());

  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      return Fail(absl::StrCat("consistency proof from ", first, " to ", second, " has ",
                               proof.size(), " hashes, more than it needs"));
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Fail(absl::StrCat("consistency proof from ", first, " to ", second, " has ",
                             proof.size(), " hashes, fewer than it needs"));
  }
  if (fr != first_root) {
    return Fail(absl::StrCat("consistency proof from ", first, " to ", second,
                             " does not lead to the root of size ", first, " (",
                             ToHex(first_root), ")"));
  }
  if (sr != second_root) {
    return Fail(absl::StrCat("consistency proof from ", first, " to ", second,
                             " does not lead to the root of size ", second, " (",
                             ToHex(second_root), ")"));
  }
  return absl::OkStatus();
}

}  // namespace irm::audit
