"""Numbers and durations written as a student reads them (summaries, the tour, exercises)."""

from physics.constants import DAY, HOUR, YEAR

#: Units of :func:`duration`, largest first: name -> seconds.
DURATION_UNITS = {"year": YEAR, "day": DAY, "hour": HOUR, "minute": 60.0, "second": 1.0}


def number(x, digits=3):
    """``x`` with ``digits`` significant digits as a student reads it: 8.33, 0.0123, 1600, 6.1e-6."""
    rounded = float(f"{x:.{digits}g}")
    if 1e-3 <= abs(rounded) < 1e5:  # plain digits where they stay short
        return f"{rounded:f}".rstrip("0").rstrip(".")
    mantissa, e, exponent = f"{rounded:.{digits}g}".partition("e")
    return f"{mantissa}e{int(exponent)}" if e else mantissa


def duration(seconds):
    """A time [s] in the largest unit it fills at least once: '2.54 hours', '1 day', '30 seconds'."""
    name, unit = next(((n, u) for n, u in DURATION_UNITS.items() if seconds >= u), ("second", 1.0))
    text = number(seconds / unit)
    return f"{text} {name}" + ("" if text == "1" else "s")
