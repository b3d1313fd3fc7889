"""The review API from outside: an optional expected revision enforced with the actual one in
the error details, times as google.protobuf.Timestamp, a refused step saying what is next."""

import time

import grpc
import pytest

from irm_support import error_info, events_of, review_pb2, rpc_error


def _command(**fields):
    return review_pb2.ReviewCommand(state="UGA", cycle=2, **fields)


@pytest.fixture(scope="module")
def scheduled(client):
    return client.review.Execute(_command(on="2015-11-06", schedule=review_pb2.Schedule(year=1)),
                                 timeout=30)


def test_expected_revision_enforced_with_the_actual_one_in_the_details(client, scheduled):
    assert scheduled.revision == 0
    head = client.head()
    error = rpc_error(client.review.Execute, _command(
        on="2016-01-15", expected_revision=5,
        assign_reviewers=review_pb2.AssignReviewers(reviewers=["KEN", "FRA"])), timeout=30)
    assert error.code() == grpc.StatusCode.ABORTED, (error.code(), error.details())
    info = error_info(error)
    assert (info.reason, info.metadata["actual"]) == ("WRONG_EXPECTED_REVISION", "0"), info
    assert client.head() == head
    # Revision 0 set explicitly is a value like any other, not "unset".
    result = client.review.Execute(_command(
        on="2016-01-15", expected_revision=0,
        assign_reviewers=review_pb2.AssignReviewers(reviewers=["KEN", "FRA"])), timeout=30)
    assert result.revision == 1


def test_step_not_allowed_now_says_what_is_next(client, scheduled):
    head = client.head()
    error = rpc_error(client.review.Execute, _command(on="2016-02-01",
                                                      draft=review_pb2.CirculateDraft()),
                      timeout=30)
    assert error.code() == grpc.StatusCode.FAILED_PRECONDITION, (error.code(), error.details())
    assert "allowed next" in error.details(), error.details()
    assert error_info(error).reason == "FAILED_PRECONDITION"
    assert client.head() == head


def test_history_times_are_timestamps_matching_the_log(client, scheduled):
    history = client.review.GetReviewHistory(
        review_pb2.GetReviewHistoryRequest(state="UGA", cycle=2), timeout=30)
    logged = {e.position: e for e in events_of(client.read_stream(stream="review-UGA-2"))}
    assert history.events
    for event in history.events:
        recorded_us = event.recorded_at.seconds * 1_000_000 + event.recorded_at.nanos // 1000
        assert recorded_us == logged[event.position].metadata.recorded_at_us
        assert event.recorded_at.nanos % 1000 == 0
        assert abs(event.recorded_at.seconds - time.time()) < 600
