#include "engine/review/review_workflow.h"

#include <future>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/common/error_details.h"
#include "engine/common/status_macros.h"
#include "engine/domain/reference_data.h"
#include "engine/review/dates.h"
#include "engine/review/review_names.h"
#include "engine/review/voids.h"

namespace irm::review {

absl::CivilDay ReviewWorkflow::Today() const { return DayOf(clock_->Now()); }

absl::StatusOr<ReviewState> ReviewWorkflow::Load(const std::string& state, int cycle,
                                                 AsOf as_of) const {
  // Name a bad State as such, before it becomes a bad stream name.
  IRM_RETURN_IF_ERROR(domain::FindStateParty(state).status());
  if (!as_of.IsNow()) {
    IRM_ASSIGN_OR_RETURN(ReviewHistory history,
                         ReadReviewHistory(*log_, state, cycle, as_of, /*with_provenance=*/false));
    return std::move(history.state);
  }
  IRM_ASSIGN_OR_RETURN(Folded folded, FoldNow(state, cycle));
  if (!folded.scheduled) {
    return absl::NotFoundError(absl::StrCat(
        "no review ", ReviewStream(state, cycle),
        folded.stream_exists ? " (its stream holds only void events)" : "",
        "; schedule it with irm review schedule"));
  }
  return std::move(folded.review);
}

absl::StatusOr<ReviewWorkflow::Folded> ReviewWorkflow::FoldNow(const std::string& state,
                                                               int cycle) const {
  Folded folded;
  IRM_RETURN_IF_ERROR(log::ForEachStreamEvent(
      *log_, ReviewStream(state, cycle), [&](log::EventRecord& event) -> absl::StatusOr<bool> {
        std::optional<VoidNote> voided;
        IRM_RETURN_IF_ERROR(ApplyToReviewUnlessVoid(log_, event, &folded.review, &voided));
        folded.stream_exists = true;
        folded.scheduled = folded.scheduled || !voided.has_value();
        return true;
      }));
  return folded;
}

absl::StatusOr<Recorded> ReviewWorkflow::Record(
    const std::string& state, int cycle,
    std::vector<std::unique_ptr<google::protobuf::Message>> events,
    const event::v1::EventMetadata& metadata, std::optional<uint64_t> expected_revision) {
  std::promise<absl::StatusOr<Recorded>> promise;
  std::future<absl::StatusOr<Recorded>> future = promise.get_future();
  RecordAsync(state, cycle, std::move(events), metadata, expected_revision,
              [&promise](absl::StatusOr<Recorded> recorded) {
                promise.set_value(std::move(recorded));
              });
  return future.get();
}

void ReviewWorkflow::RecordAsync(const std::string& state, int cycle,
                                 std::vector<std::unique_ptr<google::protobuf::Message>> events,
                                 const event::v1::EventMetadata& metadata,
                                 std::optional<uint64_t> expected_revision, RecordCallback done) {
  log::AppendRequest request;
  Recorded recorded;
  absl::Status prepared =
      Prepare(state, cycle, std::move(events), metadata, expected_revision, &request, &recorded);
  if (!prepared.ok()) {
    done(prepared);
    return;
  }
  log_->AppendAsync(std::move(request), [recorded = std::move(recorded), done = std::move(done)](
                                            absl::StatusOr<log::AppendResult> result) mutable {
    if (!result.ok()) {
      done(result.status());
      return;
    }
    recorded.revision = result->last_revision;
    recorded.position = result->last_position;
    recorded.after.set_last_position(result->last_position);
    done(std::move(recorded));
  });
}

absl::Status ReviewWorkflow::Prepare(const std::string& state, int cycle,
                                     std::vector<std::unique_ptr<google::protobuf::Message>> events,
                                     const event::v1::EventMetadata& metadata,
                                     std::optional<uint64_t> expected_revision,
                                     log::AppendRequest* request, Recorded* recorded) {
  IRM_RETURN_IF_ERROR(domain::FindStateParty(state).status());
  const std::string stream = ReviewStream(state, cycle);
  IRM_ASSIGN_OR_RETURN(Folded folded, FoldNow(state, cycle));
  // The stream's revision counts void events too; the review exists once a step that is
  // not void was recorded.
  const bool stream_existed = folded.stream_exists;
  const ReviewState& review = folded.review;
  if (expected_revision.has_value() &&
      (!stream_existed || review.revision() != *expected_revision)) {
    return common::WithReason(
        absl::AbortedError(absl::StrCat(
            stream, " expected revision ", *expected_revision, ", but ",
            stream_existed ? absl::StrCat("it is at revision ", review.revision())
                           : "it has no events",
            "; check its status and retry")),
        "WRONG_EXPECTED_REVISION",
        {{"stream", stream},
         {"expected", absl::StrCat(*expected_revision)},
         {"actual", stream_existed ? absl::StrCat(review.revision()) : "no_stream"}});
  }

  StepContext context{Today(), metadata.actor(), metadata.on_behalf_of()};
  request->stream = stream;
  request->expected = stream_existed ? log::ExpectedRevision::Exact(review.revision())
                                     : log::ExpectedRevision::NoStream();
  ReviewState projected = review;
  bool exists = folded.scheduled;
  bool stream_exists = stream_existed;
  recorded->stream = stream;
  for (std::unique_ptr<google::protobuf::Message>& event : events) {
    IRM_RETURN_IF_ERROR(PrepareStep(projected, exists, state, cycle, event.get(), context));
    log::ProposedEvent proposed;
    proposed.type = event->GetDescriptor()->name();
    proposed.content_type = event::v1::CONTENT_TYPE_PROTOBUF;
    proposed.data = event->SerializeAsString();
    proposed.metadata = metadata;
    // Fold it ahead of time so the next event of this command is checked against it.
    log::EventRecord preview;
    preview.set_type(proposed.type);
    preview.set_content_type(proposed.content_type);
    preview.set_data(proposed.data);
    preview.set_revision(stream_exists ? projected.revision() + 1 : 0);
    IRM_RETURN_IF_ERROR(ApplyToReview(preview, &projected));
    exists = true;
    stream_exists = true;
    recorded->types.push_back(proposed.type);
    request->events.push_back(std::move(proposed));
  }
  recorded->after = std::move(projected);
  return absl::OkStatus();
}

}  // namespace irm::review
