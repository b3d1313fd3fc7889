#include "cli/log/subscribe_command.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/core/cli_status.h"
#include "cli/core/event_text.h"
#include "engine/codec/event_json.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "irm/api/v1/log.grpc.pb.h"

namespace irm::cli {
namespace {

using api::v1::SubscribeRequest;
using api::v1::SubscribeResponse;

// Turns SIGINT and SIGTERM into a callback run on a thread of its own, for as long as it
// lives. The constructor blocks those signals (and SIGUSR1, used to wake the thread at the
// end) in the calling thread, so it must run before the gRPC channel makes its threads:
// they inherit the mask and never take the signal. The destructor stops and joins the
// thread and restores the mask. One per process at a time.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> on_interrupt)
      : on_interrupt_(std::move(on_interrupt)) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    thread_ = std::thread([this] {
      for (;;) {
        int signal_number = 0;
        if (sigwait(&signals_, &signal_number) != 0) continue;
        if (signal_number == SIGUSR1 && stopping_.load()) return;
        if (signal_number == SIGINT || signal_number == SIGTERM) on_interrupt_();
      }
    });
  }

  ~InterruptWatcher() {
    stopping_.store(true);
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

 private:
  std::function<void()> on_interrupt_;
  sigset_t signals_;
  sigset_t previous_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Fills the start of `request` from --from: start | end | POSITION (inclusive, >= 1).
absl::Status SetStart(const std::optional<std::string>& from, SubscribeRequest& request) {
  if (!from.has_value() || *from == "start") {
    request.set_start(api::v1::SUBSCRIBE_FROM_START);
    return absl::OkStatus();
  }
  if (*from == "end") {
    request.set_start(api::v1::SUBSCRIBE_FROM_END);
    return absl::OkStatus();
  }
  uint64_t position = 0;
  if (from->empty() || (*from)[0] < '0' || (*from)[0] > '9' ||
      !absl::SimpleAtoi(*from, &position) || position == 0) {
    return UsageError(absl::StrCat("--from takes start, end or a position (1 or more), got ",
                                   common::Quote(*from)));
  }
  request.set_start(api::v1::SUBSCRIBE_FROM_POSITION);
  request.set_from_position(position);
  return absl::OkStatus();
}

absl::StatusOr<SubscribeRequest> BuildRequest(const ParsedArgs& args) {
  SubscribeRequest request;
  IRM_RETURN_IF_ERROR(SetStart(args.Value("from"), request));
  request.set_stream(args.Value("stream").value_or(""));
  request.set_stream_prefix(args.Value("stream-prefix").value_or(""));
  for (const std::string& type : args.Values("type")) request.add_types(type);
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> interval, args.Uint64("checkpoint-interval"));
  if (interval.has_value()) {
    if (*interval == 0 || *interval > std::numeric_limits<uint32_t>::max()) {
      return UsageError(absl::StrCat("--checkpoint-interval takes 1 to ",
                                     std::numeric_limits<uint32_t>::max(), ", got ", *interval));
    }
    request.set_checkpoint_interval(static_cast<uint32_t>(*interval));
  }
  return request;
}

absl::Status RunSubscribe(CommandEnv& env) {
  IRM_ASSIGN_OR_RETURN(SubscribeRequest request, BuildRequest(env.args));
  IRM_ASSIGN_OR_RETURN(std::optional<uint64_t> count, env.args.Uint64("count"));
  if (count.has_value() && *count == 0) {
    return UsageError("--count takes 1 or more; leave it out to follow until interrupted");
  }
  const bool json = env.json();

  grpc::ClientContext context;  // outlives the watcher, which may cancel it
  std::atomic<bool> interrupted{false};
  InterruptWatcher watcher([&context, &interrupted] {
    interrupted.store(true);
    context.TryCancel();
  });
  IRM_ASSIGN_OR_RETURN(api::v1::LogService::Stub * stub, env.connection.Log());
  env.connection.Prepare(context, /*unary=*/false);
  std::unique_ptr<grpc::ClientReader<SubscribeResponse>> reader =
      stub->Subscribe(&context, request);

  SubscribeResponse response;
  uint64_t printed = 0;
  bool answered = false;  // irmd sent at least one message: its status is its own
  bool done = false;      // --count reached
  absl::Status write_status;
  while (!done && write_status.ok() && reader->Read(&response)) {
    answered = true;
    const auto& redacted = response.redacted_positions();
    for (const event::v1::EventRecord& record : response.events()) {
      codec::EventJsonOptions options;
      options.redacted =
          std::find(redacted.begin(), redacted.end(), record.position()) != redacted.end();
      env.out << (json ? codec::EventToJsonLine(record, options) : EventSummaryLine(record))
              << '\n';
      env.out.flush();
      if (!env.out) {
        write_status = absl::UnavailableError("cannot write to stdout");
        break;
      }
      if (count.has_value() && ++printed == *count) {
        done = true;
        break;
      }
    }
    if (!done && response.caught_up() && !json) {
      env.err << "caught up at position " << response.checkpoint() << "\n";
      env.err.flush();
    }
  }
  if (done || !write_status.ok()) {
    context.TryCancel();
    reader->Finish();  // CANCELLED, by us
    return write_status;
  }
  grpc::Status status = reader->Finish();
  if (interrupted.load() || status.ok()) return absl::OkStatus();
  if (answered) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  return env.connection.FromGrpc(status);
}

}  // namespace

void RegisterSubscribeCommand(CommandRegistry& registry) {
  registry.Add(Command{
      "subscribe",
      "",
      "Follow the log live: catch up from a position, then print events as they arrive",
      "Prints every matching event, one line each (one JSON object per line with --json),\n"
      "in position order with no gap and no duplicate, flushing after every line. stdout\n"
      "carries events only; without --json, stderr says 'caught up at position N' once.\n"
      "\n"
      "--from defaults to start (position 1). A POSITION is inclusive: it is the first one\n"
      "delivered, so to resume after the last event you saw, pass its position + 1. A\n"
      "POSITION beyond the log's head + 1 is refused (OUT_OF_RANGE, naming the head).\n"
      "Filters combine with AND; repeated --type flags combine with OR.\n"
      "\n"
      "Runs until --count events were printed (exit 0), SIGINT or SIGTERM (exit 0), or irmd\n"
      "ends the stream: when it shuts down, one 'UNAVAILABLE: ...' line on stderr naming the\n"
      "position to resubscribe from, and exit 1.",
      {
          {"from", "start|end|POSITION", "where to begin (default start; POSITION inclusive)"},
          {"stream", "S", "only events of exactly this stream"},
          {"stream-prefix", "P", "only events of streams whose name starts with P"},
          {"type", "T", "only events of this type; repeat for several (OR)"},
          {"count", "N", "exit 0 after N events"},
          {"checkpoint-interval", "N",
           "irmd reports progress after exactly N unmatched positions (default 1000)"},
      },
      {
          "irm subscribe --from end",
          "irm subscribe --stream-prefix review- --type ReviewLaunched --type ReviewDeferred",
          "irm subscribe --from 1200 --stream review-KEN-2 --json | jq .type",
          "irm subscribe --json --count 10 > first-ten.jsonl",
      },
      0,
      0,
      RunSubscribe,
  });
}

}  // namespace irm::cli
