"""Large events come back to a client at gRPC's default 4 MiB receive limit, every byte.

135 events of ~1 MiB (each accepted by irmd's default --max-event-bytes) once made every read,
`$all` and subscription from the start fail with RESOURCE_EXHAUSTED, forever (issue 17).
"""

import pytest

from irm_support import events_of, json_event, log_pb2

COUNT = 135
DATA_BYTES = (1 << 20) - 1024  # ~1 MiB: under the default limit with room for metadata
PER_APPEND = 15                # 15 MiB: under the 16 MiB an append may carry


_FILLER = bytes(ord("a") + i % 26 for i in range(DATA_BYTES - 7))


def _data(i):
    """Event i's data: a JSON string of DATA_BYTES bytes, different for every event."""
    return b'"' + b"%05d" % i + _FILLER + b'"'


@pytest.fixture(scope="module")
def stream(client):
    name = "large"
    for start in range(0, COUNT, PER_APPEND):
        events = [json_event(_data(i), type="Large") for i in range(start, start + PER_APPEND)]
        client.append(name, events, timeout=120)
    assert client.head() == COUNT
    return name


def _check(events, order):
    assert [e.position for e in events] == [i + 1 for i in order]
    for e, i in zip(events, order):
        assert e.data == _data(i), f"event {i} came back different"


def test_read_all_returns_every_byte(client, stream):
    _check(events_of(client.read_all()), range(COUNT))


def test_read_all_backwards_returns_every_byte(client, stream):
    _check(events_of(client.read_all(from_end=True, backwards=True)), reversed(range(COUNT)))


def test_read_stream_returns_every_byte(client, stream):
    _check(events_of(client.read_stream(stream=stream)), range(COUNT))


def test_subscribe_from_start_returns_every_byte(client, stream):
    call = client.log.Subscribe(log_pb2.SubscribeRequest(start=log_pb2.SUBSCRIBE_FROM_START),
                                timeout=60)
    events = []
    for response in call:
        events += response.events
        if response.caught_up:
            break
    call.cancel()
    _check(events, range(COUNT))
