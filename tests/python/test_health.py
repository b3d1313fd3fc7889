"""grpc.health.v1: the server as a whole ("") and each public service by its full name."""

import grpc
import pytest

from irm_support import health_pb2, rpc_error

SERVING = health_pb2.HealthCheckResponse.SERVING
SERVICES = [
    "irm.api.v1.LogService",
    "irm.api.v1.ReviewService",
    "irm.api.v1.ReportService",
    "irm.api.v1.AuditService",
    "irm.api.v1.AdminService",
]


def _check(client, service):
    return client.health.Check(health_pb2.HealthCheckRequest(service=service), timeout=10).status


def test_server_as_a_whole_is_serving(client):
    assert _check(client, "") == SERVING


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_serving(client, service):
    assert _check(client, service) == SERVING


def test_unknown_service_is_not_found(client):
    error = rpc_error(_check, client, "irm.api.v1.NoSuchService")
    assert error.code() == grpc.StatusCode.NOT_FOUND, (error.code(), error.details())
