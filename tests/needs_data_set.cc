#include "tests/needs_data_set.h"

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "nlohmann/json.hpp"
#include "tests/support/run_irm.h"

namespace irm::tests {
namespace {

using Row = std::vector<std::string>;

absl::StatusOr<std::vector<Row>> ReadTsv(const std::string& path, size_t columns) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Row row = absl::StrSplit(line, '\t');
    if (row.size() != columns) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": expected ", columns, " columns: ", line));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::CivilDay Day(const std::string& text) {
  absl::CivilDay day;
  absl::ParseCivilTime(text, &day);
  return day;
}

std::string Text(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

// The workflow steps after the launch, up to `stage`, as irm arguments without the date.
std::vector<std::vector<std::string>> StepsUpTo(const std::string& state, const std::string& stage) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> steps = {
      {"focal_point_appointed", {"focal-point", "--name", "Synthetic focal point " + state}},
      {"kickoff_held", {"kickoff"}},
      {"checklist_submitted", {"checklist"}},
      {"desk_review_done", {"desk-review"}},
      {"dialogue_held", {"joint-meeting"}},
      {"draft_report", {"draft"}},
      {"summary_approved", {"approve-summary"}},
      {"completed", {"issue-summary"}},
  };
  std::vector<std::vector<std::string>> out;
  if (stage == "launched") return out;
  for (const auto& [reached, args] : steps) {
    out.push_back(args);
    if (reached == stage) return out;
  }
  return {};  // unknown stage: the loader reports it
}

// One review's commands, in order; need ids come from `need add --json`.
struct Script {
  Row review;
  std::vector<Row> needs;
};

class Loader {
 public:
  explicit Loader(std::string server) : server_(std::move(server)) {}

  absl::Status Run(const Script& script) {
    const Row& r = script.review;  // state cycle year reviewers launched_on last_on stage
    const std::string& state = r[0];
    const std::string& cycle = r[1];
    const std::string draw_on = cycle == "1" ? "2010-06-28" : "2015-11-06";
    auto step = [&](std::vector<std::string> args, const std::string& on) -> absl::Status {
      std::vector<std::string> full = {"review", args[0], state, "--cycle", cycle, "--on", on};
      full.insert(full.end(), args.begin() + 1, args.end());
      return Irm(full).status();
    };
    if (absl::Status s = step({"schedule", "--year", r[2]}, draw_on); !s.ok()) return s;
    if (absl::Status s = step({"assign-reviewers", "--reviewers", r[3]}, draw_on); !s.ok()) return s;
    if (absl::Status s = step({"launch"}, r[4]); !s.ok()) return s;
    std::vector<std::vector<std::string>> steps = StepsUpTo(state, r[6]);
    if (steps.empty() && r[6] != "launched") return absl::InvalidArgumentError("stage " + r[6]);
    const absl::CivilDay launched = Day(r[4]);
    const int span = static_cast<int>(Day(r[5]) - launched);
    for (size_t i = 0; i < steps.size(); ++i) {
      absl::CivilDay on = launched + span * static_cast<int>(i + 1) / static_cast<int>(steps.size());
      if (steps[i][0] == "approve-summary") {
        // Four eyes: the State and both reviewers agree, recorded on their behalf.
        std::vector<std::vector<std::string>> agreements = {
            {"agree", "--party", "state", "--on-behalf-of", "focal_point:" + state}};
        for (absl::string_view reviewer : absl::StrSplit(r[3], ',')) {
          const std::string party = absl::StrCat("reviewer:", reviewer);
          agreements.push_back({"agree", "--party", party, "--on-behalf-of", party});
        }
        for (const auto& agree : agreements) {
          if (absl::Status s = step(agree, Text(on)); !s.ok()) return s;
        }
      }
      if (absl::Status s = step(steps[i], Text(on)); !s.ok()) return s;
    }
    int number = 0;
    for (const Row& n : script.needs) {  // state cycle article category on status status_on provider
      ++number;
      absl::StatusOr<std::string> out = Irm(
          {"--json", "need", "add", state, "--cycle", cycle, "--article", n[2], "--category", n[3],
           "--text", absl::StrCat("Synthetic need ", number, " of ", state, " under article ", n[2]),
           "--on", n[4]});
      if (!out.ok()) return out.status();
      nlohmann::json json = nlohmann::json::parse(*out, nullptr, false);
      if (!json.is_object() || !json.contains("need_id")) {
        return absl::InternalError("need add printed no need_id: " + *out);
      }
      needs_ += 1;
      if (n[5].empty()) continue;
      std::vector<std::string> args = {"need", "status", json["need_id"].get<std::string>(),
                                       "--status", n[5], "--on", n[6]};
      if (!n[7].empty()) args.insert(args.end(), {"--provider", n[7]});
      if (absl::Status s = Irm(args).status(); !s.ok()) return s;
      status_changes_ += 1;
    }
    return absl::OkStatus();
  }

  int commands() const { return commands_; }
  int needs() const { return needs_; }
  int status_changes() const { return status_changes_; }

 private:
  absl::StatusOr<std::string> Irm(const std::vector<std::string>& args) {
    ++commands_;
    IrmResult result = RunIrm(server_, args);
    if (result.exit_code != 0) {
      std::ostringstream text;
      text << "irm";
      for (const std::string& a : args) text << " " << a;
      text << ": " << result;
      return absl::InternalError(text.str());
    }
    return result.out;
  }

  const std::string server_;
  std::atomic<int> commands_{0}, needs_{0}, status_changes_{0};
};

}  // namespace

std::string NeedsDataDir() { return IRM_NEEDS_DATA_DIR; }

absl::StatusOr<LoadedDataSet> LoadNeedsDataSet(const std::string& server) {
  const std::string base = NeedsDataDir() + "/cycle2_needs_2019";
  absl::StatusOr<std::vector<Row>> reviews = ReadTsv(base + ".reviews.tsv", 7);
  if (!reviews.ok()) return reviews.status();
  absl::StatusOr<std::vector<Row>> needs = ReadTsv(base + ".needs.tsv", 8);
  if (!needs.ok()) return needs.status();
  std::vector<Script> scripts;
  std::map<std::string, size_t> index;  // "STATE/CYCLE" -> script
  for (const Row& r : *reviews) {
    index[r[0] + "/" + r[1]] = scripts.size();
    scripts.push_back({r, {}});
  }
  for (const Row& n : *needs) {
    auto it = index.find(n[0] + "/" + n[1]);
    if (it == index.end()) return absl::InvalidArgumentError("need of a review not listed: " + n[0]);
    scripts[it->second].needs.push_back(n);
  }
  // Reviews are independent streams: a few workers, each taking the next review.
  Loader loader(server);
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  absl::Status first_error;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < scripts.size(); i = next++) {
        absl::Status s = loader.Run(scripts[i]);
        absl::MutexLock lock(&mu);
        if (!s.ok() && first_error.ok()) first_error = s;
      }
    });
  }
  for (std::thread& t : workers) t.join();
  if (!first_error.ok()) return first_error;
  return LoadedDataSet{static_cast<int>(scripts.size()), loader.needs(), loader.status_changes(),
                       loader.commands()};
}

}  // namespace irm::tests
