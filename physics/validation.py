"""Argument checks shared by every public physics function.

A value outside its documented domain raises ``ValueError`` whose message names the argument,
the allowed range with its unit, and what was given, so a notebook user or the dashboard can show
it as it is:

>>> from physics.fndam import FNDAMDevice
>>> FNDAMDevice(oxide_thickness=200e-9)
Traceback (most recent call last):
    ...
ValueError: oxide_thickness must be a real number in [5e-10, 1e-07] m; got 2e-07
"""

import numpy as np


def check_range(name, value, low, high, unit="", *, low_inclusive=True, high_inclusive=True):
    """Return ``value`` as a float array after checking ``low <(=) value <(=) high`` element-wise.

    Parameters
    ----------
    name : str
        Argument name used in the error message.
    value : float or array_like
        The value to check; strings, None, NaN and complex numbers are refused.
    low, high : float
        Bounds of the allowed range (``-inf``/``inf`` for an open side), in the argument's unit.
    unit : str
        Unit printed in the message, e.g. ``"m"`` or ``"V/m"``.
    low_inclusive, high_inclusive : bool
        Whether each bound itself is allowed.

    Returns
    -------
    numpy.ndarray
        ``value`` as a float64 array (0-d for a scalar).

    Raises
    ------
    ValueError
        If ``value`` is not a finite real number (or array of them) inside the range.
    """
    lo_br = "[" if low_inclusive else "("
    hi_br = "]" if high_inclusive else ")"
    allowed = f"{name} must be a real number in {lo_br}{low:g}, {high:g}{hi_br}{' ' + unit if unit else ''}"
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{allowed}; got {value!r}")
    try:
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf":
            raise TypeError
        arr = arr.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise ValueError(f"{allowed}; got {value!r}") from None
    if arr.size == 0:
        return arr
    # Two passes (min, max) instead of one per test: NaN propagates into both, inf shows in one.
    lo, hi = arr.min(), arr.max()
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"{allowed}; got a non-finite value ({_show(arr[~np.isfinite(arr)])})")
    below = np.less if low_inclusive else np.less_equal
    above = np.greater if high_inclusive else np.greater_equal
    if below(lo, low) or above(hi, high):
        raise ValueError(f"{allowed}; got {_show(arr[below(arr, low) | above(arr, high)])}")
    return arr


def check_positive(name, value, unit="", high=np.inf):
    """Check that ``value`` is finite and strictly positive (and ``<= high``); see :func:`check_range`."""
    return check_range(name, value, 0.0, high, unit, low_inclusive=False)


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError`` listing them."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def as_output(arr):
    """Return a Python float for a 0-d result and the array itself otherwise.

    Public physics functions take scalars or arrays; a scalar in gives a float out.
    """
    arr = np.asarray(arr)
    return float(arr) if arr.ndim == 0 else arr


def _show(arr):
    """Short text of the first offending value(s) for an error message."""
    flat = np.ravel(arr)
    text = ", ".join(f"{v:g}" for v in flat[:3])
    return text + (", ..." if flat.size > 3 else "")
