#include "engine/audit/checkpoint.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace irm::audit {
namespace {

constexpr char kTimeFormat[] = "%Y-%m-%d%ET%H:%M:%E6SZ";

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("not a checkpoint body: ", what,
                   "; expected the lines 'irm', SIZE, BASE64-ROOT, 'time RFC3339-UTC'"));
}

}  // namespace

absl::Time TruncateToMicros(absl::Time time) {
  return absl::FromUnixMicros(absl::ToUnixMicros(time));
}

std::string Checkpoint::Body() const {
  return absl::StrCat(kCheckpointOrigin, "\n", size, "\n", ToBase64(root), "\n", "time ",
                      absl::FormatTime(kTimeFormat, time, absl::UTCTimeZone()), "\n");
}

absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body) {
  if (body.empty() || body.back() != '\n') return Malformed("it does not end in a newline");
  std::vector<absl::string_view> lines = absl::StrSplit(body.substr(0, body.size() - 1), '\n');
  if (lines.size() != 4) return Malformed(absl::StrCat("it has ", lines.size(), " lines, not 4"));
  if (lines[0] != kCheckpointOrigin) return Malformed(absl::StrCat("origin '", lines[0], "'"));
  Checkpoint checkpoint;
  if (!absl::SimpleAtoi(lines[1], &checkpoint.size)) {
    return Malformed(absl::StrCat("size '", lines[1], "'"));
  }
  std::optional<Hash> root = HashFromBase64(lines[2]);
  if (!root.has_value()) return Malformed(absl::StrCat("root '", lines[2], "'"));
  checkpoint.root = *root;
  if (!absl::ConsumePrefix(&lines[3], "time ")) return Malformed("no 'time ' line");
  std::string error;
  if (!absl::ParseTime(kTimeFormat, lines[3], absl::UTCTimeZone(), &checkpoint.time, &error)) {
    return Malformed(absl::StrCat("time '", lines[3], "': ", error));
  }
  if (checkpoint.Body() != body) return Malformed("it is not in canonical form");
  return checkpoint;
}

std::string EncodeStoredCheckpoint(const Checkpoint& checkpoint) {
  std::string out = checkpoint.Body();
  if (checkpoint.is_signed()) {
    absl::StrAppend(&out, "signature ", checkpoint.key_id, " ",
                    absl::Base64Escape(checkpoint.signature), "\n");
  }
  return out;
}

absl::StatusOr<Checkpoint> DecodeStoredCheckpoint(absl::string_view bytes) {
  // The body is the first four lines.
  size_t end = 0;
  for (int i = 0; i < 4; ++i) {
    end = bytes.find('\n', end);
    if (end == absl::string_view::npos) {
      return absl::DataLossError("a stored checkpoint is truncated");
    }
    ++end;
  }
  absl::StatusOr<Checkpoint> checkpoint = ParseCheckpointBody(bytes.substr(0, end));
  if (!checkpoint.ok()) {
    return absl::DataLossError(absl::StrCat("a stored checkpoint is damaged: ",
                                            checkpoint.status().message()));
  }
  absl::string_view rest = bytes.substr(end);
  if (rest.empty()) return checkpoint;
  std::vector<absl::string_view> words = absl::StrSplit(rest, ' ');
  if (words.size() != 3 || words[0] != "signature" || words[2].empty() ||
      words[2].back() != '\n' ||
      !absl::Base64Unescape(words[2].substr(0, words[2].size() - 1), &checkpoint->signature)) {
    return absl::DataLossError("a stored checkpoint's signature line is damaged");
  }
  checkpoint->key_id = std::string(words[1]);
  return checkpoint;
}

}  // namespace irm::audit
