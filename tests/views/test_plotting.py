"""Plot (dashboard/views/plotting.py) without a view: layers fed in place, legend entries that follow
their data, and the projector's scaling of type, lines and height, undone exactly."""

import math

import pytest
from bokeh.models import ColumnDataSource, GlyphRenderer

from dashboard.views.plotting import INK, PROJECTOR_SCALE, SAMPLE, Layer, Plot, line, markers

LAYERS = {"curve": line("a curve", INK["blue"], width=2.5),
          "points": markers("points", INK["vermillion"], size=8),
          "names": Layer("text", "", {"text_font_size": "10pt"})}


@pytest.fixture
def plot():
    return Plot(LAYERS, "A title", "x (nm)", "y (eV)")


def shown_entries(plot):
    return {item.label.value for item in plot.legend.items if item.visible}


def test_update_feeds_data_in_place_and_legend_follows(plot):
    sources = plot.figure.select({"type": ColumnDataSource})
    plot.update({"curve": ([0, 1], [2, 3]), "points": ([], []), "names": ([0], [1], ["label"])})
    assert plot.figure.select({"type": ColumnDataSource}) == sources  # the same models, new data
    assert dict(plot.sources["curve"].data) == {"x": [0, 1], "y": [2, 3]}
    assert shown_entries(plot) == {"a curve"}
    plot.update({"points": ([1], [1])}, title="New", labels={"curve": "renamed"})
    assert plot.figure.title.text == "New"
    assert shown_entries(plot) == {"renamed", "points"}


def test_legend_samples_refer_to_no_data_a_redraw_changes(plot):
    # BokehJS rebuilds a legend whenever a model its entries refer to changes (plotting.Plot._samples).
    referred = set().union(*(item.references() for item in plot.legend.items))
    assert not referred & {plot.figure, *plot.sources.values(), plot.figure.x_range, plot.figure.y_range}
    samples = {item.label.value: item.renderers[0] for item in plot.legend.items}
    for key in ("curve", "points"):
        sample = samples[LAYERS[key].label]
        assert (sample.name, sample.tags) == (key, [SAMPLE])
        assert all(math.isnan(x) for x in sample.data_source.data["x"])  # nothing drawn in the plot
        assert sample.glyph is plot.renderers[key].glyph  # drawn alike, scaled alike


def test_sources_share_one_selection_policy_and_views_one_filter(plot):
    # Stateless models Bokeh would make once per source and per view (Plot._source, Plot._view).
    renderers = plot.figure.select({"type": GlyphRenderer})
    sources = {id(r.data_source): r.data_source for r in renderers}.values()
    assert len(sources) == len(LAYERS) + 1  # the layers' and the samples' own
    assert len({id(source.selection_policy) for source in sources}) == 1
    assert len({id(r.view.filter) for r in renderers}) == 1
    # A view keeps its source's indices: one per source.
    assert len({id(r.view) for r in renderers}) == len(sources)
    assert all(len({id(r.data_source) for r in renderers if r.view is view}) == 1
               for view in (r.view for r in renderers))


def test_a_sample_styled_by_data_is_its_layer():
    styled = Layer("scatter", "by method", {"fill_color": "color", "marker": "marker"})
    plot = Plot({"points": styled}, "A title", "x", "y")
    (item,) = plot.legend.items
    assert item.renderers == [plot.renderers["points"]]  # its colour and marker come from the data


def test_projector_scale_and_back(plot):
    title, height = plot.figure.title.text_font_size, plot.figure.frame_height
    glyphs = {key: plot.renderers[key].glyph for key in LAYERS}
    plot.scale(PROJECTOR_SCALE)
    assert plot.figure.title.text_font_size == f"{float(title[:-2]) * PROJECTOR_SCALE:g}px"
    assert glyphs["curve"].line_width == 2.5 * PROJECTOR_SCALE
    assert glyphs["points"].size == 8 * PROJECTOR_SCALE
    # Type drawn inside the plot and the plot itself grow by half as much.
    assert glyphs["names"].text_font_size == f"{10 * (1 + PROJECTOR_SCALE) / 2:g}pt"
    assert plot.figure.frame_height == round(height * (1 + PROJECTOR_SCALE) / 2)
    plot.scale(1)
    assert (plot.figure.title.text_font_size, plot.figure.frame_height) == (title, height)
    assert (glyphs["curve"].line_width, glyphs["points"].size) == (2.5, 8)
    assert glyphs["names"].text_font_size == "10pt"
