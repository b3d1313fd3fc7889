#include "cli/audit/kept_checkpoints.h"

#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "nlohmann/json.hpp"

namespace irm::cli {

absl::StatusOr<std::vector<audit::Checkpoint>> ReadKeptCheckpoints(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read kept checkpoints file ", path));
  std::vector<audit::Checkpoint> out;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, " line ", number, ": ", why, "; expected a line of `irm checkpoint --json`"));
    };
    nlohmann::json json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object() || !json["body"].is_string() || !json["signature"].is_string() ||
        !json["key_id"].is_string()) {
      return bad("not a JSON object with body, signature and key_id");
    }
    absl::StatusOr<audit::Checkpoint> checkpoint =
        audit::ParseCheckpointBody(json["body"].get<std::string>());
    if (!checkpoint.ok()) return bad(checkpoint.status().message());
    if (!absl::Base64Unescape(json["signature"].get<std::string>(), &checkpoint->signature)) {
      return bad("the signature is not base64");
    }
    checkpoint->key_id = json["key_id"].get<std::string>();
    out.push_back(std::move(*checkpoint));
  }
  return out;
}

absl::Status CheckKeptCheckpoints(const std::vector<audit::Checkpoint>& kept,
                                  const audit::VerifyingKey& key, const audit::MemoryTree& mine,
                                  std::vector<std::string>* checks) {
  for (const audit::Checkpoint& c : kept) {
    IRM_RETURN_IF_ERROR(key.VerifyCheckpoint(c));
    if (c.size > mine.size()) {
      return absl::DataLossError(absl::StrCat("your kept checkpoint of size ", c.size,
                                              " covers more events than the log now holds (",
                                              mine.size(), "): events were removed"));
    }
    IRM_ASSIGN_OR_RETURN(audit::Hash root, audit::RootAt(mine, c.size));
    if (root != c.root) {
      return absl::DataLossError(absl::StrCat(
          "your kept checkpoint of size ", c.size, " (root ", audit::ToHex(c.root),
          ") does not match the log's first ", c.size, " events (root ", audit::ToHex(root),
          "): history was rewritten since it was signed"));
    }
  }
  if (!kept.empty()) {
    checks->push_back(absl::StrCat(kept.size(),
                                   " kept checkpoints: signatures OK, the log still starts "
                                   "with the events each one signed"));
  }
  return absl::OkStatus();
}

}  // namespace irm::cli
