#include "tests/crash_verify.h"

#include <chrono>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "engine/common/uuid.h"

namespace irm::tests {
namespace {

using event::v1::EventRecord;

constexpr size_t kMaxReported = 20;  // violations listed in full; the rest are counted

std::string Describe(const SentAppend& sent) {
  return absl::StrCat("round ", sent.round, " append of ", sent.ids.size(), " events to ",
                      sent.stream, " (first id ", sent.ids.front(), ", ",
                      sent.acknowledged
                          ? absl::StrCat("acknowledged at position ", sent.first_position,
                                         " revision ", sent.first_revision)
                          : absl::StrCat("not acknowledged: ", sent.code, " ", sent.error),
                      ")");
}

// The log's head position, from GetLogInfo.
absl::StatusOr<uint64_t> HeadPosition(api::v1::LogService::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  api::v1::LogInfo info;
  grpc::Status status = stub.GetLogInfo(&context, api::v1::GetLogInfoRequest(), &info);
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat("GetLogInfo: ", status.error_message()));
  }
  return info.head_position();
}

}  // namespace

absl::StatusOr<LogSnapshot> ReadWholeLog(api::v1::LogService::Stub& stub) {
  // irmd appends events of its own (DeadlinePassed, docs/deadlines.md) at any time, also
  // right after a restart: the read must end between the heads seen before and after it.
  absl::StatusOr<uint64_t> head_before = HeadPosition(stub);
  if (!head_before.ok()) return head_before.status();
  LogSnapshot snapshot;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  api::v1::ReadAllRequest request;
  request.set_from_position(1);
  std::unique_ptr<grpc::ClientReader<api::v1::ReadResponse>> reader =
      stub.ReadAll(&context, request);
  api::v1::ReadResponse chunk;
  while (reader->Read(&chunk)) {
    for (EventRecord& record : *chunk.mutable_events()) {
      snapshot.events.push_back(std::move(record));
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("ReadAll: ", status.error_code(), " ", status.error_message()));
  }
  absl::StatusOr<uint64_t> head_after = HeadPosition(stub);
  if (!head_after.ok()) return head_after.status();
  const uint64_t read = snapshot.events.size();
  snapshot.head = *head_before <= read && read <= *head_after ? read : *head_after;
  return snapshot;
}

void LogVerifier::AddSent(std::vector<SentAppend> sent) {
  for (SentAppend& s : sent) {
    sent_.push_back(std::move(s));
    outcome_.push_back(Outcome::kUnknown);
  }
}

std::vector<std::string> LogVerifier::Verify(const LogSnapshot& log) {
  std::vector<std::string> problems;
  size_t extra = 0;
  auto report = [&problems, &extra](std::string problem) {
    if (problems.size() < kMaxReported) {
      problems.push_back(std::move(problem));
    } else {
      ++extra;
    }
  };
  acknowledged_ = unacked_present_ = unacked_absent_ = 0;

  // Dense positions, dense per-stream revisions, unique ids.
  const std::vector<EventRecord>& events = log.events;
  if (events.size() != log.head) {
    report(absl::StrCat("read ", events.size(), " events but the head position is ", log.head));
  }
  absl::flat_hash_map<std::string, uint64_t> next_revision;
  absl::flat_hash_map<std::string, size_t> index_of_id;  // UUID text -> index in events
  for (size_t i = 0; i < events.size(); ++i) {
    const EventRecord& e = events[i];
    if (e.position() != i + 1) {
      report(absl::StrCat("event ", i, " has position ", e.position(), ", expected ", i + 1));
    }
    uint64_t& next = next_revision[e.stream()];
    if (e.revision() != next) {
      report(absl::StrCat("position ", e.position(), ": ", e.stream(), " revision ", e.revision(),
                          ", expected ", next));
    }
    next = e.revision() + 1;
    std::string id = common::UuidBytesToString(e.id());
    if (!index_of_id.emplace(id, i).second) {
      report(absl::StrCat("id ", id, " appears at positions ", events[index_of_id[id]].position(),
                          " and ", e.position()));
    }
  }

  // Every request: all or nothing; acknowledged ones exactly where acknowledged.
  absl::flat_hash_map<std::string, bool> id_was_sent;
  for (size_t r = 0; r < sent_.size(); ++r) {
    const SentAppend& s = sent_[r];
    size_t present = 0;
    std::vector<size_t> at;
    for (const std::string& id : s.ids) {
      id_was_sent[id] = true;
      auto it = index_of_id.find(id);
      if (it != index_of_id.end()) {
        ++present;
        at.push_back(it->second);
      }
    }
    if (present != 0 && present != s.ids.size()) {
      report(absl::StrCat("torn append: ", present, " of ", s.ids.size(),
                          " events present: ", Describe(s)));
      continue;
    }
    if (s.acknowledged && present == 0) {
      report(absl::StrCat("lost acknowledged append: ", Describe(s)));
      continue;
    }
    if (present == 0) {
      ++unacked_absent_;
      if (outcome_[r] == Outcome::kPresent) {
        report(absl::StrCat("append seen earlier has disappeared: ", Describe(s)));
      }
      outcome_[r] = Outcome::kAbsent;
      continue;
    }
    for (size_t k = 0; k < at.size(); ++k) {
      const EventRecord& e = events[at[k]];
      const uint64_t want_position =
          s.acknowledged ? s.first_position + k : events[at[0]].position() + k;
      const uint64_t want_revision =
          s.acknowledged ? s.first_revision + k : events[at[0]].revision() + k;
      if (e.position() != want_position || e.revision() != want_revision ||
          e.stream() != s.stream || e.type() != s.types[k] || e.data() != s.data[k]) {
        report(absl::StrCat(
            "event ", k, " at position ", e.position(), " (", e.stream(), "@", e.revision(), ", ",
            e.type(), ", data ", e.data(), ") differs from what was sent/acknowledged (position ",
            want_position, ", revision ", want_revision, ", data ", s.data[k], "): ", Describe(s)));
        break;
      }
    }
    if (s.acknowledged) {
      ++acknowledged_;
    } else {
      ++unacked_present_;
      if (outcome_[r] == Outcome::kAbsent) {
        report(absl::StrCat("append absent earlier has appeared: ", Describe(s)));
      }
      outcome_[r] = Outcome::kPresent;
    }
  }
  for (const EventRecord& e : events) {
    if (!absl::StartsWith(e.stream(), owned_prefix_)) continue;
    std::string id = common::UuidBytesToString(e.id());
    if (!id_was_sent.contains(id)) {
      report(absl::StrCat("event at position ", e.position(), " (", e.stream(), "@", e.revision(),
                          ", id ", id, ") was never sent"));
    }
  }
  if (extra > 0) problems.push_back(absl::StrCat("... and ", extra, " more violations"));
  return problems;
}

std::shared_ptr<grpc::Channel> LogChannel(const std::string& address) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(256 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
}

}  // namespace irm::tests
