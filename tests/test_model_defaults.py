"""Bokeh's model defaults looked up once per class (dashboard/model_defaults.py): the same answers as
Bokeh's own functions, for every model class Bokeh and Panel define."""

import bokeh.models  # noqa: F401  (every Bokeh model class, so the checks below see them all)
import panel.models  # noqa: F401
import pytest
from bokeh.core.has_props import HasProps
from bokeh.core.properties import Int, List, Override
from bokeh.core.property.descriptors import PropertyDescriptor
from bokeh.model import Model

from dashboard.model_defaults import (
    BOKEH_HAS_UNSTABLE_DEFAULT,
    BOKEH_OVERRIDDEN_DEFAULTS,
    has_unstable_default,
    look_up_defaults_once,
    overridden_defaults,
)

CLASSES = sorted(HasProps.model_class_reverse_map.values(), key=lambda cls: cls.__qualname__)


def test_there_are_many_model_classes_to_check():
    assert len(CLASSES) > 400


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_each_class_gets_bokehs_answers(cls):
    assert overridden_defaults(cls) == BOKEH_OVERRIDDEN_DEFAULTS(cls)
    for name in cls.properties(_with_props=True):
        descriptor = cls.lookup(name)
        if not isinstance(descriptor, PropertyDescriptor):  # an alias asks the one it names
            continue
        assert has_unstable_default(descriptor, cls) == BOKEH_HAS_UNSTABLE_DEFAULT(descriptor, cls), name


@pytest.fixture
def installed(monkeypatch):
    """:func:`look_up_defaults_once` for one test: Bokeh's own functions are put back after it."""
    monkeypatch.setattr(HasProps, "_overridden_defaults", HasProps.__dict__["_overridden_defaults"])
    monkeypatch.setattr(PropertyDescriptor, "has_unstable_default", PropertyDescriptor.has_unstable_default)
    look_up_defaults_once()


def test_a_class_made_later_gets_its_own_overrides_and_models_their_own_lists(installed):
    class Counter(Model):
        start = Int(1)
        seen = List(Int)

    class FromTen(Counter):
        start = Override(default=10)

    assert (Counter().start, FromTen().start) == (1, 10)
    first, second = FromTen(), FromTen()
    first.seen.append(3)
    assert second.seen == []  # a list made per model, not shared


def defaults_of_new_models():
    """Class -> every property of a new model of it (:func:`plain`), for each class that can be made
    without arguments."""
    found = {}
    for cls in CLASSES:
        try:
            model = cls()
        except Exception:  # abstract or with required properties: not made by default
            continue
        found[cls] = {name: plain(value)
                      for name, value in model.properties_with_values(include_undefined=True).items()}
    return found


def plain(value):
    """``value`` with every model in it replaced by its class name (models made anew differ by id)."""
    if isinstance(value, HasProps):
        return type(value).__name__
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return repr(value)


# Making every class includes Bokeh's deprecated ones (ActionItem, CheckableItem), which warn.
@pytest.mark.filterwarnings("ignore::bokeh.util.warnings.BokehDeprecationWarning")
def test_new_models_get_the_defaults_bokeh_gives_them(monkeypatch):
    monkeypatch.setattr(HasProps, "_overridden_defaults", classmethod(BOKEH_OVERRIDDEN_DEFAULTS))
    monkeypatch.setattr(PropertyDescriptor, "has_unstable_default", BOKEH_HAS_UNSTABLE_DEFAULT)
    bokehs = defaults_of_new_models()
    look_up_defaults_once()
    ours = defaults_of_new_models()
    assert len(ours) > 300
    assert ours == bokehs
