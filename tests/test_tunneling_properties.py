"""Property tests (hypothesis): monotonicity and a clean domain for the tunneling currents."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from physics.barrier import FIELD_MAX
from physics.tunneling import current_density, fn_current_density

fields = st.floats(1e7, 5e9)  # V/m: 0.1 to 50 MV/cm
barriers = st.floats(0.5, 6.0)  # eV
masses = st.floats(0.05, 2.0)
thicknesses = st.floats(1e-9, 20e-9)  # m
voltages = st.floats(0.0, 20.0)  # V


@given(fields, fields, barriers, masses)
def test_fn_rises_with_field(e1, e2, phi, m_r):
    lo, hi = sorted((e1, e2))
    assert fn_current_density(lo, phi, m_r) <= fn_current_density(hi, phi, m_r)


@given(fields, barriers, barriers, masses)
def test_fn_falls_with_barrier_height(field, p1, p2, m_r):
    lo, hi = sorted((p1, p2))
    assert fn_current_density(field, hi, m_r) <= fn_current_density(field, lo, m_r)


@given(st.lists(fields, min_size=1, max_size=20), barriers, masses)
def test_fn_is_finite_and_non_negative(field_list, phi, m_r):
    j = fn_current_density(np.array(field_list), phi, m_r)
    assert np.all(np.isfinite(j))
    assert np.all(j >= 0.0)


@settings(max_examples=40, deadline=None)
@given(voltages, voltages, thicknesses)
def test_current_rises_with_voltage(v1, v2, d):
    # Inside the documented field limit: V / d of V = FIELD_MAX d can round one ulp above it.
    lo, hi = sorted(min(v, FIELD_MAX * d * (1 - 1e-12)) for v in (v1, v2))
    j = current_density(np.array([lo, hi]), d)
    assert j[0] <= j[1] * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.1, 20.0), thicknesses, thicknesses)
def test_current_falls_with_thickness(v, d1, d2):
    thin, thick = sorted((d1, d2))
    v = min(v, FIELD_MAX * thin * (1 - 1e-12))
    assert current_density(v, thick) <= current_density(v, thin) * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.1, 20.0), thicknesses, st.floats(2.0, 5.0), st.floats(2.0, 5.0))
def test_current_falls_with_barrier_height(v, d, p1, p2):
    lo, hi = sorted((p1, p2))
    v = min(v, FIELD_MAX * d)
    j_hi, j_lo = (current_density(v, d, barrier_height_eV=p) for p in (hi, lo))
    assert j_hi <= j_lo * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(voltages, st.floats(0.5e-9, 100e-9), barriers, masses, st.floats(1.0, 1000.0),
       st.sampled_from(["wkb", "exact"]))
def test_current_is_finite_and_non_negative_in_domain(v, d, phi, m_r, temp, method):
    if method == "exact":
        d = min(d, 15e-9)  # keep the slice count of the exact solver small for the test's speed
    v = min(v, FIELD_MAX * d)  # stay inside the documented field limit
    j = current_density(v, d, phi, m_r, temp, method)
    assert np.isfinite(j)
    assert j >= 0.0


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"oxide_thickness": -1e-9}, "oxide_thickness"),
        ({"oxide_thickness": 0.0}, "oxide_thickness"),
        ({"mass_ratio": 0.0}, "mass_ratio"),
        ({"barrier_height_eV": np.nan}, "barrier_height_eV"),
        ({"oxide_voltage": "ten"}, "oxide_voltage"),
        ({"temperature": -5.0}, "temperature"),
        ({"method": "magic"}, "method"),
    ],
)
def test_current_density_rejects_bad_input(kwargs, name):
    args = {"oxide_voltage": 10.0, "oxide_thickness": 10e-9} | kwargs
    with pytest.raises(ValueError, match=rf"^{name}.* must be"):
        current_density(**args)


@pytest.mark.parametrize(
    ("args", "name"),
    [((np.nan,), "field"), ((-1e8,), "field"), ((1e9, 0.0), "barrier_height_eV"),
     ((1e9, 3.2, 0.0), "mass_ratio"), (("1e9",), "field"), ((None,), "field")],
)
def test_fn_current_rejects_bad_input(args, name):
    with pytest.raises(ValueError, match=rf"^{name} must be a real number in \["):
        fn_current_density(*args)
