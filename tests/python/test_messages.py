"""Request ids, and error messages that say what was wrong (issue 17, item 5)."""

import grpc

from irm_support import error_info, events_of, field_violations, initial_metadata_value
from irm_support import json_event, log_pb2, new_id, new_stream, rpc_error


def test_request_id_echoed_and_recorded(client):
    stream = new_stream("reqid")
    response, call = client.log.Append.with_call(
        log_pb2.AppendRequest(stream=stream, events=[json_event("{}"), json_event("{}")]),
        metadata=(("x-request-id", "py-request-0001"),), timeout=30)
    assert initial_metadata_value(call, "x-request-id") == "py-request-0001"
    events = events_of(client.read_stream(stream=stream))
    assert [e.position for e in events] == [response.first_position, response.last_position]
    assert [e.metadata.request_id for e in events] == ["py-request-0001"] * 2


def test_server_made_request_id_recorded(client):
    stream = new_stream("reqid")
    _, call = client.log.Append.with_call(
        log_pb2.AppendRequest(stream=stream, events=[json_event("{}")]), timeout=30)
    made = initial_metadata_value(call, "x-request-id")
    assert made
    [event] = events_of(client.read_stream(stream=stream))
    assert event.metadata.request_id == made


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
    info = error_info(error)
    assert (info.metadata["differs"], info.metadata["stream"]) == ("stream", first), info
    assert client.head() == head


def test_non_ascii_stream_name_told_which_character_is_not_allowed(client):
    head = client.head()
    error = rpc_error(client.append, "Åland-2", [json_event("{}")])
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    assert "must start with a letter" not in error.details(), error.details()
    assert "Å" in error.details() and "not ASCII" in error.details(), error.details()
    info = error_info(error)
    assert (info.reason, info.metadata["offset"]) == ("INVALID_STREAM_NAME", "0"), info
    assert field_violations(error)[0][0] == "stream"
    assert client.head() == head


def test_raw_nul_and_newline_not_echoed(client):
    for bad in ("bad\nname", "bad\x00name", "bad\r\nname", "bad\x1bname"):
        error = rpc_error(client.append, bad, [json_event("{}")])
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
        assert not any(c in error.details() for c in "\n\r\x00\x1b"), repr(error.details())
        for _, description in field_violations(error):
            assert not any(c in description for c in "\n\r\x00\x1b"), repr(description)
        error = rpc_error(client.append, new_stream(), [json_event("{}", type=bad.title())])
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
        assert not any(c in error.details() for c in "\n\r\x00\x1b"), repr(error.details())
