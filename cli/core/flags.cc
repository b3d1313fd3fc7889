#include "cli/core/flags.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/core/cli_status.h"

namespace irm::cli {
namespace {

const FlagSpec* FindSpec(const std::vector<FlagSpec>& specs, absl::string_view name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

absl::Status UnknownFlag(absl::string_view flag, absl::string_view command) {
  return UsageError(
      absl::StrCat("unknown flag ", flag, " for '", command, "'; see '", command, " --help'"));
}

}  // namespace

bool ParsedArgs::Has(absl::string_view flag) const { return values_.find(flag) != values_.end(); }

std::optional<std::string> ParsedArgs::Value(absl::string_view flag) const {
  auto it = values_.find(flag);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::Values(absl::string_view flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<std::optional<uint64_t>> ParsedArgs::Uint64(absl::string_view flag) const {
  std::optional<std::string> text = Value(flag);
  if (!text.has_value()) return std::optional<uint64_t>();
  uint64_t value = 0;
  if (text->empty() || !absl::ascii_isdigit(static_cast<unsigned char>((*text)[0])) ||
      !absl::SimpleAtoi(*text, &value)) {
    return UsageError(
        absl::StrCat("--", flag, " expects a non-negative integer, got '", *text, "'"));
  }
  return std::optional<uint64_t>(value);
}

absl::StatusOr<ParsedArgs> ParseFlags(const std::vector<std::string>& args,
                                      const std::vector<FlagSpec>& specs,
                                      absl::string_view command) {
  ParsedArgs parsed;
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_done || arg == "-" || !absl::StartsWith(arg, "-")) {
      parsed.AddPositional(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    if (arg == "-h") {
      if (FindSpec(specs, "help") == nullptr) return UnknownFlag(arg, command);
      parsed.AddValue("help", "true");
      continue;
    }
    if (!absl::StartsWith(arg, "--")) return UnknownFlag(arg, command);
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) return UnknownFlag(absl::StrCat("--", name), command);
    if (spec->value_name.empty()) {
      if (inline_value.has_value()) {
        return UsageError(absl::StrCat("--", name, " takes no value; see '", command, " --help'"));
      }
      parsed.AddValue(name, "true");
    } else if (inline_value.has_value()) {
      parsed.AddValue(name, *inline_value);
    } else if (i + 1 < args.size()) {
      parsed.AddValue(name, args[++i]);
    } else {
      return UsageError(absl::StrCat("--", name, " needs a value ", spec->value_name, "; see '",
                                     command, " --help'"));
    }
  }
  return parsed;
}

std::string FormatFlagHelp(const std::vector<FlagSpec>& specs) {
  std::vector<std::string> left;
  size_t width = 0;
  for (const FlagSpec& spec : specs) {
    std::string text = absl::StrCat("--", spec.name);
    if (!spec.value_name.empty()) absl::StrAppend(&text, " ", spec.value_name);
    width = std::max(width, text.size());
    left.push_back(std::move(text));
  }
  std::string out;
  for (size_t i = 0; i < specs.size(); ++i) {
    absl::StrAppend(&out, "  ", left[i], std::string(width - left[i].size() + 2, ' '),
                    specs[i].help, "\n");
  }
  return out;
}

}  // namespace irm::cli
