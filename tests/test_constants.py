"""Constants against the values docs/science.md section 2 states, computed from CODATA SI values."""

import pytest

from physics import constants as c


def test_first_fn_constant():
    # docs/science.md section 2: a = q^3/(8 pi h) = 1.541434e-6 A eV V^-2, 7 digits: relative 1e-6
    # covers the rounding.
    assert c.FN_A == pytest.approx(1.541434e-6, rel=1e-6)


def test_second_fn_constant():
    # docs/science.md section 2: b = 8 pi sqrt(2 m0)/(3 q h) = 6.830890e9 V/m per eV^1.5, 7 digits.
    assert c.FN_B == pytest.approx(6.830890e9, rel=1e-6)


def test_schottky_constant():
    # Forbes: c_S^2 = e^3/(4 pi eps0) = 1.439964 eV^2 V^-1 nm (7 digits).
    assert c.SCHOTTKY_C2 * 1e9 == pytest.approx(1.439964, rel=1e-6)


def test_units():
    assert c.MV_PER_CM == 1e8
    assert c.A_PER_CM2 == 1e4
    assert c.HOUR == 3600.0
    assert c.DAY == 86400.0
    assert c.YEAR == 31_557_600.0  # the Julian year, 365.25 days
