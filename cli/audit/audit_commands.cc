#include "cli/audit/audit_commands.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cli/audit/audit_client.h"
#include "cli/core/cli_status.h"
#include "cli/audit/kept_checkpoints.h"
#include "cli/audit/verify_offline.h"
#include "cli/audit/verify_online.h"
#include "engine/audit/ed25519.h"
#include "engine/codec/event_json.h"
#include "engine/common/status_macros.h"

namespace irm::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string TimeText(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E6SZ", time, absl::UTCTimeZone());
}

Json CheckpointJson(const audit::Checkpoint& c, const std::string& verified) {
  Json json = Json::object();
  json["tree_size"] = c.size;
  json["root"] = audit::ToHex(c.root);
  json["root_base64"] = audit::ToBase64(c.root);
  json["time"] = TimeText(c.time);
  json["key_id"] = c.key_id;
  json["signature"] = absl::Base64Escape(c.signature);
  json["body"] = c.Body();
  json["signature_verified"] = verified;
  return json;
}

void PrintCheckpoint(std::ostream& out, const audit::Checkpoint& c, const std::string& verified) {
  out << "checkpoint of " << c.size << " event" << (c.size == 1 ? "" : "s") << "\n"
      << "  root       " << audit::ToHex(c.root) << "\n"
      << "  time       " << TimeText(c.time) << "\n"
      << "  key id     " << c.key_id << "\n"
      << "  signature  " << absl::Base64Escape(c.signature) << "\n"
      << "  verified   " << verified << "\n";
}

absl::Status RunCheckpoint(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> size, env.args.Uint64("size"));
  const bool sign = env.args.Has("sign");
  const bool list = env.args.Has("list");
  if (static_cast<int>(size.has_value()) + sign + list > 1) {
    return UsageError("give at most one of --size, --sign and --list; see 'irm checkpoint --help'");
  }
  std::unique_ptr<audit::VerifyingKey> key;
  if (std::optional<std::string> file = env.args.Value("public-key")) {
    IRM_ASSIGN_OR_RETURN(key, audit::VerifyingKey::FromPemFile(*file));
  }
  IRM_ASSIGN_OR_RETURN(std::unique_ptr<AuditClient> client, AuditClient::Connect(env.connection));
  std::vector<audit::Checkpoint> checkpoints;
  if (list) {
    IRM_ASSIGN_OR_RETURN(checkpoints, client->ListCheckpoints());
  } else {
    IRM_ASSIGN_OR_RETURN(audit::Checkpoint c,
                         sign ? client->SignCheckpoint() : client->GetCheckpoint(size.value_or(0)));
    checkpoints.push_back(std::move(c));
  }
  absl::Status first_failure;
  for (const audit::Checkpoint& c : checkpoints) {
    std::string verified = "no (give --public-key F to verify the signature)";
    if (key) {
      absl::Status s = key->VerifyCheckpoint(c);
      verified = s.ok() ? absl::StrCat("yes, with key ", key->key_id())
                        : absl::StrCat("NO: ", s.message());
      if (!s.ok() && first_failure.ok()) first_failure = s;
    }
    if (env.json()) {
      env.out << codec::DumpCompact(CheckpointJson(c, verified)) << "\n";
    } else {
      PrintCheckpoint(env.out, c, verified);
    }
  }
  if (!list && !size.has_value() && !env.json()) {
    absl::StatusOr<TreeHead> head = client->GetTreeHead();
    if (head.ok() && head->size > checkpoints.back().size) {
      env.out << "the log has grown to " << head->size
              << " events since; `irm checkpoint --sign` signs them now\n";
    }
  }
  return first_failure;
}

absl::Status RunVerify(CommandEnv& env) {
  VerifyReport report;
  const std::string public_key = env.args.Value("public-key").value_or("");
  std::vector<audit::Checkpoint> kept;
  for (const std::string& file : env.args.Values("checkpoint")) {
    IRM_ASSIGN_OR_RETURN(std::vector<audit::Checkpoint> more, ReadKeptCheckpoints(file));
    kept.insert(kept.end(), more.begin(), more.end());
  }
  if (!kept.empty() && public_key.empty()) {
    return UsageError("--checkpoint needs --public-key F: a kept checkpoint is only worth the key that checks it");
  }
  if (std::optional<std::string> dir = env.args.Value("data")) {
    if (env.args.Has("event")) {
      return UsageError("--event needs a running irmd; offline --data checks every event anyway");
    }
    IRM_ASSIGN_OR_RETURN(report, VerifyOffline(*dir, public_key, kept, env.err));
  } else {
    OnlineVerifyOptions options;
    options.public_key_file = public_key;
    options.kept = kept;
    for (const std::string& text : env.args.Values("event")) {
      uint64_t position = 0;
      if (!absl::SimpleAtoi(text, &position) || position == 0) {
        return UsageError(absl::StrCat("--event '", text, "' is not a log position (1, 2, ...)"));
      }
      options.positions.push_back(position);
    }
    IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> samples, env.args.Uint64("samples"));
    if (samples.has_value()) options.samples = *samples;
    IRM_ASSIGN_OR_RETURN(std::unique_ptr<AuditClient> client, AuditClient::Connect(env.connection));
    IRM_ASSIGN_OR_RETURN(report, VerifyOnline(*client, options, env.err));
  }
  if (env.json()) {
    Json json = Json::object();
    json["ok"] = true;
    json["events"] = report.events;
    json["root"] = audit::ToHex(report.root);
    json["checkpoints"] = report.checkpoints;
    json["checks"] = report.checks;
    env.out << codec::DumpCompact(json) << "\n";
    return absl::OkStatus();
  }
  for (const std::string& check : report.checks) env.out << "  " << check << "\n";
  env.out << "OK: " << report.events << " events, root " << audit::ToHex(report.root) << "\n";
  return absl::OkStatus();
}

}  // namespace

void RegisterAuditCommands(CommandRegistry& registry) {
  registry.Add(Command{
      "checkpoint",
      "",
      "Show the latest signed checkpoint of the log's Merkle tree",
      "A checkpoint is irmd's Ed25519 signature over the tree size, root and time (the\n"
      "signed body is printed by --json; docs/audit.md gives its format). --sign asks irmd to\n"
      "sign the current tree now; --list shows every stored checkpoint. With --public-key F\n"
      "the signature is verified here and a bad one exits 1 (DATA_LOSS).",
      {{"size", "N", "the checkpoint of tree size N instead of the latest"},
       {"sign", "", "sign the current tree now and show that checkpoint"},
       {"list", "", "every stored checkpoint, by size"},
       {"public-key", "F", "Ed25519 public key PEM to verify signatures with"}},
      {"irm checkpoint", "irm checkpoint --public-key irmd-pub.pem --json",
       "irm checkpoint --list"},
      0,
      0,
      RunCheckpoint,
  });
  registry.Add(Command{
      "verify",
      "",
      "Check the log against its signed checkpoints: OK, or the first bad position",
      "Online: verifies the latest checkpoint's signature (with --public-key F, or else the\n"
      "server's own key, with a warning), downloads every event's stored bytes, recomputes\n"
      "the RFC 6962 root and compares it with the signed root; checks every stored checkpoint\n"
      "and the consistency proofs between them; and checks inclusion proofs for --event\n"
      "positions and --samples more. It computes and verifies everything itself.\n"
      "Offline (--data DIR, irmd stopped): recomputes the tree from the folder's events and\n"
      "compares it with the stored tree and the signed checkpoints.\n"
      "--checkpoint FILE checks checkpoints you kept yourself, which a server that rewrote\n"
      "and re-signed its history cannot replace.\n"
      "Prints 'OK: N events, root HEX', or fails with DATA_LOSS naming the first position\n"
      "whose stored bytes do not match (exit 1).",
      {{"public-key", "F", "Ed25519 public key PEM of irmd's --signing-key"},
       {"event", "POSITION", "prove this event included in the checkpoint (repeatable)"},
       {"samples", "N", "also prove N positions spread over the log (default 8)"},
       {"data", "DIR", "verify a stopped irmd's data folder offline"},
       {"checkpoint", "FILE",
        "checkpoints you kept (lines of `irm checkpoint --json`): the log must still match "
        "them (repeatable)"}},
      {"irm verify --public-key irmd-pub.pem", "irm verify --event 41 --event 42",
       "irm verify --data /var/lib/irm --public-key irmd-pub.pem"},
      0,
      0,
      RunVerify,
  });
}

}  // namespace irm::cli
