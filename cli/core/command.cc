#include "cli/core/command.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/core/cli_status.h"
#include "engine/common/quote.h"
#include "engine/common/uuid.h"

namespace irm::cli {
namespace {

constexpr size_t kMaxCommandWords = 3;

const std::vector<FlagSpec>& GlobalFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"server", "HOST:PORT", "irmd address (default $IRM_SERVER, else 127.0.0.1:50051)"},
      {"token", "T", "bearer token sent on every call (default $IRM_TOKEN)"},
      {"tls-ca", "FILE", "use TLS, trusting the CA certificate in this PEM file"},
      {"tls-cert", "FILE", "with --tls-ca: client certificate (PEM) for irmd --tls-client-ca"},
      {"tls-key", "FILE", "with --tls-cert: the client certificate's private key (PEM)"},
      {"json", "", "machine output: one JSON object per line"},
      {"request-id", "ID",
       "sent as x-request-id on every call; irmd logs it and records it in the metadata of "
       "the events the command appends (default $IRM_REQUEST_ID, else a new UUID each run; "
       "1-128 printable ASCII characters, no spaces)"},
      {"help", "", "show help (also -h)"},
  };
  return *flags;
}

bool TakesValue(absl::string_view arg) {
  return arg == "--server" || arg == "--token" || arg == "--tls-ca" || arg == "--tls-cert" ||
         arg == "--tls-key" || arg == "--request-id";
}

std::string EnvOr(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : std::move(fallback);
}

GlobalOptions ResolveGlobals(const ParsedArgs& args) {
  GlobalOptions options;
  options.server = args.Value("server").value_or(EnvOr("IRM_SERVER", kDefaultServer));
  options.token = args.Value("token").value_or(EnvOr("IRM_TOKEN", ""));
  options.tls_ca = args.Value("tls-ca").value_or("");
  options.tls_cert = args.Value("tls-cert").value_or("");
  options.tls_key = args.Value("tls-key").value_or("");
  options.json = args.Has("json");
  options.request_id = args.Value("request-id").value_or(EnvOr("IRM_REQUEST_ID", ""));
  if (options.request_id.empty()) options.request_id = common::Uuid::Random().ToString();
  return options;
}

// irmd takes an x-request-id of 1-128 printable ASCII characters without spaces and
// replaces any other (services/server/call_interceptor.h); refuse it here instead.
absl::Status CheckRequestId(absl::string_view id) {
  bool usable = !id.empty() && id.size() <= 128;
  for (char c : id) usable = usable && c > ' ' && c <= '~';
  if (usable) return absl::OkStatus();
  return UsageError(absl::StrCat("--request-id ", common::Quote(id),
                                 " is not 1-128 printable ASCII characters without spaces"));
}

}  // namespace

const std::vector<FlagSpec>& GlobalCommandFlags() { return GlobalFlags(); }

void CommandRegistry::Add(Command command) { commands_.push_back(std::move(command)); }

const Command* CommandRegistry::Find(absl::string_view name) const {
  for (const Command& command : commands_) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

bool CommandRegistry::IsGroup(absl::string_view prefix) const {
  return std::any_of(commands_.begin(), commands_.end(), [&](const Command& command) {
    return absl::StartsWith(command.name, absl::StrCat(prefix, " "));
  });
}

int CommandRegistry::Run(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) const {
  absl::Status status = Dispatch(args, out, err);
  out.flush();
  if (!status.ok()) err << StatusLine(status) << "\n";
  err.flush();
  return ExitCode(status);
}

absl::Status CommandRegistry::Dispatch(const std::vector<std::string>& args, std::ostream& out,
                                       std::ostream& err) const {
  // The command's words are the leading positional arguments, skipping global flags.
  std::vector<size_t> word_at;
  bool help = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg == "--help" || arg == "-h") help = true;
    if (arg != "-" && absl::StartsWith(arg, "-")) {
      if (TakesValue(arg)) ++i;
      continue;
    }
    word_at.push_back(i);
  }
  std::vector<std::string> words;
  for (size_t i : word_at) words.push_back(args[i]);

  const Command* command = nullptr;
  size_t used = 0;
  for (size_t k = std::min(words.size(), kMaxCommandWords); k > 0 && command == nullptr; --k) {
    command = Find(absl::StrJoin(words.begin(), words.begin() + k, " "));
    if (command != nullptr) used = k;
  }
  if (command == nullptr) {
    if (words.empty()) {
      absl::StatusOr<ParsedArgs> parsed = ParseFlags(args, GlobalFlags(), "irm");
      if (!parsed.ok()) return parsed.status();
      if (help) {
        out << TopHelp();
        return absl::OkStatus();
      }
      return UsageError("missing command; see 'irm --help'");
    }
    if (IsGroup(words[0])) {
      std::string group = absl::StrCat("irm ", words[0]);
      if (help && words.size() == 1) {
        out << GroupHelp(words[0]);
        return absl::OkStatus();
      }
      if (words.size() == 1) {
        return UsageError(
            absl::StrCat("'", group, "' needs a subcommand; see '", group, " --help'"));
      }
      return UsageError(
          absl::StrCat("unknown command '", group, " ", words[1], "'; see '", group, " --help'"));
    }
    return UsageError(absl::StrCat("unknown command '", words[0], "'; see 'irm --help'"));
  }

  std::vector<std::string> rest;
  for (size_t i = 0, next_word = 0; i < args.size(); ++i) {
    if (next_word < used && word_at[next_word] == i) {
      ++next_word;
      continue;
    }
    rest.push_back(args[i]);
  }
  std::string display = absl::StrCat("irm ", command->name);
  std::vector<FlagSpec> specs = command->flags;
  specs.insert(specs.end(), GlobalFlags().begin(), GlobalFlags().end());
  absl::StatusOr<ParsedArgs> parsed = ParseFlags(rest, specs, display);
  if (!parsed.ok()) return parsed.status();
  if (parsed->Has("help")) {
    out << CommandHelp(*command);
    return absl::OkStatus();
  }
  size_t count = parsed->positional().size();
  if (count < command->min_args || count > command->max_args) {
    std::string expected = command->arguments.empty()
                               ? "no arguments"
                               : absl::StrCat("arguments ", command->arguments);
    return UsageError(absl::StrCat("'", display, "' takes ", expected, ", got ", count, "; see '",
                                   display, " --help'"));
  }
  GlobalOptions globals = ResolveGlobals(*parsed);
  if (absl::Status s = CheckRequestId(globals.request_id); !s.ok()) return s;
  Connection connection(std::move(globals));
  CommandEnv env{*parsed, connection, out, err};
  return command->run(env);
}

std::string CommandRegistry::TopHelp() const {
  std::string text =
      "irm: command-line client of irmd, the event-sourced workflow engine of the UNCAC\n"
      "Implementation Review Mechanism.\n\n"
      "Usage: irm COMMAND [arguments] [flags]\n\nCommands:\n";
  size_t width = 0;
  for (const Command& command : commands_) width = std::max(width, command.name.size());
  for (const Command& command : commands_) {
    absl::StrAppend(&text, "  ", command.name, std::string(width - command.name.size() + 2, ' '),
                    command.summary, "\n");
  }
  absl::StrAppend(&text, "\nGlobal flags (before or after the command):\n",
                  FormatFlagHelp(GlobalFlags()),
                  "\nOn failure irm exits non-zero (1; 2 for usage errors) and prints one line "
                  "on stderr\nstarting with the gRPC status name, e.g. 'NOT_FOUND: ...'.\n"
                  "Run 'irm COMMAND --help' for a command's flags and examples.\n");
  absl::StrAppend(&text,
                  "\nExamples:\n"
                  "  irm append order-1 Placed --data '{\"total\":12}'\n"
                  "  irm read '$all' --limit 20\n"
                  "  irm subscribe --from end --stream-prefix review-\n"
                  "  irm --json reviews --cycle 2\n"
                  "  source <(irm completion bash)\n");
  return text;
}

std::string CommandRegistry::GroupHelp(absl::string_view group) const {
  std::string text =
      absl::StrCat("Usage: irm ", group, " SUBCOMMAND [arguments] [flags]\n\n", "Subcommands:\n");
  for (const Command& command : commands_) {
    if (absl::StartsWith(command.name, absl::StrCat(group, " "))) {
      absl::StrAppend(&text, "  irm ", command.name, " ", command.arguments, "\n      ",
                      command.summary, "\n");
    }
  }
  absl::StrAppend(&text, "\nRun 'irm ", group, " SUBCOMMAND --help' for details.\n");
  std::string examples;
  for (const Command& command : commands_) {
    if (absl::StartsWith(command.name, absl::StrCat(group, " ")) && !command.examples.empty()) {
      absl::StrAppend(&examples, "  ", command.examples.front(), "\n");
    }
  }
  if (!examples.empty()) absl::StrAppend(&text, "\nExamples:\n", examples);
  return text;
}

std::string CommandRegistry::CommandHelp(const Command& command) const {
  std::string text = absl::StrCat("Usage: irm ", command.name);
  if (!command.arguments.empty()) absl::StrAppend(&text, " ", command.arguments);
  absl::StrAppend(&text, " [flags]\n\n", command.summary, "\n");
  if (!command.details.empty()) absl::StrAppend(&text, "\n", command.details, "\n");
  if (!command.flags.empty()) {
    absl::StrAppend(&text, "\nFlags:\n", FormatFlagHelp(command.flags));
  }
  absl::StrAppend(&text, "\nGlobal flags:\n", FormatFlagHelp(GlobalFlags()));
  if (!command.examples.empty()) {
    absl::StrAppend(&text, "\nExamples:\n");
    for (const std::string& example : command.examples) absl::StrAppend(&text, "  ", example, "\n");
  }
  return text;
}

}  // namespace irm::cli
