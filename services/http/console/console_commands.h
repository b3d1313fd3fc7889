// ConsoleCommands: the console's reads and writes, made as calls to irmd's own gRPC services
// over an in-process channel (grpc::Server::InProcessChannel), with the signed-in
// principal's bearer token as the call's credentials. The rules, the authorization, the
// refusal messages, the redaction and the actor recorded are therefore exactly those of
// `irm` over gRPC; nothing here decides whether a step is allowed.
//
// Errors are the gRPC status as an absl::Status with the same canonical code and message
// (INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, NOT_FOUND, ...), plus
// INVALID_ARGUMENT for a form that does not make a command (unknown command or field).
//
// Thread-safe (the generated stub is).
#ifndef IRM_SERVICES_HTTP_CONSOLE_CONSOLE_COMMANDS_H_
#define IRM_SERVICES_HTTP_CONSOLE_CONSOLE_COMMANDS_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include <vector>

#include "irm/api/v1/log.grpc.pb.h"
#include "irm/api/v1/review.grpc.pb.h"

namespace irm::services::http {

// A form's fields by name (the last value of a repeated name wins).
using FormFields = std::map<std::string, std::string>;

// The ReviewCommand that `irm review NAME STATE --cycle CYCLE` with the form's fields as
// flags would send. InvalidArgument for an unknown command, an unknown field (naming the
// fields the command takes) or a missing required one.
absl::StatusOr<api::v1::ReviewCommand> CommandOf(const std::string& name,
                                                 const std::string& state, int cycle,
                                                 const FormFields& fields);

// The DrawYearsRequest (`irm lots draw-years`: cycle, seed, on, session, outside_session)
// or DrawReviewersRequest (`irm lots draw`: also year) of a form; InvalidArgument for an
// unknown field or a field that is not a number where one is needed.
absl::StatusOr<api::v1::DrawYearsRequest> DrawYearsOf(const FormFields& fields);
absl::StatusOr<api::v1::DrawReviewersRequest> DrawReviewersOf(const FormFields& fields);

class ConsoleCommands {
 public:
  explicit ConsoleCommands(std::shared_ptr<grpc::Channel> channel);

  // `authorization`: the call's `authorization` metadata ("Bearer TOKEN", Viewer::
  // authorization); "" sends none (an open server's development principal).
  absl::StatusOr<api::v1::CommandResult> Execute(const std::string& authorization,
                                                 const api::v1::ReviewCommand& command) const;
  absl::StatusOr<api::v1::ReviewHistory> History(const std::string& authorization,
                                                 const std::string& state, int cycle,
                                                 const std::string& as_of) const;
  absl::StatusOr<api::v1::DrawResult> DrawYears(const std::string& authorization,
                                                const api::v1::DrawYearsRequest& request) const;
  absl::StatusOr<api::v1::DrawResult> DrawReviewers(
      const std::string& authorization, const api::v1::DrawReviewersRequest& request) const;
  absl::StatusOr<api::v1::ListReviewsResponse> List(
      const std::string& authorization, const api::v1::ListReviewsRequest& request) const;
  // The events of `stream` as LogService.ReadStream gives them to the principal (its
  // redacted views), in order; at most `limit` events (the draws page reads a review's
  // stream, a few dozen events).
  absl::StatusOr<std::vector<event::v1::EventRecord>> ReadStream(const std::string& authorization,
                                                                 const std::string& stream,
                                                                 uint64_t limit) const;

 private:
  std::unique_ptr<api::v1::ReviewService::Stub> stub_;
  std::unique_ptr<api::v1::LogService::Stub> log_stub_;
};

}  // namespace irm::services::http

#endif  // IRM_SERVICES_HTTP_CONSOLE_CONSOLE_COMMANDS_H_
