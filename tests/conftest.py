"""Shared test settings.

Hypothesis draws its examples from a fixed seed by default ("repeatable" profile), so a CI run gives
the same verdict on the same commit; run ``pytest --hypothesis-profile=explore`` to search new
random examples (and commit a regression test for anything it finds).
"""

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile("repeatable")
