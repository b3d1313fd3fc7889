#include "services/server/config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace irm::services {
namespace {

// A word of lowercase letters, digits, '-' and '_' that starts with a letter. Whether it is
// a known key is for the caller to say (with the list of known keys).
bool ValidKey(absl::string_view key) {
  if (key.empty() || !absl::ascii_islower(key[0])) return false;
  for (char c : key) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<ConfigEntry>> ParseConfigText(const std::string& text,
                                                         const std::string& source) {
  std::vector<ConfigEntry> entries;
  std::map<std::string, int> first_line;
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++number;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = absl::StrCat(source, ":", number, ": ");
    size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "expected `key = value`, got '", line, "'"));
    }
    ConfigEntry entry;
    entry.key = std::string(absl::StripAsciiWhitespace(line.substr(0, eq)));
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(eq + 1));
    entry.line = number;
    if (!ValidKey(entry.key)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, "'", entry.key,
          "' is not a key: keys are flag names without dashes, like listen or max-event-bytes"));
    }
    if (!value.empty() && value.front() == '"') {
      if (value.size() < 2 || value.back() != '"') {
        return absl::InvalidArgumentError(
            absl::StrCat(where, "the quoted value of ", entry.key, " has no closing quote"));
      }
      value = value.substr(1, value.size() - 2);
    }
    entry.value = std::string(value);
    if (auto [it, inserted] = first_line.emplace(entry.key, number); !inserted) {
      return absl::InvalidArgumentError(absl::StrCat(where, entry.key, " is already set on line ",
                                                     it->second, "; give each key once"));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::vector<ConfigEntry>> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    std::string message = absl::StrCat("cannot read configuration file ", path, ": ",
                                       std::strerror(error));
    if (error == EACCES) return absl::PermissionDeniedError(message);
    return absl::NotFoundError(message);
  }
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::UnavailableError(absl::StrCat("error reading configuration file ", path));
  }
  return ParseConfigText(text.str(), path);
}

}  // namespace irm::services
