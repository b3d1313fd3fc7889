#include "services/log/log_conversions.h"

namespace irm::services {

log::AppendRequest FromApi(const api::v1::AppendRequest& request,
                           const event::v1::Principal& actor, const std::string& request_id) {
  log::AppendRequest out;
  out.stream = request.stream();
  switch (request.expected_case()) {
    case api::v1::AppendRequest::kExpectedRevision:
      out.expected = log::ExpectedRevision::Exact(request.expected_revision());
      break;
    case api::v1::AppendRequest::kNoStream:
      out.expected = log::ExpectedRevision::NoStream();
      break;
    case api::v1::AppendRequest::kStreamExists:
      out.expected = log::ExpectedRevision::Exists();
      break;
    case api::v1::AppendRequest::kAnyRevision:
    case api::v1::AppendRequest::EXPECTED_NOT_SET:
      out.expected = log::ExpectedRevision::Any();
      break;
  }
  out.events.reserve(request.events_size());
  for (const api::v1::ProposedEvent& proposed : request.events()) {
    log::ProposedEvent& event = out.events.emplace_back();
    event.id = proposed.id();
    event.type = proposed.type();
    event.content_type = proposed.content_type();
    event.data = proposed.data();
    event::v1::EventMetadata& metadata = event.metadata;
    *metadata.mutable_actor() = actor;
    metadata.set_correlation_id(proposed.correlation_id());
    metadata.set_causation_id(proposed.causation_id());
    metadata.set_request_id(request_id);
    metadata.set_custom_json(proposed.custom_json());
    if (request.import() && proposed.has_imported_from()) {
      *metadata.mutable_imported_from() = proposed.imported_from();
    }
  }
  return out;
}

api::v1::AppendResponse ToApi(const log::AppendResult& result) {
  api::v1::AppendResponse response;
  response.set_stream(result.stream);
  response.set_first_revision(result.first_revision);
  response.set_last_revision(result.last_revision);
  response.set_first_position(result.first_position);
  response.set_last_position(result.last_position);
  response.set_already_written(result.already_written);
  for (const std::string& id : result.ids) response.add_ids(id);
  return response;
}

api::v1::StreamInfo ToApi(const log::StreamInfo& info) {
  api::v1::StreamInfo out;
  out.set_stream(info.stream);
  out.set_last_revision(info.last_revision);
  out.set_event_count(info.event_count);
  out.set_last_position(info.last_position);
  return out;
}

}  // namespace irm::services
