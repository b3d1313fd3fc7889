"""JSON event data and custom metadata are stored and given back byte for byte.

What irmd used to rewrite (issue 17): big integers and long decimals lost precision, 1e2
became 100.0, -0 became 0, escapes were unescaped, white space was dropped, a BOM stripped,
duplicate keys silently collapsed.
"""

import grpc
import pytest

from irm_support import events_of, field_violations, json_event, log_pb2, new_id, new_stream
from irm_support import rpc_error

ROUND_TRIPS = [
    b'{"acct":12345678901234567890123,"rate":0.30000000000000000001}',
    b'{"hundred":1e2,"HUNDRED":1E+2,"zero":-0,"zero2":-0.0,"tiny":5e-324,"half":0.50}',
    b'{"escaped":"\\u00e9\\n","quote":"\\"","slash":"\\/","tab":"\\t","surrogates":"\\ud83c\\udf89"}',
    '{"name":"José Ñúñez","city":"東京","emoji":"🎉","rtl":"שלום"}'.encode("utf-8"),
    b'  {\n\t"spaced" : [ 1 , 2 ,\r\n 3 ] ,  "empty" : { }\n}\n',
    b'[1.0,2.50,-0.0e-0,1E-7,1e400]',
    b'"just a string"',
    b"12345678901234567890123",
    b"null",
]


def _read_back(client, stream):
    return [e.data for e in events_of(client.read_stream(stream=stream))]


@pytest.mark.parametrize("data", ROUND_TRIPS, ids=range(len(ROUND_TRIPS)))
def test_json_data_round_trips_byte_exact(client, data):
    stream = new_stream("bytes")
    appended = client.append(stream, [json_event(data)])
    assert _read_back(client, stream) == [data]
    # ... and the same from `$all` and a subscription.
    [event] = events_of(client.read_all(from_position=appended.first_position, limit=1))
    assert event.data == data
    call = client.log.Subscribe(log_pb2.SubscribeRequest(
        start=log_pb2.SUBSCRIBE_FROM_POSITION, from_position=appended.first_position,
        stream=stream), timeout=30)
    # A message with no events may come first (a checkpoint at the head the subscription saw
    # when it started): the event follows in a later one.
    subscribed = next(e for response in call for e in response.events)
    call.cancel()
    assert subscribed.data == data


def test_custom_metadata_round_trips_byte_exact(client):
    stream = new_stream("bytes")
    metadata = b'{ "trace" : "abc",\n "amount": 1.10, "big":12345678901234567890123 }'
    client.append(stream, [json_event('{"x" : 1}', custom_json=metadata)])
    [event] = events_of(client.read_stream(stream=stream))
    assert event.data == b'{"x" : 1}'
    assert event.metadata.custom_json == metadata


def test_retry_with_the_same_bytes_is_already_written(client):
    stream = new_stream("bytes")
    event = json_event(ROUND_TRIPS[0], id=new_id())
    first = client.append(stream, [event])
    again = client.append(stream, [event])
    assert again.already_written and again.first_position == first.first_position


@pytest.mark.parametrize("data,mention", [
    (b'{"a":1,"a":2}', '"a"'),
    (b'{"outer":{"k":true,"k":false}}', '"k"'),
    (b'{"a":1,"\\u0061":2}', '"a"'),  # the same key once unescaped
], ids=["plain", "nested", "escaped"])
def test_duplicate_keys_refused_and_nothing_appended(client, data, mention):
    stream = new_stream("dup")
    head = client.head()
    error = rpc_error(client.append, stream, [json_event(data)])
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    assert "duplicate" in error.details() and mention in error.details(), error.details()
    assert [f for f, _ in field_violations(error)] == ["events[0].data"], error.details()
    assert client.head() == head


def test_bom_refused_and_nothing_appended(client):
    stream = new_stream("bom")
    head = client.head()
    error = rpc_error(client.append, stream, [json_event(b'\xef\xbb\xbf{"a":1}')])
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    assert "byte order mark" in error.details(), error.details()
    assert [f for f, _ in field_violations(error)] == ["events[0].data"], error.details()
    assert client.head() == head
    error = rpc_error(client.append, stream,
                      [json_event("{}", custom_json=b'\xef\xbb\xbf{"a":1}')])
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    assert "byte order mark" in error.details(), error.details()
    assert [f for f, _ in field_violations(error)] == ["events[0].custom_json"], error.details()
    assert client.head() == head


@pytest.mark.parametrize("data", [
    b'{"a":1}x', b"{'a':1}", b'{"a":01}', b'{"a":NaN}', b'"\xff"', b'"\x01"', b"",
], ids=["trailing", "quotes", "leading-zero", "nan", "bad-utf8", "control", "empty"])
def test_malformed_json_refused(client, data):
    stream = new_stream("bad")
    head = client.head()
    error = rpc_error(client.append, stream, [json_event(data)])
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, (error.code(), error.details())
    assert client.head() == head
