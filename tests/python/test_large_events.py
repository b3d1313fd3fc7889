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


def _check(responses, order):
    """`responses` hold the events of `order` (indices), every byte, ~1 MiB per message."""
    # Messages carry at most about 1 MiB of events, a larger one alone: one of these each.
    assert all(len(r.events) <= 1 for r in responses), [len(r.events) for r in responses]
    events = events_of(responses)
    assert [e.position for e in events] == [i + 1 for i in order]
    for e, i in zip(events, order):
        assert e.data == _data(i), f"event {i} came back different"


def test_read_all_returns_every_byte(client, stream):
    _check(client.read_all(), range(COUNT))


def test_read_all_backwards_returns_every_byte(client, stream):
    _check(client.read_all(from_end=True, backwards=True), reversed(range(COUNT)))


def test_read_stream_returns_every_byte(client, stream):
    _check(client.read_stream(stream=stream), range(COUNT))


def test_subscribe_from_start_returns_every_byte(client, stream):
    call = client.log.Subscribe(log_pb2.SubscribeRequest(start=log_pb2.SUBSCRIBE_FROM_START,
                                                         stream=stream), timeout=60)
    responses = []
    for response in call:
        responses.append(response)
        if response.caught_up:
            break
    call.cancel()
    _check([r for r in responses if r.events], range(COUNT))


def test_live_subscription_receives_large_events(client, stream):
    call = client.log.Subscribe(log_pb2.SubscribeRequest(start=log_pb2.SUBSCRIBE_FROM_END,
                                                         stream=stream), timeout=60)
    assert next(call).caught_up
    # Four at once: one append, committed together, handed to the subscriber together.
    client.append(stream, [json_event(_data(i), type="Large") for i in range(COUNT, COUNT + 4)])
    responses = []
    for response in call:
        if response.events:
            responses.append(response)
        if response.events and response.events[-1].position == COUNT + 4:
            break
    call.cancel()
    _check(responses, range(COUNT, COUNT + 4))
