"""Reading one stream and the whole log (`$all`): directions, starts, limits, paging."""

import grpc
import pytest

from irm_support import error_info, events_of, json_event, new_stream, rpc_error

COUNT = 600  # more than one server chunk of small events


@pytest.fixture(scope="module")
def written(client):
    """A stream of COUNT events (revision r holds {"r":r}) between two other streams' events."""
    client.append(new_stream("before"), [json_event('{"x":0}')])
    stream = new_stream()
    response = client.append(stream, [json_event(f'{{"r":{r}}}') for r in range(COUNT)])
    client.append(new_stream("after"), [json_event('{"x":1}')])
    return stream, response


def _revisions(client, **fields):
    return [e.revision for e in events_of(client.read_stream(**fields))]


def test_read_stream_forwards(client, written):
    stream, appended = written
    events = events_of(client.read_stream(stream=stream))
    assert [e.revision for e in events] == list(range(COUNT))
    assert [e.position for e in events] == list(range(appended.first_position,
                                                      appended.last_position + 1))
    assert all(e.stream == stream and e.data == f'{{"r":{e.revision}}}'.encode() for e in events)
    assert _revisions(client, stream=stream, from_revision=590) == list(range(590, COUNT))
    assert _revisions(client, stream=stream, from_revision=COUNT) == []
    assert _revisions(client, stream=stream, from_end=True) == []


def test_read_stream_backwards(client, written):
    stream, _ = written
    assert _revisions(client, stream=stream, from_end=True, backwards=True) == \
        list(reversed(range(COUNT)))
    assert _revisions(client, stream=stream, from_revision=5, backwards=True) == [5, 4, 3, 2, 1, 0]
    assert _revisions(client, stream=stream, from_revision=300, backwards=True, limit=3) == \
        [300, 299, 298]


def test_read_stream_limit_and_paging(client, written):
    stream, _ = written
    assert _revisions(client, stream=stream, limit=3) == [0, 1, 2]
    assert _revisions(client, stream=stream, from_revision=598, limit=5) == [598, 599]
    # Pages of 250 forwards: each continues after the last revision of the one before.
    seen, start = [], 0
    while True:
        page = _revisions(client, stream=stream, from_revision=start, limit=250)
        if not page:
            break
        assert len(page) <= 250
        seen += page
        start = page[-1] + 1
    assert seen == list(range(COUNT))


def test_read_unknown_stream_is_not_found(client):
    stream = new_stream("missing")
    error = rpc_error(client.read_stream, stream=stream)
    assert error.code() == grpc.StatusCode.NOT_FOUND, error.details()
    assert stream in error.details()
    info = error_info(error)
    assert (info.reason, info.metadata["stream"]) == ("STREAM_NOT_FOUND", stream), info


def test_read_all_whole_log_in_position_order(client, written):
    head = client.head()
    events = events_of(client.read_all())
    assert [e.position for e in events] == list(range(1, head + 1))
    stream, appended = written
    mine = [e for e in events if e.stream == stream]
    assert [e.position for e in mine] == list(range(appended.first_position,
                                                    appended.last_position + 1))
    assert all(len(e.id) == 16 for e in events)


def test_read_all_starts_directions_and_limits(client, written):
    head = client.head()

    def positions(**fields):
        return [e.position for e in events_of(client.read_all(**fields))]

    assert positions(from_position=head - 2) == [head - 2, head - 1, head]
    assert positions(from_position=10, limit=4) == [10, 11, 12, 13]
    assert positions(from_end=True) == []
    assert positions(from_end=True, backwards=True, limit=3) == [head, head - 1, head - 2]
    assert positions(from_position=3, backwards=True) == [3, 2, 1]
    assert positions(backwards=True) == list(reversed(range(1, head + 1)))


def _last(responses):
    assert responses, "a read sends at least one message"
    return responses[-1]


def test_read_stream_says_where_to_continue(client, written):
    stream, _ = written
    page = client.read_stream(stream=stream, limit=250)
    for response in page:
        if response.events:
            assert response.next_revision == response.events[-1].revision + 1
    assert (_last(page).next_revision, _last(page).reached_end) == (250, False)
    # Paging by next_revision until reached_end returns every event once.
    seen, start = [], 0
    while True:
        page = client.read_stream(stream=stream, from_revision=start, limit=250)
        seen += [e.revision for e in events_of(page)]
        start = _last(page).next_revision
        if _last(page).reached_end:
            break
    assert seen == list(range(COUNT))
    assert start == COUNT  # the revision the next event will have


def test_read_stream_backwards_says_where_to_continue(client, written):
    stream, _ = written
    page = client.read_stream(stream=stream, from_end=True, backwards=True, limit=3)
    assert [e.revision for e in events_of(page)] == [599, 598, 597]
    assert (_last(page).next_revision, _last(page).reached_end) == (596, False)
    page = client.read_stream(stream=stream, from_revision=2, backwards=True)
    assert [e.revision for e in events_of(page)] == [2, 1, 0]
    assert _last(page).reached_end


def test_empty_read_sends_one_message_saying_the_end_was_reached(client, written):
    stream, _ = written
    page = client.read_stream(stream=stream, from_end=True)
    assert len(page) == 1 and not page[0].events
    assert (page[0].next_revision, page[0].reached_end) == (COUNT, True)
    head = client.head()
    page = client.read_all(from_end=True)
    assert len(page) == 1 and not page[0].events
    assert (page[0].next_position, page[0].reached_end) == (head + 1, True)


def test_read_all_says_where_to_continue(client, written):
    head = client.head()
    page = client.read_all(from_position=10, limit=4)
    assert (_last(page).next_position, _last(page).reached_end) == (14, False)
    page = client.read_all(from_position=head - 1)
    assert [e.position for e in events_of(page)] == [head - 1, head]
    assert (_last(page).next_position, _last(page).reached_end) == (head + 1, True)
    page = client.read_all(from_position=3, backwards=True)
    assert _last(page).reached_end
    # Paging by next_position, 100 at a time, returns the whole log once.
    seen, start = [], 1
    while True:
        page = client.read_all(from_position=start, limit=100)
        seen += [e.position for e in events_of(page)]
        start = _last(page).next_position
        if _last(page).reached_end:
            break
    assert seen == list(range(1, head + 1))
