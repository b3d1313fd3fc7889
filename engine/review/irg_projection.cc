#include "engine/review/irg_projection.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "engine/common/status_macros.h"
#include "engine/domain/irg_sessions.h"
#include "engine/domain/review_stream.h"
#include "engine/review/voids.h"
#include "irm/event/v1/review_events.pb.h"

namespace irm::review {
namespace {

namespace ev = ::irm::event::v1;

std::string SessionKey(int number) { return absl::StrFormat("session/%06d", number); }

// Decodes `event` into `message`; false if it does not decode and is void (skipped); an error
// if it does not decode and is not void.
template <typename T>
absl::StatusOr<bool> DecodeUnlessVoid(const log::EventLog* log, const log::EventRecord& event,
                                      T* message) {
  if (event.content_type() == ev::CONTENT_TYPE_PROTOBUF && message->ParseFromString(event.data())) {
    return true;
  }
  absl::Status error = absl::DataLossError(absl::StrCat(
      "event at position ", event.position(), " (", event.type(), ", in ", event.stream(),
      ") does not decode as protobuf irm.event.v1.", event.type()));
  IRM_ASSIGN_OR_RETURN(bool is_void, IsVoidAfterError(log, event, error));
  return !is_void;
}

template <typename T>
absl::StatusOr<bool> Load(projection::StateView& state, const std::string& key, T* value) {
  IRM_ASSIGN_OR_RETURN(std::optional<std::string> stored, state.Get(key));
  if (!stored.has_value()) return false;
  if (!value->ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("irg projection state ", key, " does not decode"));
  }
  return true;
}

// Counts one event of a draw.
absl::Status CountDraw(projection::StateView& state, const std::string& kind, int cycle, int year,
                       uint64_t seed, const std::string& on, int session,
                       const std::string& reason, uint64_t position) {
  const std::string key = absl::StrFormat("draw/%06d/%d/%s/%d/%020u/%s", session, cycle, kind,
                                          year, seed, on);
  ev::IrgDrawRecord draw;
  IRM_ASSIGN_OR_RETURN(bool known, Load(state, key, &draw));
  if (!known) {
    draw.set_kind(kind);
    draw.set_cycle(cycle);
    draw.set_year(year);
    draw.set_seed(seed);
    draw.set_on(on);
    draw.set_session(session);
    draw.set_outside_session_reason(reason);
    draw.set_first_position(position);
  }
  draw.set_reviews(draw.reviews() + 1);
  state.Put(key, draw.SerializeAsString());
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<std::vector<T>> ScanAll(const projection::ProjectionStore& store,
                                       absl::string_view prefix) {
  std::vector<T> records;
  bool bad = false;
  IRM_RETURN_IF_ERROR(store.Scan(kIrgProjection, prefix,
                                 [&](absl::string_view, absl::string_view value) {
                                   T& record = records.emplace_back();
                                   bad = !record.ParseFromArray(value.data(), value.size());
                                   return !bad;
                                 }));
  if (bad) return absl::DataLossError(absl::StrCat("a ", prefix, " record of the irg projection does not decode"));
  return records;
}

}  // namespace

absl::Status IrgProjection::Apply(const log::EventRecord& event, projection::StateView& state) {
  const std::string& type = event.type();
  if (domain::IsIrgSessionsStream(event.stream())) {
    if (type != domain::kIrgSessionRecordedType) return absl::OkStatus();
    ev::IrgSessionRecorded recorded;
    IRM_ASSIGN_OR_RETURN(bool readable, DecodeUnlessVoid(log_, event, &recorded));
    if (!readable) return absl::OkStatus();
    const std::string key = SessionKey(recorded.number());
    ev::IrgSessionState kept;
    IRM_ASSIGN_OR_RETURN(bool known, Load(state, key, &kept));
    if (known) return absl::OkStatus();  // the first record of a number wins
    *kept.mutable_session() = recorded;
    kept.set_position(event.position());
    state.Put(key, kept.SerializeAsString());
    return absl::OkStatus();
  }
  if (!domain::IsReviewStream(event.stream())) return absl::OkStatus();
  if (type != "ReviewScheduled" && type != "ReviewersDrawn" && type != "ExecutiveSummaryIssued") {
    return absl::OkStatus();
  }
  std::string code;
  int cycle = 0;
  if (!domain::ParseReviewStream(event.stream(), &code, &cycle)) return absl::OkStatus();
  if (type == "ReviewScheduled") {
    ev::ReviewScheduled e;
    IRM_ASSIGN_OR_RETURN(bool readable, DecodeUnlessVoid(log_, event, &e));
    if (!readable || (e.session() == 0 && e.outside_session_reason().empty())) {
      return absl::OkStatus();
    }
    return CountDraw(state, "years", cycle, 0, e.draw_seed(), e.on(), e.session(),
                     e.outside_session_reason(), event.position());
  }
  if (type == "ReviewersDrawn") {
    ev::ReviewersDrawn e;
    IRM_ASSIGN_OR_RETURN(bool readable, DecodeUnlessVoid(log_, event, &e));
    if (!readable || (e.session() == 0 && e.outside_session_reason().empty())) {
      return absl::OkStatus();
    }
    return CountDraw(state, "reviewers", cycle, e.drawn_year(), e.seed(), e.on(), e.session(),
                     e.outside_session_reason(), event.position());
  }
  ev::ExecutiveSummaryIssued e;
  IRM_ASSIGN_OR_RETURN(bool readable, DecodeUnlessVoid(log_, event, &e));
  if (!readable) return absl::OkStatus();
  ev::IrgSummaryRecord summary;
  summary.set_state(code);
  summary.set_cycle(cycle);
  summary.set_on(e.on());
  summary.set_symbol(e.symbol());
  summary.set_position(event.position());
  state.Put(absl::StrCat("summary/", e.on(), "/", code, "/", cycle), summary.SerializeAsString());
  if (!e.symbol().empty()) {
    const std::string key = absl::StrCat("symbol/", e.symbol());
    IRM_ASSIGN_OR_RETURN(std::optional<std::string> held, state.Get(key));
    if (!held.has_value()) state.Put(key, summary.SerializeAsString());  // the first holds it
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ev::IrgSessionState>> ReadIrgSessions(
    const projection::ProjectionStore& store) {
  return ScanAll<ev::IrgSessionState>(store, "session/");
}

absl::StatusOr<std::optional<ev::IrgSessionState>> ReadIrgSession(
    const projection::ProjectionStore& store, int number) {
  IRM_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                       store.Get(kIrgProjection, SessionKey(number)));
  if (!stored.has_value()) return std::optional<ev::IrgSessionState>();
  ev::IrgSessionState session;
  if (!session.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("IRG session ", number, " does not decode"));
  }
  return std::optional<ev::IrgSessionState>(std::move(session));
}

absl::StatusOr<std::vector<ev::IrgDrawRecord>> ReadIrgDraws(
    const projection::ProjectionStore& store) {
  return ScanAll<ev::IrgDrawRecord>(store, "draw/");
}

absl::StatusOr<std::vector<ev::IrgSummaryRecord>> ReadIrgSummaries(
    const projection::ProjectionStore& store) {
  return ScanAll<ev::IrgSummaryRecord>(store, "summary/");
}

absl::StatusOr<std::optional<ev::IrgSummaryRecord>> FindSummarySymbol(
    const projection::ProjectionStore& store, const std::string& symbol) {
  IRM_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                       store.Get(kIrgProjection, absl::StrCat("symbol/", symbol)));
  if (!stored.has_value()) return std::optional<ev::IrgSummaryRecord>();
  ev::IrgSummaryRecord summary;
  if (!summary.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("the holder of symbol ", symbol, " does not decode"));
  }
  return std::optional<ev::IrgSummaryRecord>(std::move(summary));
}

absl::StatusOr<SessionLog> ReadSessionLog(const log::EventLog& log) {
  SessionLog out;
  log::ReadStreamOptions options;
  options.stream = std::string(domain::kIrgSessionsStream);
  options.from_revision = 0;
  while (true) {
    absl::StatusOr<std::vector<log::EventRecord>> events = log.ReadStream(options);
    if (absl::IsNotFound(events.status())) break;
    if (!events.ok()) return events.status();
    if (events->empty()) break;
    for (const log::EventRecord& record : *events) {
      out.last_revision = record.revision();
      ev::IrgSessionRecorded session;
      if (record.type() == domain::kIrgSessionRecordedType &&
          record.content_type() == ev::CONTENT_TYPE_PROTOBUF &&
          session.ParseFromString(record.data())) {
        out.sessions.push_back(std::move(session));
      }
    }
    options.from_revision = *out.last_revision + 1;
  }
  return out;
}

}  // namespace irm::review
