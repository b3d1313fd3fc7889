"""Imports into review- streams are validated like every other way in.

A garbage protobuf ReviewScheduled imported into review-KEN-2 once stopped the reviews and
needs projections for good (issue 17): it must be refused, nothing appended, and the review
queries must keep answering.
"""

import grpc
import pytest

from irm_support import PROTOBUF, admin_pb2, log_pb2, new_id, record_pb2, review_events_pb2
from irm_support import review_pb2, rpc_error


def _imported(message, position):
    """`message` as the ProposedEvent `irm import` would send for an export's `position`."""
    return log_pb2.ProposedEvent(
        id=new_id(), type=type(message).DESCRIPTOR.name, content_type=PROTOBUF,
        data=message.SerializeToString(), imported_from=record_pb2.ImportOrigin(
            position=position, metadata=record_pb2.EventMetadata(recorded_at_us=1446800000000000)))


@pytest.fixture(scope="module")
def scheduled(client):
    """KEN's cycle-2 review, scheduled through the workflow."""
    result = client.review.Execute(review_pb2.ReviewCommand(
        state="KEN", cycle=2, on="2015-11-06", schedule=review_pb2.Schedule(year=1)), timeout=30)
    assert result.stream == "review-KEN-2"
    return result


def _review_queries_answer(client):
    status = client.review.GetReview(review_pb2.GetReviewRequest(state="KEN", cycle=2),
                                     timeout=30)
    assert status.review.stage == "scheduled"
    listed = client.review.ListReviews(review_pb2.ListReviewsRequest(cycle=2), timeout=30)
    assert "KEN" in [r.review.state for r in listed.reviews]
    client.review.GetPipeline(review_pb2.GetPipelineRequest(), timeout=30)
    projections = client.admin.ListProjections(admin_pb2.ListProjectionsRequest(), timeout=30)
    assert [(p.name, p.error) for p in projections.projections if p.error] == []


def test_garbage_protobuf_import_refused_and_queries_keep_answering(client, scheduled):
    head = client.head()
    garbage = log_pb2.ProposedEvent(
        id=new_id(), type="ReviewScheduled", content_type=PROTOBUF,
        data=b"\xff\xff\xff\xff garbage, not a ReviewScheduled",
        imported_from=record_pb2.ImportOrigin(position=7))
    error = rpc_error(client.append, "review-KEN-2", [garbage], **{"import": True})
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    assert "ReviewScheduled" in error.details(), error.details()
    assert client.head() == head
    _review_queries_answer(client)


def test_unknown_event_type_in_a_review_stream_refused(client, scheduled):
    head = client.head()
    unknown = log_pb2.ProposedEvent(id=new_id(), type="NoSuchReviewEvent", content_type=PROTOBUF,
                                    data=b"\x0a\x02hi",
                                    imported_from=record_pb2.ImportOrigin(position=8))
    error = rpc_error(client.append, "review-KEN-2", [unknown], **{"import": True})
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    assert "NoSuchReviewEvent" in error.details(), error.details()
    assert client.head() == head
    _review_queries_answer(client)


def test_well_formed_import_accepted(client, scheduled):
    event = _imported(review_events_pb2.ReviewScheduled(
        on="2015-11-06", state="FRA", cycle=2, year=3, region="weog"), position=12)
    response = client.append("review-FRA-2", [event], **{"import": True})
    assert response.first_revision == 0
    status = client.review.GetReview(review_pb2.GetReviewRequest(state="FRA", cycle=2),
                                     timeout=30)
    assert (status.review.stage, status.review.year) == ("scheduled", 3)
    _review_queries_answer(client)


def test_raw_append_into_a_review_stream_is_permission_denied(client, scheduled):
    head = client.head()
    event = _imported(review_events_pb2.ReviewLaunched(on="2016-06-01"), position=13)
    event.ClearField("imported_from")
    error = rpc_error(client.append, "review-KEN-2", [event])
    assert error.code() == grpc.StatusCode.PERMISSION_DENIED, (error.code(), error.details())
    assert client.head() == head
