"""dashboard.testing.wait_until, shaped like Panel's: bool or assert callables, the last failure reported."""

import pytest

from dashboard.testing import wait_until


def test_an_assert_callable_passes_once_it_stops_raising():
    calls = []

    def third_call():
        calls.append(1)
        assert len(calls) >= 3, f"{len(calls)} calls"

    wait_until(third_call, timeout=2_000, interval=1)
    assert len(calls) == 3


def test_a_bool_callable_passes_once_true():
    calls = []
    wait_until(lambda: calls.append(1) or len(calls) == 2, timeout=2_000, interval=1)
    assert len(calls) == 2


def test_the_timeout_reports_the_value_seen_last_not_the_first():
    readings = iter(range(1_000_000))

    def reaches_a_million():
        value = next(readings)
        assert value > 999_999, f"reading is {value}"

    with pytest.raises(TimeoutError, match=r"timed out in 100 ms: reading is [1-9]\d*") as info:
        wait_until(reaches_a_million, timeout=100, interval=5)
    assert "reading is 0" not in str(info.value)


def test_other_return_values_are_a_mistake():
    with pytest.raises(ValueError, match="must return None, True or False"):
        wait_until(lambda: "some text")
