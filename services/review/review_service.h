// ReviewService: irm.api.v1.ReviewService on gRPC's callback API.
//
// Commands go through ReviewWorkflow: decided against the log on the gRPC thread, they finish
// when their events are durable (ReviewWorkflow::RecordAsync), without holding a thread while
// they wait. Draws (DrawYears, DrawReviewers, assign-reviewers, redraw) read the cycle's
// assignments from the reviews projection after it has caught up with the log, and run one at
// a time on the service's own draw thread (a draw's result is recorded before the next draw
// reads the assignments, so two concurrent draws cannot both give one State a fourth review);
// so do the IRG's records (irg_rpc.cc: a session, a summary's symbol unique across the log).
// Questions answer inline from the reviews projection after it has applied everything
// committed when the question arrived (read-your-writes).
// Every call is authenticated; commands are authorised by engine/access against the review's
// current parties and recorded with the caller as the actor; answers are redacted to what the
// caller may see (engine/access/visibility). Thread-safe; every pointer must outlive the service.
#ifndef IRM_SERVICES_REVIEW_REVIEW_SERVICE_H_
#define IRM_SERVICES_REVIEW_REVIEW_SERVICE_H_

#include <functional>
#include <memory>
#include <vector>

#include "engine/projection/projection_runner.h"
#include "engine/review/lot_draw.h"
#include "engine/review/review_history.h"
#include "engine/review/review_workflow.h"
#include "engine/access/principal.h"
#include "engine/access/visibility.h"
#include "irm/api/v1/review.grpc.pb.h"
#include "services/server/authenticator.h"
#include "services/server/serial_worker.h"

namespace irm::services {

class ReviewService final : public api::v1::ReviewService::CallbackService {
 public:
  ReviewService(log::EventLog* log, review::ReviewWorkflow* workflow,
                projection::ProjectionRunner* projections, const Authenticator* auth);
  // Runs the draws already accepted, then stops the draw thread. The gRPC server must be shut
  // down first (Shutdown waits for those draws' answers).
  ~ReviewService() override = default;

  grpc::ServerUnaryReactor* Execute(grpc::CallbackServerContext* context,
                                    const api::v1::ReviewCommand* request,
                                    api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* DrawYears(grpc::CallbackServerContext* context,
                                      const api::v1::DrawYearsRequest* request,
                                      api::v1::DrawResult* response) override;
  grpc::ServerUnaryReactor* DrawReviewers(grpc::CallbackServerContext* context,
                                          const api::v1::DrawReviewersRequest* request,
                                          api::v1::DrawResult* response) override;
  grpc::ServerUnaryReactor* GetReview(grpc::CallbackServerContext* context,
                                      const api::v1::GetReviewRequest* request,
                                      api::v1::ReviewStatus* response) override;
  grpc::ServerUnaryReactor* ListReviews(grpc::CallbackServerContext* context,
                                        const api::v1::ListReviewsRequest* request,
                                        api::v1::ListReviewsResponse* response) override;
  grpc::ServerUnaryReactor* GetCountryProfile(grpc::CallbackServerContext* context,
                                              const api::v1::GetCountryProfileRequest* request,
                                              api::v1::CountryProfile* response) override;
  grpc::ServerUnaryReactor* GetPipeline(grpc::CallbackServerContext* context,
                                        const api::v1::GetPipelineRequest* request,
                                        api::v1::Pipeline* response) override;
  grpc::ServerUnaryReactor* GetReviewHistory(grpc::CallbackServerContext* context,
                                             const api::v1::GetReviewHistoryRequest* request,
                                             api::v1::ReviewHistory* response) override;
  // IRG sessions (irg_rpc.cc): recorded on the draw thread; listed from the irg projection.
  grpc::ServerUnaryReactor* AddIrgSession(grpc::CallbackServerContext* context,
                                          const api::v1::AddIrgSessionRequest* request,
                                          api::v1::AddIrgSessionResult* response) override;
  grpc::ServerUnaryReactor* ListIrgSessions(grpc::CallbackServerContext* context,
                                            const api::v1::ListIrgSessionsRequest* request,
                                            api::v1::IrgSessions* response) override;

  // Called with (state, cycle) after each command recorded for that review (irmd: the
  // DeadlineRecorder's Nudge). Must not block. Call before serving.
  using OnRecorded = std::function<void(const std::string& state, int cycle)>;
  void SetOnRecorded(OnRecorded on_recorded) { on_recorded_ = std::move(on_recorded); }

  // GetReview and ListReviews for a caller authenticated elsewhere (irmd's HTTP side): the
  // same answers, redacted for `caller` by the same code.
  grpc::Status GetReviewAs(const access::Principal& caller,
                           const api::v1::GetReviewRequest* request,
                           api::v1::ReviewStatus* response);
  grpc::Status ListReviewsAs(const access::Principal& caller,
                             const api::v1::ListReviewsRequest* request,
                             api::v1::ListReviewsResponse* response);

 private:
  using Events = std::vector<std::unique_ptr<google::protobuf::Message>>;

  OnRecorded on_recorded_;

  // The answers, once the caller is authenticated (and, for draws, authorised and the
  // request checked); the draws run on `draws_`.
  // The caller of a draw of `cycle`, once authenticated, allowed to draw and the cycle valid.
  absl::StatusOr<access::Principal> DrawCaller(grpc::CallbackServerContext& context,
                                               int cycle) const;
  grpc::Status DrawYearsNow(const access::Principal& caller, const std::string& request_id,
                            const api::v1::DrawYearsRequest* request,
                            api::v1::DrawResult* response);
  grpc::Status DrawReviewersNow(const access::Principal& caller, const std::string& request_id,
                                const api::v1::DrawReviewersRequest* request,
                                api::v1::DrawResult* response);
  grpc::Status CountryProfileAs(const access::Principal& caller,
                                const api::v1::GetCountryProfileRequest* request,
                                api::v1::CountryProfile* response);
  grpc::Status PipelineNow(const api::v1::GetPipelineRequest* request,
                           api::v1::Pipeline* response);
  grpc::Status ReviewHistoryAs(const access::Principal& caller,
                               const api::v1::GetReviewHistoryRequest* request,
                               api::v1::ReviewHistory* response);

  // Waits until the reviews projection has applied the log's current head; Unavailable
  // if it is stopped (docs/void.md).
  absl::Status CatchUp() const;
  // IRG sessions (irg_rpc.cc, issue 21 section 3). CatchUp of the reviews and irg projections.
  absl::Status CatchUpIrg() const;
  // May a lot draw dated `on` ("" today) name `session` with `reason`? (irg_rules.h
  // CheckDrawSession against the sessions the log holds now.) Runs on `draws_`.
  absl::Status CheckDrawSession(int session, const std::string& reason,
                                const std::string& on) const;
  // AlreadyExists naming the holder if the symbol of an issue_summary command is taken.
  // Runs on `draws_`, before the command is recorded there.
  absl::Status CheckSymbolFree(const api::v1::ReviewCommand& command) const;
  absl::Status AddIrgSessionNow(const access::Principal& caller, const std::string& request_id,
                                const api::v1::AddIrgSessionRequest& request,
                                api::v1::AddIrgSessionResult* response);
  absl::Status ListIrgSessionsNow(api::v1::IrgSessions* response) const;
  // The cycle's assignments, from the reviews projection.
  absl::StatusOr<std::vector<review::Assignment>> Assignments(int cycle) const;
  // May `caller` give `command`? May pin the command's expected revision to the one its
  // reviewers were checked at.
  absl::Status Authorize(const access::Principal& caller, api::v1::ReviewCommand* command) const;
  // Records `events` as `caller` in a call with `request_id` (both go into the events'
  // metadata), fills `result` and then calls `done` with the outcome, on the thread that
  // completes the append (ReviewWorkflow::RecordAsync). A refusal about a field of the
  // events names the field of `command` it came from ("schedule.year").
  void RecordAsync(const access::Principal& caller, const std::string& request_id,
                   const api::v1::ReviewCommand& command, Events events,
                   api::v1::CommandResult* result, std::function<void(absl::Status)> done);
  // Blocking form of RecordAsync, for the draw thread.
  absl::Status RecordInto(const access::Principal& caller, const std::string& request_id,
                          const api::v1::ReviewCommand& command, Events events,
                          api::v1::CommandResult* result);
  // assign-reviewers and redraw: events that depend on the cycle's other assignments. Runs
  // on `draws_`.
  absl::StatusOr<Events> DrawEvents(const api::v1::ReviewCommand& command);
  // The review as of `as_of`/`known_at` (services/review/history_point.h), read from the log;
  // `judge_on` gets the day overdue is judged on.
  absl::StatusOr<review::ReviewHistory> ReadHistory(const std::string& state, int cycle,
                                                    const std::string& as_of,
                                                    const std::string& known_at,
                                                    bool with_provenance,
                                                    absl::CivilDay* judge_on) const;
  // "" -> today; otherwise a YYYY-MM-DD date.
  absl::StatusOr<absl::CivilDay> AsOfDate(const std::string& text) const;
  // One review as it stood then (`then`) and as it stands now (`now`, what access is judged
  // on: engine/access/visibility.h AccessNow).
  struct PastReview {
    event::v1::ReviewState then;
    event::v1::ReviewState now;
  };
  // The reviews of `cycle` (0: both) from the reviews projection; with a date `as_of`, each
  // as it stood at the end of that business date, folded from its stream (reviews with no
  // step by then are left out), so lists and the pipeline agree with `irm status --as-of`.
  absl::StatusOr<std::vector<PastReview>> ReviewsAsOf(int cycle, const std::string& as_of) const;
  // What `caller` may see of the review of `state` and `cycle` at any position, judged on the
  // review as it stands now (folded from its stream).
  absl::StatusOr<access::ReviewAccess> AccessNow(const access::Principal& caller,
                                                 const std::string& state, int cycle) const;

  log::EventLog* const log_;
  review::ReviewWorkflow* const workflow_;
  projection::ProjectionRunner* const projections_;
  const Authenticator* const auth_;
  // Runs every command that decides against the cycle's other assignments (lot draws,
  // assign-reviewers, redraw) or against the IRG's records (recording a session, issuing a
  // summary with a symbol), one at a time, from reading them until its events are
  // recorded. Last member: destroyed (and joined) first.
  SerialWorker draws_;
};

// The API view of a review as of `as_of`.
api::v1::ReviewStatus ToStatus(const event::v1::ReviewState& review, absl::CivilDay as_of);
// ToStatus of the review as it stands now, as `caller` may see it (engine/access/visibility;
// counts stay).
api::v1::ReviewStatus ToStatusFor(const access::Principal& caller,
                                  const event::v1::ReviewState& review, absl::CivilDay as_of);
// ToStatus of a review as it stood at a past position (`then`), for a caller whose access is
// `access` (access::AccessNow: judged on the review as it stands now, never on `then`).
api::v1::ReviewStatus ToPastStatusFor(const access::ReviewAccess& access,
                                      const event::v1::ReviewState& then, absl::CivilDay as_of);

}  // namespace irm::services

#endif  // IRM_SERVICES_REVIEW_REVIEW_SERVICE_H_
