#include "tests/merkle_check.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "tests/support/run_irm.h"

namespace irm::tests {
namespace {

std::string Describe(const IrmResult& result) {
  std::ostringstream text;
  text << result;
  return text.str();
}

}  // namespace

absl::StatusOr<SigningKeyFiles> MakeSigningKey(const std::string& dir) {
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  SigningKeyFiles files{dir + "/irmd-key.pem", dir + "/irmd-pub.pem"};
  const std::string command =
      absl::StrCat("openssl genpkey -algorithm ed25519 -out '", files.private_key,
                   "' && openssl pkey -in '", files.private_key, "' -pubout -out '",
                   files.public_key, "'");
  if (std::system(command.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("could not make a signing key: ", command));
  }
  return files;
}

absl::StatusOr<SignedServer> MakeSignedServer(const std::string& dir) {
  absl::StatusOr<SigningKeyFiles> keys = MakeSigningKey(dir + "/keys");
  if (!keys.ok()) return keys.status();
  SignedServer server;
  server.keys = *keys;
  server.irmd_args = {"--signing-key", keys->private_key, "--checkpoint-interval", "100ms"};
  server.kept_file = dir + "/kept-checkpoints.jsonl";
  return server;
}

absl::Status VerifyMerkle(const std::string& address, const std::string& public_key,
                          uint64_t head, const std::string& kept_file) {
  std::vector<std::string> args = {"verify", "--public-key", public_key, "--json"};
  if (!kept_file.empty() && std::filesystem::exists(kept_file)) {
    args.push_back("--checkpoint");
    args.push_back(kept_file);
  }
  IrmResult verify = RunIrm(address, args);
  if (verify.exit_code != 0) {
    return absl::DataLossError(absl::StrCat("irm verify failed: ", Describe(verify)));
  }
  nlohmann::json report = nlohmann::json::parse(verify.out, nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded() || !report.contains("events")) {
    return absl::InternalError(absl::StrCat("irm verify --json printed no report: ",
                                            Describe(verify)));
  }
  const uint64_t events = report["events"].get<uint64_t>();
  if (events != head) {
    return absl::DataLossError(absl::StrCat("irm verify checked a tree of ", events,
                                            " events, but the log's head is ", head, ": ",
                                            Describe(verify)));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> KeepCheckpoint(const std::string& address,
                                        const std::string& kept_file) {
  IrmResult signed_now = RunIrm(address, {"checkpoint", "--sign", "--json"});
  if (signed_now.exit_code != 0) {
    return absl::UnavailableError(absl::StrCat("irm checkpoint --sign failed: ",
                                               Describe(signed_now)));
  }
  const std::string line(absl::StripAsciiWhitespace(signed_now.out));
  nlohmann::json checkpoint = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (checkpoint.is_discarded() || !checkpoint.contains("tree_size")) {
    return absl::InternalError(absl::StrCat("irm checkpoint --json printed no checkpoint: ",
                                            Describe(signed_now)));
  }
  std::ofstream out(kept_file, std::ios::app);
  out << line << "\n";
  if (!out.flush()) return absl::InternalError(absl::StrCat("could not write ", kept_file));
  return checkpoint["tree_size"].get<uint64_t>();
}

}  // namespace irm::tests
