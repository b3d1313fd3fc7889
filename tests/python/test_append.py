"""Append: the expected-revision modes, what an append returns, refused input and the error
details (google.rpc.Status in the grpc-status-details-bin trailer) that come with each."""

import grpc
import pytest

from irm_support import EMPTY, PROTOBUF, error_info, events_of, field_violations, json_event
from irm_support import log_pb2, new_id, new_stream, rpc_error


def _events(n, prefix="e"):
    return [json_event(f'{{"{prefix}":{i}}}') for i in range(n)]


def test_any_numbers_revisions_and_positions(client):
    stream = new_stream()
    head = client.head()
    first = client.append(stream, _events(2))  # nothing set: any
    assert (first.stream, first.first_revision, first.last_revision) == (stream, 0, 1)
    assert (first.first_position, first.last_position) == (head + 1, head + 2)
    assert not first.already_written
    second = client.append(stream, _events(3), any_revision=EMPTY)
    assert (second.first_revision, second.last_revision) == (2, 4)
    assert (second.first_position, second.last_position) == (head + 3, head + 5)
    assert client.head() == head + 5


def test_response_lists_every_id_server_made_ones_included(client):
    stream = new_stream()
    given = new_id()
    events = [json_event('{"n":0}'), json_event('{"n":1}', id=given), json_event('{"n":2}')]
    response = client.append(stream, events)
    assert len(response.ids) == 3
    assert response.ids[1] == given
    assert all(len(i) == 16 for i in response.ids) and len(set(response.ids)) == 3
    read = events_of(client.read_stream(stream=stream))
    assert [e.id for e in read] == list(response.ids)


def _expect_wrong_revision(client, stream, actual, **expected):
    head = client.head()
    error = rpc_error(client.append, stream, _events(1), **expected)
    assert error.code() == grpc.StatusCode.ABORTED, (error.code(), error.details())
    assert stream in error.details()
    info = error_info(error)
    assert info.reason == "WRONG_EXPECTED_REVISION", info
    assert (info.metadata["stream"], info.metadata["actual"]) == (stream, actual), info
    assert client.head() == head
    return info


def test_no_stream_only_for_a_new_stream(client):
    stream = new_stream()
    assert client.append(stream, _events(1), no_stream=EMPTY).last_revision == 0
    _expect_wrong_revision(client, stream, "0", no_stream=EMPTY)


def test_stream_exists_only_for_an_existing_stream(client):
    stream = new_stream()
    _expect_wrong_revision(client, stream, "no_stream", stream_exists=EMPTY)
    client.append(stream, _events(1))
    assert client.append(stream, _events(1), stream_exists=EMPTY).last_revision == 1


def test_expected_revision_checked(client):
    stream = new_stream()
    client.append(stream, _events(3))  # revisions 0-2
    assert client.append(stream, _events(1), expected_revision=2).first_revision == 3
    _expect_wrong_revision(client, stream, "3", expected_revision=1)


def test_expected_revision_zero_on_a_stream_at_revision_2_is_aborted(client):
    # Issue 17, item 4: setting the revision alone used to be ignored (the kind was "any").
    stream = new_stream()
    client.append(stream, _events(3))
    info = _expect_wrong_revision(client, stream, "2", expected_revision=0)
    assert "0" in info.metadata["expected"], info
    assert "2" in rpc_error(client.append, stream, _events(1), expected_revision=0).details()


def _expect_refused(client, stream, events, field, reason, *mentions):
    """Appending `events` to `stream` is INVALID_ARGUMENT about `field` (google.rpc.BadRequest)
    for `reason` (ErrorInfo), the message naming `mentions`; nothing is appended."""
    head = client.head()
    error = rpc_error(client.append, stream, events)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    for mention in mentions:
        assert mention in error.details(), (mention, error.details())
    assert [f for f, _ in field_violations(error)] == [field], error.details()
    info = error_info(error)
    assert info.reason == reason, info
    assert client.head() == head
    return info


BAD_APPENDS = [
    # (id, stream, events, field, reason, mentions)
    ("empty-stream", "", [json_event("{}")], "stream", "INVALID_STREAM_NAME", ["stream name"]),
    ("reserved-stream", "$mine", [json_event("{}")], "stream", "INVALID_STREAM_NAME",
     ["$mine", "reserved"]),
    ("space-in-stream", "has space", [json_event("{}")], "stream", "INVALID_STREAM_NAME",
     ["has space"]),
    ("no-events", None, [], "events", "NO_EVENTS", ["no events"]),
    ("empty-type", None, [json_event("{}"), json_event("{}", type="")], "events[1].type",
     "INVALID_EVENT_TYPE", ["event type"]),
    ("type-starts-with-digit", None, [json_event("{}", type="9lives")], "events[0].type",
     "INVALID_EVENT_TYPE", ["9lives"]),
    ("empty-data", None, [json_event(b"")], "events[0].data", "EMPTY_DATA", ["empty data"]),
    ("malformed-json", None, [json_event(b'{"a":')], "events[0].data", "INVALID_JSON", ["JSON"]),
    ("short-id", None, [json_event("{}", id=b"12345")], "events[0].id", "INVALID_EVENT_ID",
     ["16"]),
    ("unspecified-content-type", None, [log_pb2.ProposedEvent(type="T", data=b"{}")],
     "events[0].content_type", "INVALID_ENUM_VALUE", ["CONTENT_TYPE_JSON"]),
    ("custom-json-not-an-object", None, [json_event("{}", custom_json=b"[1]")],
     "events[0].custom_json", "INVALID_JSON", ["metadata"]),
]


@pytest.mark.parametrize("stream,events,field,reason,mentions",
                         [b[1:] for b in BAD_APPENDS], ids=[b[0] for b in BAD_APPENDS])
def test_bad_input_refused_naming_the_field(client, stream, events, field, reason, mentions):
    _expect_refused(client, new_stream() if stream is None else stream, events, field, reason,
                    *mentions)


def test_duplicate_ids_in_one_append_refused(client):
    same = new_id()
    info = _expect_refused(client, new_stream(), [json_event("{}", id=same),
                                                  json_event("{}", id=same)],
                           "events[1].id", "DUPLICATE_EVENT_ID", "event 0")
    assert info.metadata["first_index"] == "0"


def test_event_too_large_names_the_limit(client):
    big = b'"' + b"x" * (1 << 20) + b'"'
    info = _expect_refused(client, new_stream(), [json_event(big)], "events[0].data",
                           "EVENT_TOO_LARGE", str(len(big)), "1048576")
    assert info.metadata["limit"] == "1048576", info


def test_protobuf_data_kept_as_sent(client):
    stream = new_stream()
    client.append(stream, [log_pb2.ProposedEvent(type="Blob", content_type=PROTOBUF,
                                                 data=b"\x00\x01\xff\x08\x96\x01")])
    [event] = events_of(client.read_stream(stream=stream))
    assert (event.content_type, event.data) == (PROTOBUF, b"\x00\x01\xff\x08\x96\x01")


def test_log_info_counts_events(client):
    last = client.append(new_stream(), _events(2)).last_position
    info = client.log.GetLogInfo(log_pb2.GetLogInfoRequest(), timeout=10)
    assert (info.head_position, info.event_count) == (last, last)
