"""Idempotent appends: the same ids give the same positions; reused ids are refused with the
original event's place in the error details."""

import grpc

from irm_support import error_info, events_of, id_text, json_event, new_id, new_stream
from irm_support import rpc_error


def test_retry_with_the_same_ids_returns_the_original_positions(client):
    stream = new_stream()
    client.append(stream, [json_event('{"seed":true}')])
    events = [json_event(f'{{"n":{i}}}', id=new_id()) for i in range(3)]
    first = client.append(stream, events, expected_revision=0)
    assert not first.already_written
    head = client.head()
    # A retry, even with the now stale expected revision, writes nothing and says so.
    again = client.append(stream, events, expected_revision=0)
    assert again.already_written
    assert (again.first_position, again.last_position) == (first.first_position,
                                                            first.last_position)
    assert (again.first_revision, again.last_revision) == (1, 3)
    assert list(again.ids) == [e.id for e in events]
    assert client.head() == head
    assert [e.revision for e in events_of(client.read_stream(stream=stream))] == [0, 1, 2, 3]


def test_same_id_with_other_content_is_already_exists(client):
    stream = new_stream()
    event_id = new_id()
    written = client.append(stream, [json_event('{"amount":1}', id=event_id)])
    head = client.head()
    error = rpc_error(client.append, stream, [json_event('{"amount":2}', id=event_id)])
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS, error.details()
    assert id_text(event_id) in error.details()
    assert str(written.first_position) in error.details(), error.details()
    info = error_info(error)
    assert info.reason == "EVENT_ID_REUSED", info
    assert dict(info.metadata) == {
        "id": id_text(event_id), "stream": stream, "position": str(written.first_position),
        "revision": "0", "differs": "data"}, info
    assert client.head() == head


def test_same_id_with_another_type_names_the_difference(client):
    stream = new_stream()
    event_id = new_id()
    client.append(stream, [json_event("{}", id=event_id, type="Opened")])
    error = rpc_error(client.append, stream, [json_event("{}", id=event_id, type="Closed")])
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS, error.details()
    assert error_info(error).metadata["differs"] == "type"


def test_partly_written_retry_is_already_exists(client):
    stream = new_stream()
    written = json_event('{"a":1}', id=new_id())
    original = client.append(stream, [written])
    head = client.head()
    error = rpc_error(client.append, stream, [written, json_event('{"b":2}', id=new_id())])
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS, error.details()
    info = error_info(error)
    assert info.reason == "PARTIAL_RETRY", info
    assert info.metadata["position"] == str(original.first_position), info
    assert client.head() == head
