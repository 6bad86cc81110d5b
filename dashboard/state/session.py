"""Everything one browser session holds: the shared operating point, each view's state, the open
view, presets, reset, and the mapping to URL query parameters."""

import param

from dashboard.state.band import BandState
from dashboard.state.checks import try_set
from dashboard.state.current import CurrentState
from dashboard.state.device import OperatingPoint
from dashboard.state.presets import PRESETS

#: Views in tab order: URL value -> tab title.
VIEWS = {"band": "Band diagram", "current": "Tunneling current", "about": "About"}

#: URL query key -> (state part, parameter). Short keys keep copied links readable.
URL_KEYS = {
    "vox": ("device", "oxide_voltage"),
    "d": ("device", "oxide_thickness_nm"),
    "phi": ("device", "barrier_height_eV"),
    "m": ("device", "mass_ratio"),
    "img": ("band", "image_force"),
    "eps": ("band", "eps_r"),
    "wkb": ("current", "show_wkb"),
    "exact": ("current", "show_exact"),
    "view": ("session", "view"),
}


class SessionState(param.Parameterized):
    """One session's state. Views 1 and 2 share ``device``: moving the bias in one moves it in both."""

    view = param.Selector(objects=list(VIEWS), default="band", label="View",
                          doc="Which view is open (kept in the URL so a copied link opens it).")

    def __init__(self, **params):
        super().__init__(**params)
        self.device = OperatingPoint()
        self.band = BandState(self.device)
        self.current = CurrentState(self.device)

    def part(self, name):
        """The state object called ``name`` ("device", "band", "current" or "session")."""
        return self if name == "session" else getattr(self, name)

    def reset(self):
        """Every parameter of every part back to its default (the open view stays)."""
        for name in ("device", "band", "current"):
            obj = self.part(name)
            obj.param.update({p: obj.param[p].default for p in obj.param if p not in ("name", "device")})

    def apply_preset(self, name):
        """Reset, then set the values of preset ``name`` (a key of PRESETS)."""
        self.reset()
        for part, values in PRESETS[name].items():
            self.part(part).param.update(values)

    def apply_query(self, query):
        """Set parameters from URL query values; return one message per value that was not applied."""
        errors = []
        for key, value in query.items():
            if key not in URL_KEYS:
                errors.append(f"Unknown URL parameter {key!r} ignored (known: {', '.join(URL_KEYS)}).")
                continue
            part, name = URL_KEYS[key]
            message = try_set(self.part(part), name, value)
            if message:
                errors.append(f"URL parameter {key}: {message}")
        return errors

    def query(self):
        """Current values as URL query values (the inverse of :meth:`apply_query`)."""
        return {key: getattr(self.part(part), name) for key, (part, name) in URL_KEYS.items()}
