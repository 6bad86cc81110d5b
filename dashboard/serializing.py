"""Sending a page's models without computing the defaults Bokeh leaves out.

To serialize a model, Bokeh asks for the properties set on it (``properties_with_values(
include_defaults=False)``); its query reads the value of every property first, each default built and
validated, and then drops the ones not set (Bokeh 3.9, ``HasProps.query_properties_with_values``: "this
should happen before get_value()"). A page's ~150 models have thousands of such defaults: measured
in-process, serializing a page took 27-36 ms of CPU, 9 ms without them. Every page, every patch and every
frame of a playing run is serialized so.
"""

import functools

from bokeh.core.has_props import HasProps
from bokeh.core.property.singletons import Undefined

#: Bokeh's query, which :func:`set_properties_query` narrows.
BOKEH_QUERY = HasProps.query_properties_with_values


def set_properties_query(self, query, *, include_defaults=True, include_undefined=False):
    """Bokeh's ``HasProps.query_properties_with_values``, giving the same result, whose query leaves
    out up front what Bokeh would compute only to leave out: without ``include_defaults``, a property
    neither set, themed nor holding a default made for this model, whose default is a constant
    (reading it stores nothing on the model)."""
    if include_defaults:
        return BOKEH_QUERY(self, query, include_defaults=True, include_undefined=include_undefined)
    # As Bokeh selects them, before it reads any value.
    selected = {*self._property_values, *self._unstable_default_values, *(self.themed_values() or ())}

    def wanted(descriptor):
        return query(descriptor) and (descriptor.name in selected or not _constant_default(type(self),
                                                                                            descriptor.name))

    return BOKEH_QUERY(self, wanted, include_defaults=False, include_undefined=include_undefined)


@functools.cache
def _constant_default(cls, name):
    """True if the property ``name`` of the model class ``cls`` has a default that is the same value
    every time (not made per model, as a list or a model instance is, and not missing: a required
    property). A fact of the class: cached."""
    descriptor = cls.lookup(name)
    has_default = name in cls.__overridden_defaults__ or descriptor.property._default is not Undefined
    return has_default and not descriptor.has_unstable_default(cls)  # (it reads the class's overrides)


def serialize_set_properties_only():
    """Have Bokeh serialize models in this process through :func:`set_properties_query` (idempotent)."""
    HasProps.query_properties_with_values = set_properties_query
