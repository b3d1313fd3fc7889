#include "engine/access/token_file.h"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "nlohmann/json.hpp"

namespace irm::access {
namespace {

using Json = nlohmann::json;

bool IsHex64(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Field `key` of `entry` as a string; "" when absent.
absl::StatusOr<std::string> StringField(const Json& entry, const char* key,
                                        const std::string& where) {
  auto it = entry.find(key);
  if (it == entry.end()) return std::string();
  if (!it->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": field '", key, "' must be a string"));
  }
  return it->get<std::string>();
}

absl::StatusOr<Principal> ParseEntry(const Json& entry, size_t index, std::string* hash) {
  std::string where = absl::StrCat("principals[", index, "]");
  if (!entry.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": expected an object {\"name\",\"role\",\"state\",\"token_sha256\"}"));
  }
  IRM_ASSIGN_OR_RETURN(std::string name, StringField(entry, "name", where));
  if (!name.empty()) absl::StrAppend(&where, " (\"", name, "\")");
  for (const auto& [key, value] : entry.items()) {
    if (key != "name" && key != "role" && key != "state" && key != "token_sha256") {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": unknown field '", key, "'; fields are name, role, state, token_sha256"));
    }
  }
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": field 'name' is required"));
  }
  IRM_ASSIGN_OR_RETURN(std::string role_name, StringField(entry, "role", where));
  if (role_name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": field 'role' is required (secretariat, focal_point, reviewer, auditor, "
               "observer)"));
  }
  absl::StatusOr<Role> role = ParseRole(role_name);
  if (!role.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": field 'role': ", role.status().message()));
  }
  IRM_ASSIGN_OR_RETURN(std::string state, StringField(entry, "state", where));
  if (RoleHasState(*role)) {
    if (state.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": field 'state' is required for role ", role_name,
                       " (an ISO 3166 alpha-3 code of a State party, e.g. \"KEN\")"));
    }
    if (!domain::FindStateParty(state).ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": field 'state': '", state,
                       "' is not a State party's ISO 3166 alpha-3 code (e.g. \"KEN\")"));
    }
  } else if (!state.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": field 'state' is only for focal_point and reviewer, not ", role_name));
  }
  IRM_ASSIGN_OR_RETURN(std::string token_hash, StringField(entry, "token_sha256", where));
  if (!IsHex64(token_hash)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": field 'token_sha256' must be 64 hex digits (the SHA-256 of the token, e.g. "
               "from `printf %s TOKEN | sha256sum`)"));
  }
  *hash = absl::AsciiStrToLower(token_hash);
  Principal principal;
  principal.name = std::move(name);
  principal.role = *role;
  principal.state = std::move(state);
  return principal;
}

}  // namespace

std::string Sha256Hex(absl::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

const Principal* PrincipalTable::FindByToken(absl::string_view token) const {
  if (token.empty()) return nullptr;
  return FindByHash(Sha256Hex(token));
}

const Principal* PrincipalTable::FindByHash(absl::string_view sha256_hex) const {
  auto it = by_hash_.find(sha256_hex);
  return it == by_hash_.end() ? nullptr : &it->second;
}

absl::StatusOr<PrincipalTable> ParseTokenFile(absl::string_view json_text) {
  Json root = Json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) {
    return absl::InvalidArgumentError(
        "not valid JSON; expected {\"principals\":[{\"name\":..,\"role\":..,\"state\":..,"
        "\"token_sha256\":..}, ...]}");
  }
  if (!root.is_object() || !root.contains("principals") || !root["principals"].is_array()) {
    return absl::InvalidArgumentError(
        "expected an object with an array 'principals': {\"principals\":[...]}");
  }
  PrincipalTable table;
  const Json& entries = root["principals"];
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string hash;
    IRM_ASSIGN_OR_RETURN(Principal principal, ParseEntry(entries[i], i, &hash));
    if (const Principal* other = table.FindByHash(hash)) {
      return absl::InvalidArgumentError(
          absl::StrCat("principals[", i, "] (\"", principal.name,
                       "\"): field 'token_sha256' is the same as that of \"", other->name,
                       "\"; every principal needs its own token"));
    }
    table.by_hash_.emplace(std::move(hash), std::move(principal));
  }
  return table;
}

absl::StatusOr<PrincipalTable> LoadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read auth file ", path));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<PrincipalTable> table = ParseTokenFile(text.str());
  if (!table.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth file ", path, ": ", table.status().message()));
  }
  return table;
}

}  // namespace irm::access
