"""The shared argument checks: every refusal names the argument, the range and the value."""

import numpy as np
import pytest

from physics.validation import as_output, check_choice, check_positive, check_range


def test_accepts_scalars_and_arrays_in_range():
    assert check_range("x", 1, 0, 2).dtype == np.float64
    assert check_range("x", [0.0, 2.0], 0, 2).shape == (2,)
    assert check_range("x", [], 0, 2).size == 0


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf, [1.0, np.nan]])
def test_refuses_non_finite(value):
    with pytest.raises(ValueError, match=r"^x must be a real number in \[0, 2\] m; got a non-finite"):
        check_range("x", value, 0, 2, "m")


@pytest.mark.parametrize("value", ["1", None, b"1", 1 + 2j, object()])
def test_refuses_non_numbers(value):
    with pytest.raises(ValueError, match=r"^x must be a real number"):
        check_range("x", value, 0, 2)


def test_reports_the_offending_values_and_open_bounds():
    with pytest.raises(ValueError, match=r"in \(0, 2\]; got 0, 3$"):
        check_range("x", [0.0, 1.0, 3.0], 0, 2, low_inclusive=False)
    with pytest.raises(ValueError, match=r"in \(0, inf\] F; got -1"):
        check_positive("x", -1.0, "F")
    assert check_range("x", 2.0, 0, 2) == 2.0


def test_choice():
    assert check_choice("m", "a", ("a", "b")) == "a"
    with pytest.raises(ValueError, match=r"^m must be one of 'a', 'b'; got 'c'"):
        check_choice("m", "c", ("a", "b"))


def test_as_output_gives_float_for_scalars():
    assert isinstance(as_output(np.asarray(1.0)), float)
    assert as_output(np.ones(2)).shape == (2,)
