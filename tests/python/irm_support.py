"""What the outside-client tests share: a real irmd, the generated stubs, error details.

Only the public API is used: stubs generated from proto/ into IRM_PYTHON_STUBS (CMake target
irm_python_stubs) and the irmd binary at IRMD_PATH. Channels use gRPC's default settings
(4 MiB receive limit), as a dashboard author's client would.
"""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import uuid

_STUBS = os.environ.get("IRM_PYTHON_STUBS")
IRMD_PATH = os.environ.get("IRMD_PATH")
if not _STUBS or not IRMD_PATH:
    raise RuntimeError(
        "IRM_PYTHON_STUBS and IRMD_PATH are not set: run the suite through ctest "
        "(ctest --test-dir build -R python_api), or see docs/testing.md")
if _STUBS not in sys.path:
    sys.path.insert(0, _STUBS)

import grpc  # noqa: E402
from google.protobuf import empty_pb2  # noqa: E402

from grpc_health.v1 import health_pb2, health_pb2_grpc  # noqa: E402,F401
from irm.api.v1 import admin_pb2, admin_pb2_grpc  # noqa: E402,F401
from irm.api.v1 import log_pb2, log_pb2_grpc  # noqa: E402,F401
from irm.api.v1 import review_pb2, review_pb2_grpc  # noqa: E402,F401
from irm.event.v1 import record_pb2, review_events_pb2  # noqa: E402,F401

EMPTY = empty_pb2.Empty()  # for the expected-revision oneof: no_stream=EMPTY, ...
JSON = record_pb2.CONTENT_TYPE_JSON
PROTOBUF = record_pb2.CONTENT_TYPE_PROTOBUF
STATUS_DETAILS_KEY = "grpc-status-details-bin"


class Irmd:
    """One irmd serving a fresh temporary folder on a free loopback port.

    start() returns once irmd announced "irmd listening on HOST:PORT" on stderr; its stderr is
    drained by a thread that stop() joins. stop() sends SIGTERM and raises unless irmd exits
    with status 0; the folder is removed afterwards.
    """

    ANNOUNCEMENT = "irmd listening on "

    def __init__(self, extra_args=()):
        self._folder = tempfile.TemporaryDirectory(prefix="irm-python-")
        self.data_dir = os.path.join(self._folder.name, "data")
        self.address = None
        self._stderr_lines = []
        self._announced = threading.Event()
        self._process = subprocess.Popen(
            [IRMD_PATH, "--data", self.data_dir, "--listen", "127.0.0.1:0", *extra_args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._drain = threading.Thread(target=self._read_stderr, name="irmd-stderr")
        self._drain.start()
        if not self._announced.wait(20) or self.address is None:
            self._process.kill()
            self._process.wait(10)
            self._drain.join()
            self._folder.cleanup()
            raise RuntimeError("irmd did not announce its address within 20 s; stderr:\n"
                               + self.stderr_text())

    def _read_stderr(self):
        for raw in self._process.stderr:
            line = raw.decode("utf-8", "replace")
            self._stderr_lines.append(line)
            if self.address is None and self.ANNOUNCEMENT in line:
                self.address = line.split(self.ANNOUNCEMENT, 1)[1].strip()
                self._announced.set()
        self._announced.set()  # irmd exited: stop waiting for the announcement

    def stderr_text(self):
        return "".join(self._stderr_lines)

    def stop(self):
        """SIGTERM; raises AssertionError unless irmd exits with status 0 within 30 s."""
        try:
            self._process.send_signal(signal.SIGTERM)
            try:
                status = self._process.wait(30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
                raise AssertionError("irmd did not stop within 30 s of SIGTERM; stderr:\n"
                                     + self.stderr_text())
            self._drain.join()
            assert status == 0, f"irmd exited with status {status} after SIGTERM; stderr:\n" \
                + self.stderr_text()
        finally:
            self._folder.cleanup()


class Client:
    """Stubs of the public services on one default-configured channel to `address`."""

    def __init__(self, address):
        self.channel = grpc.insecure_channel(address)
        self.log = log_pb2_grpc.LogServiceStub(self.channel)
        self.review = review_pb2_grpc.ReviewServiceStub(self.channel)
        self.admin = admin_pb2_grpc.AdminServiceStub(self.channel)
        self.health = health_pb2_grpc.HealthStub(self.channel)

    def close(self):
        self.channel.close()

    def head(self):
        return self.log.GetLogInfo(log_pb2.GetLogInfoRequest(), timeout=10).head_position

    def append(self, stream, events, timeout=30, **fields):
        return self.log.Append(log_pb2.AppendRequest(stream=stream, events=events, **fields),
                               timeout=timeout)

    def read_stream(self, timeout=60, **fields):
        """Every message of one ReadStream call, in order."""
        return list(self.log.ReadStream(log_pb2.ReadStreamRequest(**fields), timeout=timeout))

    def read_all(self, timeout=60, **fields):
        """Every message of one ReadAll call, in order."""
        return list(self.log.ReadAll(log_pb2.ReadAllRequest(**fields), timeout=timeout))


def events_of(responses):
    """The events of a list of ReadResponse/SubscribeResponse messages, in order."""
    return [event for response in responses for event in response.events]


def new_stream(prefix="py"):
    """A stream name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def new_id():
    """A fresh event id as the API takes and gives it: 16 raw bytes (a UUID)."""
    return uuid.uuid4().bytes


def id_text(event_id):
    """The usual text form of a 16-byte event id, as error messages show it."""
    return str(uuid.UUID(bytes=event_id))


def json_event(data, type="Noted", **fields):
    """A ProposedEvent with JSON `data` (bytes or str)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return log_pb2.ProposedEvent(type=type, content_type=JSON, data=data, **fields)


def rpc_error(call, *args, **kwargs):
    """The grpc.RpcError that `call(*args, **kwargs)` raises; AssertionError if it succeeds.

    For a server stream, pass a function that consumes the whole stream.
    """
    try:
        result = call(*args, **kwargs)
    except grpc.RpcError as error:
        return error
    raise AssertionError(f"expected an error, got success: {result!r}")


def status_proto(error):
    """The google.rpc.Status irmd put in the grpc-status-details-bin trailer of `error`.

    AssertionError if the trailer is absent, or its code or message disagree with the
    status the call ended with.
    """
    from google.rpc import status_pb2  # generated from proto/google/rpc (branch api)

    for key, value in error.trailing_metadata() or ():
        if key == STATUS_DETAILS_KEY:
            status = status_pb2.Status.FromString(value)
            assert status.code == error.code().value[0], (status, error.code())
            assert status.message == error.details(), (status.message, error.details())
            return status
    raise AssertionError(f"no {STATUS_DETAILS_KEY} trailer in {error.code()}: {error.details()}")


def detail(error, message_type):
    """The one detail of type `message_type` (e.g. error_details_pb2.ErrorInfo) in `error`'s
    google.rpc.Status; AssertionError if there is none or more than one."""
    found = []
    for any_detail in status_proto(error).details:
        if any_detail.Is(message_type.DESCRIPTOR):
            message = message_type()
            any_detail.Unpack(message)
            found.append(message)
    assert len(found) == 1, \
        f"expected one {message_type.DESCRIPTOR.full_name} in the details of " \
        f"{error.code()} {error.details()!r}, found {len(found)}"
    return found[0]


def error_info(error):
    """The google.rpc.ErrorInfo in `error`'s details (every error has one, of domain "irm")."""
    from google.rpc import error_details_pb2
    info = detail(error, error_details_pb2.ErrorInfo)
    assert info.domain == "irm", info
    return info


def field_violations(error):
    """The (field, description) pairs of the google.rpc.BadRequest in `error`'s details."""
    from google.rpc import error_details_pb2
    return [(v.field, v.description)
            for v in detail(error, error_details_pb2.BadRequest).field_violations]


def initial_metadata_value(call, key):
    """The value of `key` in a finished call's (or RpcError's) initial metadata, or None."""
    for k, value in call.initial_metadata() or ():
        if k == key:
            return value
    return None
