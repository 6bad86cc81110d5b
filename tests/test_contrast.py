"""Contrast of every colour the page declares (issue 10: the projector view and access for everyone).

WCAG 2.1 contrast ratios, computed here from the colours themselves:

- Text of our style sheets (``assets/*.css``) against its background: at least 4.5:1 in the normal view
  (WCAG 1.4.3) and 7:1 in the projector view (1.4.6, the issue's bar for a lecture hall). The server's
  own pages (``pages.css``: login, refused request) have no projector view.
- Every other colour of the sheets (borders, outlines, accents of controls) at least 3:1 against its
  background (1.4.11), unless :data:`DECORATIVE` says why it carries nothing a reader needs.
- In every plot of every view (built as the app builds them, normal and projector): every text colour
  (title, axes, legend, labels drawn in the plot) at least 7:1 against the plot's background (the
  projector changes sizes, not colours), every line, marker, bar and reference line at least 3:1 (its
  alpha blended over the background), unless :data:`PLOT_EXEMPT` says why.

Every colour declaration of a sheet is classified: text (``color``), background, or non-text; a rule
whose colours have no background of their own names the rules whose backgrounds lie under it in
:data:`BACKDROPS`, and every background must lie under some text. So a colour added to a sheet without
saying what it sits on fails here.
"""

import re
from pathlib import Path

import panel as pn
import pytest
from bokeh.models import GlyphRenderer, HSpan, Line, Quad, Scatter, Segment, Text, VSpan, VStrip
from built_views import build_every_view

from dashboard.views.plotting import INK

ASSETS = Path(__file__).resolve().parents[1] / "assets"
TEXT_NORMAL, TEXT_PROJECTOR, GRAPHIC = 4.5, 7.0, 3.0
#: Sheets of the server's own pages, which have no projector view.
SERVER_PAGES = {"pages.css"}
PROJECTOR = "html.fndam-projector "

#: (sheet, selector) of a rule -> the (sheet, selector) rules whose backgrounds are around its element
#: (every one is checked): its borders, outlines and accents are seen against them, and so is its text
#: unless it has a background of its own.
BACKDROPS = {
    ("style.css", ".fndam-sidebar-heading"): [("style.css", ".fndam-sidebar")],
    ("style.css", ".fndam-skip:focus"): [("style.css", "body")],
    ("style.css", ".fndam-sidebar"): [("style.css", "body")],  # its edge
    # The controls sit in the sidebar and in each view's side column, and the tour may highlight one.
    ("controls.css", ".fndam-controls"): [("style.css", ".fndam-sidebar"), ("style.css", "body")],
    ("controls.css", '.fndam-control input[type="range"]'): [("style.css", ".fndam-sidebar"),
                                                            ("style.css", "body")],
    ("controls.css", '.fndam-control input[type="checkbox"]'): [("style.css", ".fndam-sidebar"),
                                                               ("style.css", "body")],
    ("controls.css", ".fndam-control :focus-visible"): [("style.css", ".fndam-sidebar"),
                                                        ("style.css", "body")],
    ("controls.css", ".fndam-control.fndam-highlight"): [("style.css", ".fndam-sidebar"),
                                                         ("style.css", "body")],
    ("controls.css", '.fndam-control input[type="number"]'): [("style.css", ".fndam-sidebar"),
                                                             ("style.css", "body")],
    ("controls.css", ".fndam-control select"): [("style.css", ".fndam-sidebar"), ("style.css", "body")],
    ("controls.css", ".fndam-info"): [("style.css", ".fndam-sidebar"), ("style.css", "body")],
    ("tabbar.css", ".fndam-tablist"): [("style.css", "body")],
    ("tabbar.css", ".fndam-tab"): [("style.css", "body")],
    ("tabbar.css", '.fndam-tab[aria-selected="true"]'): [("style.css", "body")],
    ("tabbar.css", ".fndam-tab:focus-visible"): [("style.css", "body")],
    ("plotframe.css", ".fndam-plot-text"): [("style.css", "body")],
    ("plotframe.css", ".fndam-table-toggle"): [("style.css", "body")],
    ("plotframe.css", ".fndam-table-toggle:focus-visible"): [("style.css", "body")],
    ("plotframe.css", ".fndam-tables"): [("style.css", "body")],
    ("plotframe.css", ".fndam-data-table th"): [("style.css", "body")],
    ("plotframe.css", ".fndam-data-table td"): [("style.css", "body")],
    ("tour.css", ".fndam-tour"): [("style.css", "body")],
    ("tour.css", ".fndam-tour-title"): [("tour.css", ".fndam-tour")],
    ("tour.css", ".fndam-tour button"): [("tour.css", ".fndam-tour")],
    ("tour.css", '.fndam-tour button[aria-disabled="true"]'): [("tour.css", ".fndam-tour")],
    ("tour.css", ".fndam-tour-start"): [("style.css", ".fndam-header-tools")],
    ("tour.css", ".fndam-tour fieldset"): [("tour.css", ".fndam-tour")],
    ("tour.css", ".fndam-tour-choice input"): [("tour.css", ".fndam-tour")],
    ("tour.css", ".fndam-tour :focus-visible"): [("tour.css", ".fndam-tour")],
    ("tour.css", ".fndam-tour-title:focus"): [("tour.css", ".fndam-tour")],
    ("tour.css", ".fndam-tour-result:focus"): [("tour.css", ".fndam-tour")],
    ("tour.css", ".fndam-tour-start:focus-visible"): [("style.css", ".fndam-header-tools")],
    ("tour.css", ".fndam-tour-result"): [("tour.css", ".fndam-tour")],
    # The live class's region sits on the page; its bars' fills in their tracks.
    ("classroom.css", ".fndam-live"): [("style.css", "body")],
    ("classroom.css", ".fndam-live h2"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live h3"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live a"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-warning"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live fieldset"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-choice input"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live button"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live .fndam-live-end"): [("classroom.css", ".fndam-live")],
    ("classroom.css", '.fndam-live button[aria-disabled="true"]'): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live :focus-visible"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-title:focus"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-result:focus"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-ack"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-status"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-result"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live summary"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-join-form input"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-bar"): [("classroom.css", ".fndam-live")],
    ("classroom.css", ".fndam-live-bar-fill"): [("classroom.css", ".fndam-live-bar")],
    ("classroom.css", ".fndam-live-start"): [("style.css", ".fndam-header-tools")],
    ("classroom.css", ".fndam-live-start:focus-visible"): [("style.css", ".fndam-header-tools")],
    ("pages.css", ".fndam-card"): [("pages.css", "body.fndam-page")],
    ("pages.css", ".fndam-app-name"): [("pages.css", ".fndam-card")],
    ("pages.css", ".fndam-card input"): [("pages.css", ".fndam-card")],
    ("pages.css", ".fndam-error"): [("pages.css", ".fndam-card")],
    ("pages.css", ".fndam-info"): [("pages.css", ".fndam-card")],
}

#: (sheet, selector) of a rule whose text colour is inherited by elements that set only a background ->
#: those rules (its text is checked on their backgrounds too).
ALSO_UNDER = {
    ("controls.css", ".fndam-controls"): [("controls.css", ".fndam-control.fndam-highlight")],
    ("tour.css", ".fndam-tour"): [("tour.css", ".fndam-tour-result")],
    ("classroom.css", ".fndam-live"): [("classroom.css", ".fndam-live-warning"),
                                       ("classroom.css", ".fndam-live-result")],
    ("pages.css", "body.fndam-page"): [("pages.css", ".fndam-card"), ("pages.css", ".fndam-info")],
}

#: (sheet, selector, property) of a non-text colour that need not reach 3:1, and why.
DECORATIVE = {
    ("style.css", ".fndam-sidebar", "border-right"): "the sidebar's edge: its grey background marks it",
    ("style.css", ".fndam-sidebar", "border-top"): "the sidebar's edge: its grey background marks it",
    ("tabbar.css", ".fndam-tab", "border"): "each tab is named by its text; the border only groups them",
    ("plotframe.css", ".fndam-data-table td", "border"): "table rules: the cells are read by their headers",
    ("plotframe.css", ".fndam-data-table th", "border"): "table rules: the cells are read by their headers",
    ("tour.css", '.fndam-tour button[aria-disabled="true"]', "border-color"):
        "a button that cannot act now (WCAG 1.4.11 exempts inactive components)",
    ("pages.css", ".fndam-card", "box-shadow"): "a soft shadow; the card's accent top edge marks it",
}

#: Legend labels of plot layers that need not reach 3:1, and why.
PLOT_EXEMPT = {
    "chosen baseline": "a wide light band under the chosen baseline's curve, which is drawn at full "
                       "contrast itself; the title names the baseline",
}

NAMED = {"white": "#ffffff", "black": "#000000"}
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|\b(?:white|black)\b")
TEXT = ("color",)
BACKGROUND = ("background", "background-color")
NON_TEXT = ("border", "border-top", "border-right", "border-bottom", "border-left", "border-color",
            "outline", "accent-color", "box-shadow")


def rules(css):
    """(selector, {property: value}) of every rule of a sheet, those inside @media blocks included; a
    selector list gives one rule per selector."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, stack, start = [], [], 0
    for match in re.finditer(r"[{}]", css):
        if match.group() == "{":
            stack.append(css[start:match.start()].strip())
        else:
            head = stack.pop()
            if not head.startswith("@"):
                body = css[start:match.start()]
                declarations = dict(d.split(":", 1) for d in (d.strip() for d in body.split(";")) if ":" in d)
                declarations = {k.strip(): v.strip() for k, v in declarations.items()}
                out.extend((selector.strip(), declarations) for selector in head.split(","))
        start = match.end()
    return out


def sheets():
    """Sheet name -> its rules, for every ``assets/*.css``."""
    return {path.name: rules(path.read_text(encoding="utf-8")) for path in sorted(ASSETS.glob("*.css"))}


def custom_properties(all_rules):
    """Custom property -> value, from the ``:root`` rules of every sheet (they reach every shadow root)."""
    return {name: value for rules_ in all_rules.values() for selector, decl in rules_ if selector == ":root"
            for name, value in decl.items() if name.startswith("--")}


def resolve(value, variables):
    """``value`` with ``var(--name, fallback)`` replaced by the variable's value (else the fallback)."""
    def one(match):
        name, _, fallback = match.group(1).partition(",")
        return variables.get(name.strip(), fallback.strip())

    return re.sub(r"var\(([^()]*)\)", one, value)


def colours(value):
    """The colours in a CSS value, as (r, g, b, alpha) with r, g, b in 0..255."""
    found = []
    for token in COLOUR.findall(value):
        token = NAMED.get(token, token)
        if token.startswith("#"):
            digits = token[1:]
            if len(digits) in (3, 4):
                digits = "".join(2 * d for d in digits)
            rgb = [int(digits[i:i + 2], 16) for i in (0, 2, 4)]
            alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        else:
            numbers = re.findall(r"[\d.]+%?", token)
            rgb = [float(n) for n in numbers[:3]]
            alpha = (float(numbers[3].rstrip("%")) / (100 if numbers[3].endswith("%") else 1)
                     if len(numbers) > 3 else 1.0)
        found.append((*rgb, alpha))
    return found


def luminance(rgb):
    """WCAG relative luminance of an sRGB colour (0..255 channels)."""
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(float(c)) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def over(colour, background):
    """``colour`` (r, g, b, alpha) drawn over an opaque ``background``: the opaque colour seen."""
    *rgb, alpha = colour
    return (*tuple(alpha * c + (1 - alpha) * b for c, b in zip(rgb, background[:3], strict=True)), 1.0)


def contrast(colour, background):
    """WCAG contrast ratio of ``colour`` (its alpha blended) on ``background``."""
    lighter, darker = sorted((luminance(over(colour, background)), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_formula_matches_wcag_reference_values():
    black, white = (0, 0, 0, 1.0), (255, 255, 255, 1.0)
    assert contrast(black, white) == pytest.approx(21.0)
    assert contrast(white, white) == pytest.approx(1.0)
    assert contrast((0x76, 0x76, 0x76, 1.0), white) == pytest.approx(4.54, abs=0.01)  # the AA grey
    assert contrast((0x59, 0x59, 0x59, 1.0), white) == pytest.approx(7.0, abs=0.01)  # the AAA grey
    assert contrast((0, 0, 0, 0.5), white) == pytest.approx(contrast((127.5, 127.5, 127.5, 1.0), white))


class Sheets:
    """Every colour declaration of our sheets, in one view (normal or projector)."""

    def __init__(self, projector):
        self.all = sheets()
        self.variables = custom_properties(self.all)
        self.projector = projector
        # (sheet, selector) -> {property: value} as it applies in this view: projector rules override
        # the rules of the same selector without the prefix.
        self.decl = {}
        for sheet, rules_ in self.all.items():
            for selector, decl in rules_:
                if selector == ":root" or (selector.startswith(PROJECTOR) and not projector):
                    continue
                key = (sheet, selector.removeprefix(PROJECTOR))
                self.decl.setdefault(key, {}).update(decl)

    def colours_of(self, key, properties):
        """(property, colour) of the declarations of ``key`` among ``properties``."""
        return [(name, c) for name, value in self.decl.get(key, {}).items() if name in properties
                for c in colours(resolve(value, self.variables))]

    def backgrounds(self, keys):
        """The background colours of the rules ``keys``."""
        return [c for other in keys for _, c in self.colours_of(other, BACKGROUND)]

    def pairs(self):
        """(key, property, colour, background) of every colour with something under it, and the keys of
        colours with nothing declared under them. Text lies on its rule's own background and on those
        declared around it; a border, outline or accent is seen against what is around the element."""
        pairs, bare = [], []
        for key in self.decl:
            texts, others = self.colours_of(key, TEXT), self.colours_of(key, NON_TEXT)
            around = self.backgrounds(BACKDROPS.get(key, []))
            under = (self.backgrounds([key]) or around) + self.backgrounds(ALSO_UNDER.get(key, []))
            if (texts and not under) or (others and not around):
                bare.append(key)
            pairs += [(key, name, c, bg) for name, c in texts for bg in under]
            pairs += [(key, name, c, bg) for name, c in others for bg in around]
        return pairs, bare


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_every_colour_of_the_style_sheets_is_declared_on_a_background(projector):
    view = Sheets(projector)
    _, bare = view.pairs()
    assert not bare, f"colours with no background declared under them (add them to BACKDROPS): {bare}"
    unread = [(key, name, value) for key, decl in view.decl.items() for name, value in decl.items()
              if colours(resolve(value, view.variables)) and name not in TEXT + BACKGROUND + NON_TEXT]
    assert not unread, f"colour declarations this test does not classify: {unread}"
    under = {other for key in view.decl for other in BACKDROPS.get(key, []) + ALSO_UNDER.get(key, [])}
    unused = [key for key in view.decl if view.colours_of(key, BACKGROUND)
              and not view.colours_of(key, TEXT + NON_TEXT) and key not in under]
    assert not unused, f"backgrounds no text or control is declared on (name them in BACKDROPS): {unused}"
    named = [*BACKDROPS, *ALSO_UNDER, *(key[:2] for key in DECORATIVE),
             *(other for table in (BACKDROPS, ALSO_UNDER) for keys in table.values() for other in keys)]
    stale = [key for key in named if key not in view.decl]
    assert not stale, f"BACKDROPS or DECORATIVE name rules the sheets no longer have: {stale}"


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_text_and_controls_of_the_style_sheets_reach_their_contrast(projector):
    pairs, _ = Sheets(projector).pairs()
    low = []
    for (sheet, selector), name, colour, background in pairs:
        if projector and sheet in SERVER_PAGES:
            continue
        if name in TEXT:
            need = TEXT_PROJECTOR if projector else TEXT_NORMAL
        elif (sheet, selector, name) in DECORATIVE:
            continue
        else:
            need = GRAPHIC
        ratio = contrast(colour, background)
        if ratio < need:
            low.append(f"{sheet} {selector} {name} {colour[:3]} on {background[:3]}: {ratio:.2f} < {need}")
    assert not low, "colours below their contrast:\n" + "\n".join(low)


def test_the_palette_reaches_3_to_1_on_white_and_its_grey_4_5():
    white = (255, 255, 255, 1.0)
    ratios = {name: contrast(*colours(ink), white) for name, ink in INK.items()}
    assert all(r >= GRAPHIC for r in ratios.values()), ratios
    assert ratios["grey"] >= TEXT_NORMAL, ratios


# --- plots ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def figures():
    """Every plot of every view as the app builds them: view key -> Bokeh figures (projector view off),
    and the session, to switch the projector view on."""
    session, layouts = build_every_view()
    built = {key: [pane.object for pane in layout.select(pn.pane.Bokeh)] for key, layout in layouts.items()}
    return built, session


def _values(spec, source):
    """The values of a colour (or alpha) property: its one value, or those of the data column it names."""
    if isinstance(spec, str) and spec in source.data:
        return list(source.data[spec])
    return [spec]


def _rgba(colour, alpha=1.0):
    """A Bokeh colour (CSS text or None) and alpha as (r, g, b, alpha), None for no colour."""
    if colour is None:
        return None
    (found,) = colours(str(colour))
    return (*found[:3], found[3] * alpha)


def _legend_label(figure, renderer):
    """The legend label of a layer's renderer (its entry's sample is drawn by a renderer of its name)."""
    labels = [item.label.get("value") if isinstance(item.label, dict) else getattr(item.label, "value", None)
              for legend in figure.legend for item in legend.items
              if renderer.name and renderer.name in {r.name for r in item.renderers}]
    return next((label for label in labels if label), None)


def plot_colours(figure):
    """(what, colour, background, need) of every text and graphic colour of a figure."""
    background = _rgba(figure.background_fill_color, figure.background_fill_alpha)
    border = _rgba(figure.border_fill_color, figure.border_fill_alpha)
    out = [("title", _rgba(figure.title.text_color), border, TEXT_PROJECTOR)]
    for axis in (*figure.xaxis, *figure.yaxis):
        out += [("axis label", _rgba(axis.axis_label_text_color), border, TEXT_PROJECTOR),
                ("tick label", _rgba(axis.major_label_text_color), border, TEXT_PROJECTOR)]
    for legend in figure.legend:
        out.append(("legend", _rgba(legend.label_text_color), border, TEXT_PROJECTOR))
    for renderer in figure.select({"type": GlyphRenderer}):
        glyph, source = renderer.glyph, renderer.data_source
        label = _legend_label(figure, renderer) or type(glyph).__name__
        if label in PLOT_EXEMPT or isinstance(glyph, VStrip):  # shaded regions: labelled, never alone
            continue
        if isinstance(glyph, Text):
            box = _rgba(glyph.background_fill_color, glyph.background_fill_alpha)
            under = over(box, background) if box else background
            out += [(f"text {label}", _rgba(c), under, TEXT_PROJECTOR)
                    for c in _values(glyph.text_color, source)]
            continue
        strokes = ("line",) if isinstance(glyph, (Line, Segment, VSpan, HSpan)) else ()
        fills = ("fill",) if isinstance(glyph, (Scatter, Quad)) else ()
        for kind in strokes + fills:
            for c in _values(getattr(glyph, f"{kind}_color"), source):
                for a in _values(getattr(glyph, f"{kind}_alpha"), source):
                    out.append((f"{kind} {label}", _rgba(c, a), background, GRAPHIC))
    return [entry for entry in out if entry[1] is not None]


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_every_plot_colour_reaches_its_contrast(figures, projector):
    built, session = figures
    session.projector = projector
    try:
        low = [f"{key} '{figure.title.text}' {what} {colour[:3]}: {contrast(colour, bg):.2f} < {need}"
               for key, figs in built.items() for figure in figs
               for what, colour, bg, need in plot_colours(figure) if contrast(colour, bg) < need]
    finally:
        session.projector = False
    assert sum(len(figs) for figs in built.values()) >= 15  # every view's plots were found
    assert not low, "plot colours below their contrast:\n" + "\n".join(low)
