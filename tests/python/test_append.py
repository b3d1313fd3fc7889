"""Append: the expected-revision modes, what an append returns, and refused input."""

import grpc

from irm_support import json_event, log_pb2, new_id, new_stream, rpc_error


def _events(n, prefix="e"):
    return [json_event(f'{{"{prefix}":{i}}}') for i in range(n)]


def test_any_numbers_revisions_and_positions(client):
    stream = new_stream()
    head = client.head()
    first = client.append(stream, _events(2))
    assert (first.stream, first.first_revision, first.last_revision) == (stream, 0, 1)
    assert (first.first_position, first.last_position) == (head + 1, head + 2)
    assert not first.already_written
    second = client.append(stream, _events(3), expected=log_pb2.EXPECTED_ANY)
    assert (second.first_revision, second.last_revision) == (2, 4)
    assert (second.first_position, second.last_position) == (head + 3, head + 5)
    assert client.head() == head + 5


def test_no_stream_only_for_a_new_stream(client):
    stream = new_stream()
    assert client.append(stream, _events(1), expected=log_pb2.EXPECTED_NO_STREAM).last_revision == 0
    head = client.head()
    error = rpc_error(client.append, stream, _events(1), expected=log_pb2.EXPECTED_NO_STREAM)
    assert error.code() == grpc.StatusCode.ABORTED, error.details()
    assert stream in error.details()
    assert client.head() == head


def test_exists_only_for_an_existing_stream(client):
    stream = new_stream()
    head = client.head()
    error = rpc_error(client.append, stream, _events(1), expected=log_pb2.EXPECTED_EXISTS)
    assert error.code() == grpc.StatusCode.ABORTED, error.details()
    assert client.head() == head
    client.append(stream, _events(1))
    assert client.append(stream, _events(1), expected=log_pb2.EXPECTED_EXISTS).last_revision == 1


def test_exact_revision_checked_and_conflict_names_the_actual_one(client):
    stream = new_stream()
    client.append(stream, _events(3))  # revisions 0-2
    ok = client.append(stream, _events(1), expected=log_pb2.EXPECTED_EXACT, expected_revision=2)
    assert ok.first_revision == 3
    head = client.head()
    error = rpc_error(client.append, stream, _events(1), expected=log_pb2.EXPECTED_EXACT,
                      expected_revision=1)
    assert error.code() == grpc.StatusCode.ABORTED, error.details()
    assert "3" in error.details(), error.details()
    assert client.head() == head


def _expect_refused(client, stream, events, *mentions):
    """`events` appended to `stream` is INVALID_ARGUMENT naming `mentions`; nothing appended."""
    head = client.head()
    error = rpc_error(client.append, stream, events)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    for mention in mentions:
        assert mention in error.details(), (mention, error.details())
    assert client.head() == head
    return error


def test_bad_input_refused_with_invalid_argument_and_nothing_appended(client):
    stream = new_stream()
    _expect_refused(client, "", _events(1), "stream name")
    _expect_refused(client, "$mine", _events(1), "$mine", "reserved")
    _expect_refused(client, "has space", _events(1), "has space")
    _expect_refused(client, stream, [], stream, "no events")
    _expect_refused(client, stream, [json_event("{}", type="")], "event type")
    _expect_refused(client, stream, [json_event("{}", type="9lives")], "9lives")
    _expect_refused(client, stream, [json_event(b"")], "empty data")
    _expect_refused(client, stream, [json_event(b'{"a":')], "JSON")
    _expect_refused(client, stream, [json_event("{}", id="not-a-uuid")], "not-a-uuid")
    same = new_id()
    _expect_refused(client, stream, [json_event("{}", id=same), json_event("{}", id=same)],
                    same, "twice")
    big = b'"' + b"x" * (1 << 20) + b'"'
    _expect_refused(client, stream, [json_event(big)], str(len(big)))
    _expect_refused(client, stream, [json_event("{}", custom_metadata_json=b"[1]")], "metadata")
    stream_info = rpc_error(client.log.GetStreamInfo, log_pb2.GetStreamInfoRequest(stream=stream))
    assert stream_info.code() == grpc.StatusCode.NOT_FOUND
