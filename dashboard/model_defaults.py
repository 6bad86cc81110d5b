"""Bokeh's property defaults, with the facts of a model class looked up once per class.

Every Bokeh model built reads the default of each property it does not set, and each read asks two
questions whose answers depend on the model's class alone (Bokeh 3.9):

- ``HasProps._overridden_defaults()``: the defaults the class and its bases override, a dict merged
  along the class's MRO on every call (``Property.themed_default``);
- ``PropertyDescriptor.has_unstable_default(model)``: whether the default is made anew per model (a
  list, a model instance), which walks the property's type parameters and the class's overrides
  (``PropertyDescriptor._get_default``, ``HasProps.__init__``).

A page builds ~150 models and asks them ~6,000 times. Measured in-process (build a page and its JSON,
median of 12): 118 ms of CPU, 102 ms with the answers kept per class. Both are facts fixed when Bokeh
creates the class (its ``__overridden_defaults__``, its property objects), so keeping them cannot go
stale; a class created later gets its own.
"""

import functools

from bokeh.core.has_props import HasProps
from bokeh.core.property.descriptors import PropertyDescriptor

#: Bokeh's own functions, which the cached ones call once per class (and descriptor).
BOKEH_OVERRIDDEN_DEFAULTS = HasProps._overridden_defaults.__func__
BOKEH_HAS_UNSTABLE_DEFAULT = PropertyDescriptor.has_unstable_default


@functools.cache
def overridden_defaults(cls):
    """Bokeh's ``HasProps._overridden_defaults`` for model class ``cls``, merged once.

    The dict is shared by every caller: Bokeh's only caller reads it (and copies the value it uses).
    """
    return BOKEH_OVERRIDDEN_DEFAULTS(cls)


@functools.cache
def _unstable(descriptor, cls):
    """Bokeh's ``has_unstable_default`` for ``descriptor`` on a model of class ``cls``."""
    return BOKEH_HAS_UNSTABLE_DEFAULT(descriptor, cls)


def has_unstable_default(self, obj):
    """Bokeh's ``PropertyDescriptor.has_unstable_default``, answered once per descriptor and class.

    ``obj`` is a model or a model class (Bokeh reads only its class attribute
    ``__overridden_defaults__``, so both work with Bokeh's; dashboard.serializing asks a class).
    """
    return _unstable(self, obj if isinstance(obj, type) else type(obj))


def look_up_defaults_once():
    """Have Bokeh use :func:`overridden_defaults` and :func:`has_unstable_default` in this process
    (idempotent)."""
    HasProps._overridden_defaults = classmethod(overridden_defaults)
    PropertyDescriptor.has_unstable_default = has_unstable_default
