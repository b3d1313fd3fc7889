"""Idempotent appends: the same ids give the same positions; reused ids are refused."""

import grpc

from irm_support import json_event, log_pb2, new_id, new_stream, rpc_error


def test_retry_with_the_same_ids_returns_the_original_positions(client):
    stream = new_stream()
    client.append(stream, [json_event('{"seed":true}')])
    events = [json_event(f'{{"n":{i}}}', id=new_id()) for i in range(3)]
    first = client.append(stream, events, expected=log_pb2.EXPECTED_EXACT, expected_revision=0)
    assert not first.already_written
    head = client.head()
    # A retry, even with the now stale expected revision, writes nothing and says so.
    again = client.append(stream, events, expected=log_pb2.EXPECTED_EXACT, expected_revision=0)
    assert again.already_written
    assert (again.first_position, again.last_position) == (first.first_position,
                                                            first.last_position)
    assert (again.first_revision, again.last_revision) == (1, 3)
    assert client.head() == head
    read = client.read_stream(stream=stream)
    assert [e.revision for r in read for e in r.events] == [0, 1, 2, 3]


def test_same_id_with_other_content_is_already_exists(client):
    stream = new_stream()
    event_id = new_id()
    written = client.append(stream, [json_event('{"amount":1}', id=event_id)])
    head = client.head()
    error = rpc_error(client.append, stream, [json_event('{"amount":2}', id=event_id)])
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS, error.details()
    assert event_id in error.details()
    assert str(written.first_position) in error.details(), error.details()
    assert client.head() == head


def test_partly_written_retry_is_already_exists(client):
    stream = new_stream()
    written = json_event('{"a":1}', id=new_id())
    client.append(stream, [written])
    head = client.head()
    error = rpc_error(client.append, stream, [written, json_event('{"b":2}', id=new_id())])
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS, error.details()
    assert client.head() == head
