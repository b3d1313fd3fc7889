#include "engine/audit/frontier.h"

#include <bitset>

#include "absl/strings/str_cat.h"

namespace irm::audit {

absl::StatusOr<Frontier> Frontier::FromSubtreeRoots(uint64_t size, std::vector<Hash> roots) {
  const size_t expected = std::bitset<64>(size).count();
  if (roots.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat("a tree of ", size, " leaves has ", expected,
                                                   " perfect subtrees, not ", roots.size()));
  }
  Frontier frontier;
  frontier.size_ = size;
  frontier.roots_ = std::move(roots);
  return frontier;
}

std::vector<TreeNode> Frontier::SubtreesOf(uint64_t size) {
  std::vector<TreeNode> nodes;
  uint64_t begin = 0;
  for (int level = 63; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if (size & width) {
      nodes.push_back(TreeNode{static_cast<uint32_t>(level), begin >> level, Hash{}});
      begin += width;
    }
  }
  return nodes;
}

Hash Frontier::Root() const {
  if (roots_.empty()) return EmptyTreeHash();
  Hash hash = roots_.back();
  for (size_t i = roots_.size() - 1; i-- > 0;) hash = HashChildren(roots_[i], hash);
  return hash;
}

}  // namespace irm::audit
