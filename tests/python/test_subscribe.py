"""Subscriptions: catch-up then live under concurrent writers, filters, checkpoints, starts."""

import threading

import grpc

from irm_support import error_info, field_violations, json_event, log_pb2, new_stream
from irm_support import rpc_error

WRITERS = 4
ROUNDS = 40          # appends per writer in each phase
EVENTS_PER_APPEND = 3
PREFILL = 300


class Subscriber:
    """Collects one Subscribe call's messages on its own thread until cancel()."""

    def __init__(self, client, request, timeout=60):
        self.call = client.log.Subscribe(request, timeout=timeout)
        self.responses = []
        self.error = None
        self.first_message = threading.Event()
        self.caught_up = threading.Event()
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="subscriber")
        self._thread.start()

    def _run(self):
        try:
            for response in self.call:
                with self._changed:
                    self.responses.append(response)
                    self._changed.notify_all()
                self.first_message.set()
                if response.caught_up:
                    self.caught_up.set()
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.CANCELLED:
                self.error = error
        finally:
            with self._changed:
                self._changed.notify_all()

    def wait_for_position(self, position, timeout=30):
        """True once an event at `position` or later arrived (False on timeout or error)."""
        def reached():
            events = [e for r in self.responses for e in r.events]
            return self.error is not None or (events and events[-1].position >= position)
        with self._changed:
            return self._changed.wait_for(reached, timeout) and self.error is None

    def stop(self):
        self.call.cancel()
        self._thread.join()
        assert self.error is None, f"{self.error.code()}: {self.error.details()}"
        return self.responses


def test_catch_up_and_live_under_concurrent_writers_no_gap_no_duplicate(client):
    client.append(new_stream("prefill"), [json_event(f'{{"p":{i}}}') for i in range(PREFILL)])
    acknowledged = []  # (stream, AppendResponse, events) of every append
    failures = []
    lock = threading.Lock()

    subscriber = Subscriber(client, log_pb2.SubscribeRequest(start=log_pb2.SUBSCRIBE_FROM_START))

    def write(k):
        stream = new_stream(f"writer{k}")
        try:
            # Phase 1 while the subscriber catches up from disk, phase 2 once it is live.
            for phase, gate in ((1, subscriber.first_message), (2, subscriber.caught_up)):
                gate.wait(30)
                for i in range(ROUNDS):
                    events = [json_event(f'{{"w":{k},"phase":{phase},"i":{i},"j":{j}}}')
                              for j in range(EVENTS_PER_APPEND)]
                    response = client.append(stream, events)
                    with lock:
                        acknowledged.append((stream, response, events))
        except grpc.RpcError as error:
            with lock:
                failures.append(error)

    writers = [threading.Thread(target=write, args=(k,), name=f"writer{k}")
               for k in range(WRITERS)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    head = client.head()
    reached = subscriber.wait_for_position(head)
    responses = subscriber.stop()
    assert not failures, [f"{e.code()}: {e.details()}" for e in failures]
    assert len(acknowledged) == 2 * WRITERS * ROUNDS
    assert reached, f"the subscriber did not reach the head {head}"

    events = [e for r in responses for e in r.events]
    # Every position of the log exactly once, in order: no gap, no duplicate.
    assert [e.position for e in events] == list(range(1, head + 1))
    assert len({e.id for e in events}) == len(events)
    assert sum(1 for r in responses if r.caught_up) == 1
    # Every acknowledged event is where its append said, with what was sent.
    by_position = {e.position: e for e in events}
    for stream, response, sent in acknowledged:
        got = [by_position[p] for p in range(response.first_position, response.last_position + 1)]
        assert [(e.stream, e.revision, e.data) for e in got] == [
            (stream, response.first_revision + j, s.data) for j, s in enumerate(sent)]
    # Checkpoints never go back and never pass the events sent.
    checkpoints = [r.checkpoint for r in responses]
    assert checkpoints == sorted(checkpoints)
    assert all(not r.events or r.checkpoint >= r.events[-1].position for r in responses)


def test_filters_by_stream_prefix_and_type(client):
    prefix = new_stream("filter")
    client.append(prefix + "-a", [json_event("{}", type="Opened"), json_event("{}", type="Noted")])
    client.append(prefix + "-b", [json_event("{}", type="Closed")])
    client.append(new_stream("other"), [json_event("{}", type="Opened")])
    head = client.head()

    def matching(**filters):
        call = client.log.Subscribe(log_pb2.SubscribeRequest(
            start=log_pb2.SUBSCRIBE_FROM_START, **filters), timeout=30)
        events = []
        for response in call:
            events += [(e.stream, e.type) for e in response.events]
            if response.caught_up:
                assert response.checkpoint == head
                break
        call.cancel()
        return events

    assert matching(stream=prefix + "-a") == [(prefix + "-a", "Opened"), (prefix + "-a", "Noted")]
    assert matching(stream_prefix=prefix, types=["Opened", "Closed"]) == [
        (prefix + "-a", "Opened"), (prefix + "-b", "Closed")]


def test_from_end_sees_only_later_events(client):
    stream = new_stream("live")
    client.append(stream, [json_event('{"old":1}')])
    subscriber = Subscriber(client, log_pb2.SubscribeRequest(start=log_pb2.SUBSCRIBE_FROM_END,
                                                             stream=stream))
    assert subscriber.caught_up.wait(30)
    appended = client.append(stream, [json_event('{"new":1}')])
    assert subscriber.wait_for_position(appended.last_position)
    events = [e for r in subscriber.stop() for e in r.events]
    assert [(e.revision, e.data) for e in events] == [(1, b'{"new":1}')]


def test_from_position_zero_is_invalid_argument(client):
    call = client.log.Subscribe(log_pb2.SubscribeRequest(
        start=log_pb2.SUBSCRIBE_FROM_POSITION, from_position=0), timeout=10)
    error = rpc_error(list, call)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    assert "from_position" in error.details()
    assert error_info(error).reason == "INVALID_POSITION"
    assert [f for f, _ in field_violations(error)] == ["from_position"], error.details()


def test_start_is_required(client):
    call = client.log.Subscribe(log_pb2.SubscribeRequest(), timeout=10)
    error = rpc_error(list, call)
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error.details()
    assert "start" in error.details()
    assert error_info(error).reason == "INVALID_ENUM_VALUE"
    assert [f for f, _ in field_violations(error)] == ["start"], error.details()


def test_beyond_the_head_is_out_of_range_naming_the_head(client):
    client.append(new_stream("range"), [json_event("{}")])
    head = client.head()
    call = client.log.Subscribe(log_pb2.SubscribeRequest(
        start=log_pb2.SUBSCRIBE_FROM_POSITION, from_position=head + 2), timeout=10)
    error = rpc_error(next, call)
    assert error.code() == grpc.StatusCode.OUT_OF_RANGE, (error.code(), error.details())
    assert str(head) in error.details(), error.details()
    # head + 1 is the next event to come: accepted, caught up at the head.
    call = client.log.Subscribe(log_pb2.SubscribeRequest(
        start=log_pb2.SUBSCRIBE_FROM_POSITION, from_position=head + 1), timeout=10)
    first = next(call)
    call.cancel()
    assert first.caught_up and not first.events
    assert first.checkpoint <= first.head and first.checkpoint == head


def _catch_up_checkpoints(client, interval):
    """The checkpoints of a subscription that matches nothing, up to caught_up."""
    call = client.log.Subscribe(log_pb2.SubscribeRequest(
        start=log_pb2.SUBSCRIBE_FROM_START, stream=new_stream("nothing"),
        checkpoint_interval=interval), timeout=30)
    checkpoints = []
    for response in call:
        assert not response.events
        assert response.checkpoint <= response.head
        checkpoints.append(response.checkpoint)
        if response.caught_up:
            break
    call.cancel()
    return checkpoints


def test_checkpoint_interval_honoured(client):
    filler = new_stream("filler")
    while client.head() < 2500:
        client.append(filler, [json_event('{"f":1}') for _ in range(1000)])
    while client.head() % 7 == 0 or client.head() % 100 == 0:  # no interval ends at the head
        client.append(filler, [json_event('{"f":1}')])
    head = client.head()
    for interval, expected in ((0, 1000), (100, 100), (7, 7), (1000, 1000), (3000, 3000)):
        checkpoints = _catch_up_checkpoints(client, interval)
        # One message after exactly `expected` positions scanned without a match, and one
        # at the head.
        wanted = list(range(expected, head, expected))
        wanted.append(head)
        assert checkpoints == wanted, (interval, checkpoints[:5], len(checkpoints))
