"""Serializing a page's models without computing the defaults Bokeh leaves out
(dashboard/serializing.py): the same result as Bokeh's own query, for every model of every view."""

import json

import pytest
from bokeh.core.has_props import HasProps
from bokeh.core.property.descriptors import PropertyDescriptor, UnsetValueError
from bokeh.core.serialization import Serializer
from bokeh.document import Document
from bokeh.models import ColumnDataSource, GlyphRenderer, Legend, Title
from panel.io.state import set_curdoc

import dashboard.app as app
from dashboard import serializing
from dashboard.state.session import VIEWS


@pytest.fixture(params=list(VIEWS))
def doc(request):
    """A page's document with view ``request.param`` open."""
    doc = Document()
    with set_curdoc(doc):
        page = app.create_app()
        page.server_doc(doc)
        bar, _ = page.roots["main"].objects
        bar.active = list(VIEWS).index(request.param)
    return doc


def encoded(doc, query, monkeypatch):
    """The document's roots as Bokeh sends them, serialized through ``query``."""
    monkeypatch.setattr(HasProps, "query_properties_with_values", query)
    return json.dumps(Serializer(deferred=False).encode(doc.roots), sort_keys=True)


def test_each_model_gives_what_bokehs_query_gives(doc):
    set_only = lambda descriptor: descriptor.serialized  # the serializer's query  # noqa: E731
    for model in doc.models:
        # Bokeh makes a per-model default (a list, a model) when first read, and sends it from then on.
        serializing.BOKEH_QUERY(model, set_only, include_defaults=False)
        ours = serializing.set_properties_query(model, set_only, include_defaults=False)
        theirs = serializing.BOKEH_QUERY(model, set_only, include_defaults=False)
        assert ours.keys() == theirs.keys(), type(model).__name__
        assert all(ours[key] is theirs[key] or ours[key] == theirs[key] for key in ours)
        everything = serializing.set_properties_query(model, set_only, include_defaults=True)
        assert everything.keys() == serializing.BOKEH_QUERY(model, set_only, include_defaults=True).keys()


def test_the_page_is_sent_alike_reading_a_third_of_the_defaults(doc, monkeypatch):
    reads, read = [], PropertyDescriptor.instance_default
    monkeypatch.setattr(PropertyDescriptor, "instance_default",
                        lambda self, obj: reads.append(1) or read(self, obj))
    encoded(doc, serializing.BOKEH_QUERY, monkeypatch)  # (per-model defaults made)
    reads.clear()
    theirs = encoded(doc, serializing.BOKEH_QUERY, monkeypatch)
    bokeh_reads = len(reads)
    reads.clear()
    assert encoded(doc, serializing.set_properties_query, monkeypatch) == theirs
    assert len(reads) < bokeh_reads / 3


@pytest.mark.parametrize("model_class", [ColumnDataSource, GlyphRenderer, Title, Legend])
def test_a_fresh_themed_model_is_queried_with_bokehs_result_and_side_effects(model_class):
    # Two fresh models of a kind, one queried each way, twice: Bokeh makes a per-model default (a
    # Selection, a list) when first read, leaves it out that time and sends it after; a theme's values
    # are sent as set; a required property never set is Undefined (or an error).
    theme = {"tags": ["themed"], "name": "themed"}
    ours, theirs = model_class(), model_class()
    for model in (ours, theirs):
        model.apply_theme(theme)
    set_only = lambda descriptor: descriptor.serialized  # noqa: E731
    for _ in range(2):
        got = serializing.set_properties_query(ours, set_only, include_defaults=False, include_undefined=True)
        want = serializing.BOKEH_QUERY(theirs, set_only, include_defaults=False, include_undefined=True)
        assert got.keys() == want.keys()
        assert {"tags", "name"} <= got.keys()
        assert ours._unstable_default_values.keys() == theirs._unstable_default_values.keys()


def test_a_required_property_never_set_is_refused_as_bokeh_refuses_it():
    set_only = lambda descriptor: descriptor.serialized  # noqa: E731
    for query in (serializing.BOKEH_QUERY, serializing.set_properties_query):
        with pytest.raises(UnsetValueError):
            query(GlyphRenderer(), set_only, include_defaults=False)  # no glyph
