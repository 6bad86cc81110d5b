"""Everything one browser session holds: the shared operating point, each view's state, the open
view, presets, reset, and the mapping to URL query parameters."""

import param

from dashboard.state.band import BandState
from dashboard.state.checks import try_set
from dashboard.state.current import CurrentState
from dashboard.state.device import OperatingPoint
from dashboard.state.energy import EnergyState
from dashboard.state.learning import LearningState
from dashboard.state.memory import MemoryState
from dashboard.state.presets import PRESETS, apply_settings

#: Views in tab order: URL value -> tab title.
VIEWS = {"band": "Band diagram", "current": "Tunneling current", "memory": "Memory dynamics",
         "learning": "Synapse learning", "energy": "Energy at scale", "exercises": "Exercises",
         "about": "About"}
#: State parts that hold parameters (the session's own ``view`` aside), in dependency order.
PARTS = {"device": OperatingPoint, "band": BandState, "current": CurrentState, "memory": MemoryState,
         "learning": LearningState, "energy": EnergyState}


def url_keys(classes):
    """URL query key -> (part, parameter) for every parameter of ``classes`` (part -> Parameterized
    class) a user sets.

    The key is the parameter's ``metadata["url"]`` (short keys keep copied links readable), else its
    name; ``metadata={"url": None}`` keeps a parameter out of the URL. Constant parameters (links to
    other parts, counters) are never in it.
    """
    keys = {}
    for part, cls in classes.items():
        for name, p in cls.param.objects().items():
            key = (p.metadata or {}).get("url", name)
            if name == "name" or p.constant or key is None:
                continue
            if key in keys:
                raise ValueError(f"URL key {key!r} of {part}.{name} is already {keys[key]}")
            keys[key] = (part, name)
    return keys


class SessionState(param.Parameterized):
    """One session's state. Views 1 and 2 share ``device``: moving the bias in one moves it in both."""

    view = param.Selector(objects=list(VIEWS), default="band", label="View",
                          doc="Which view is open (kept in the URL so a copied link opens it).",
                          metadata={"url": "view"})
    projector = param.Boolean(False, label="Projector view",
                              doc="Larger type, thicker lines and stronger contrast, readable from the "
                                  "back of a lecture hall (kept in the URL: a link can open it so).",
                              metadata={"url": "projector"})

    def __init__(self, **params):
        super().__init__(**params)
        self.device = OperatingPoint()
        self.band = BandState(self.device)
        self.current = CurrentState(self.device)
        self.memory = MemoryState(self.device)
        self.energy = EnergyState(self.memory)
        self.learning = LearningState(self.memory, self.energy)  # the session's element, priced as energy

    def part(self, name):
        """The state object called ``name`` (one of PARTS, or "session")."""
        return self if name == "session" else getattr(self, name)

    def reset(self):
        """Every parameter of every part back to its default and the learning run back to step 0 (the
        open view stays)."""
        for name in PARTS:
            obj = self.part(name)
            # Constant parameters are links to other parts (device, memory) or read-only counters.
            obj.param.update({p: obj.param[p].default for p in obj.param
                              if p != "name" and not obj.param[p].constant})
        if self.learning.steps_done:  # parameters already at their defaults did not restart the run
            self.learning.reset()

    def apply_preset(self, name):
        """Reset, then set the values of preset ``name`` (a key of PRESETS)."""
        apply_settings(self, PRESETS[name])

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
        """Current values as URL query strings (read back by :meth:`apply_query`)."""
        return {key: _url_text(getattr(self.part(part), name)) for key, (part, name) in URL_KEYS.items()}


def _url_text(value):
    """'true'/'false' for booleans (as JSON and Panel's URL sync write them), str() otherwise."""
    return str(value).lower() if isinstance(value, bool) else str(value)


#: URL query key -> (state part, parameter), from the parameters' declarations.
URL_KEYS = url_keys({**PARTS, "session": SessionState})
