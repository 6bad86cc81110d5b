"""A throwaway Redis server on a loopback port, for the tests and benchmarks of the Redis class store.

Runs Debian's ``redis-server`` (``make redis`` installs it) with nothing saved to disk, in a temporary
folder, and stops it on leaving the ``with`` block.
"""

import os
import subprocess
import tempfile
import time
from contextlib import contextmanager

import redis

from dashboard.testing import free_port

#: Debian's redis-server; FNDAM_REDIS_SERVER overrides it.
REDIS_SERVER = os.environ.get("FNDAM_REDIS_SERVER", "/usr/bin/redis-server")


@contextmanager
def local_redis(address="127.0.0.1", startup_s=10.0):
    """Yield the URL (``redis://address:port``) of a new Redis server on a free port of ``address``,
    ready to answer (waits up to ``startup_s`` seconds); stop it afterwards."""
    if not os.access(REDIS_SERVER, os.X_OK):
        raise RuntimeError(f"{REDIS_SERVER} is missing: `make redis` installs Debian's redis-server.")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="fndam-redis-") as folder:
        server = subprocess.Popen([REDIS_SERVER, "--bind", address, "--port", str(port), "--save", "",
                                   "--appendonly", "no", "--dir", folder, "--daemonize", "no"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"redis://{address}:{port}"
        try:
            _wait_for(url, server, startup_s)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for(url, server, startup_s):
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + startup_s
    try:
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if server.poll() is not None:
                    said = server.stderr.read().decode()[-300:]
                    raise RuntimeError(f"redis-server exited: {said}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not answer at {url} within {startup_s} s") from None
                time.sleep(0.05)
    finally:
        client.close()
