"""Shared test settings.

Hypothesis draws its examples from a fixed seed by default ("repeatable" profile), so a CI run gives
the same verdict on the same commit; run ``pytest --hypothesis-profile=explore`` to search new
random examples (and commit a regression test for anything it finds).

Servers the tests start generate their installation secret (dashboard.auth.cookie_secret) into a
temporary config folder, not the user's ~/.config.
"""

import os
import tempfile

import pytest
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile("repeatable")


@pytest.fixture(autouse=True, scope="session")
def _private_config_folder():
    """XDG_CONFIG_HOME in a temporary folder for this test run (inherited by every served app)."""
    before = os.environ.get("XDG_CONFIG_HOME")
    with tempfile.TemporaryDirectory(prefix="fndam-config-") as folder:
        os.environ["XDG_CONFIG_HOME"] = folder
        yield folder
    if before is None:
        del os.environ["XDG_CONFIG_HOME"]
    else:
        os.environ["XDG_CONFIG_HOME"] = before
