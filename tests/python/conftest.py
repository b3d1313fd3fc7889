"""Fixtures of the outside-client suite: each test module gets its own irmd (see irm_support).

`irmd` is module-scoped: a fresh temporary data folder and a free loopback port, stopped with
SIGTERM (expecting exit status 0) after the module's last test. `client` holds the stubs on a
default-configured channel to it. Tests in one module share the log, so each uses its own
stream names (irm_support.new_stream) and reasons about positions relative to the head.
"""

import pytest

import irm_support


@pytest.fixture(scope="module")
def irmd():
    server = irm_support.Irmd()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(irmd):
    c = irm_support.Client(irmd.address)
    yield c
    c.close()
