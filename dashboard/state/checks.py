"""Setting a parameter from user input (a typed value or a URL) without ever raising.

A rejected value leaves the parameter at its last valid value and yields a one-line message that
names the control, its allowed range and what was given: the page shows it as a notice.
"""

import math

import param


def describe_allowed(p):
    """'between 3 and 20' for a bounded number, 'true or false' for a boolean, the options otherwise."""
    if isinstance(p, param.Boolean):
        return "true or false"
    if isinstance(p, param.Selector):
        return "one of " + ", ".join(repr(o) for o in p.objects)
    lo, hi = p.bounds or (None, None)
    kind = "a whole number" if isinstance(p, param.Integer) else "a number"
    return f"{kind} between {lo:g} and {hi:g}"


def coerce(p, value):
    """Return ``value`` converted to the parameter's type, or raise ValueError."""
    if isinstance(p, param.Boolean):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "false"):
            return text == "true"
        raise ValueError(value)
    if isinstance(p, param.Number):
        if isinstance(value, bool):
            raise ValueError(value)
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        if isinstance(p, param.Integer):
            if not number.is_integer():
                raise ValueError(value)
            return int(number)
        return number
    return value


def try_set(obj, name, value):
    """Set ``obj.<name> = value`` if valid; return None, or a message saying why it was kept."""
    p = obj.param[name]
    try:
        obj.param.update({name: coerce(p, value)})
    except (TypeError, ValueError):
        kept = getattr(obj, name)
        shown = f"{kept:g}" if isinstance(kept, float) else repr(kept)
        return f"{p.label}: {value!r} is not {describe_allowed(p)}; kept {shown}."
    return None
