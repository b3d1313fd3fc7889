"""Request ids, and error messages that say what was wrong (issue 17, item 5)."""

import grpc

from irm_support import events_of, initial_metadata_value, json_event, log_pb2, new_id
from irm_support import new_stream, rpc_error


def test_request_id_echoed_and_recorded(client):
    stream = new_stream("reqid")
    response, call = client.log.Append.with_call(
        log_pb2.AppendRequest(stream=stream, events=[json_event("{}")]),
        metadata=(("x-request-id", "py-request-0001"),), timeout=30)
    assert initial_metadata_value(call, "x-request-id") == "py-request-0001"
    [event] = events_of(client.read_stream(stream=stream))
    assert event.position == response.first_position
    assert event.metadata.request_id == "py-request-0001"


def test_same_content_in_another_stream_is_not_called_different_content(client):
    first, second = new_stream("first"), new_stream("second")
    event = json_event('{"same":true}', id=new_id())
    written = client.append(first, [event])
    head = client.head()
    error = rpc_error(client.append, second, [event])
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS, error.details()
    assert "different content" not in error.details(), error.details()
    assert first in error.details() and str(written.first_position) in error.details(), \
        error.details()
    assert client.head() == head


def test_non_ascii_stream_name_told_which_characters_are_allowed(client):
    head = client.head()
    error = rpc_error(client.append, "Åland-2", [json_event("{}")])
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    assert "must start with a letter" not in error.details(), error.details()
    assert "A-Z" in error.details() or "letters, digits" in error.details(), error.details()
    assert client.head() == head


def test_raw_nul_and_newline_not_echoed(client):
    for bad in ("bad\nname", "bad\x00name", "bad\r\nname"):
        error = rpc_error(client.append, bad, [json_event("{}")])
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
        assert not any(c in error.details() for c in "\n\r\x00"), repr(error.details())
        error = rpc_error(client.append, new_stream(), [json_event("{}", type="Bad\nType")])
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
        assert "\n" not in error.details(), repr(error.details())
