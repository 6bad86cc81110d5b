"""About view in a Bokeh document: every display equation typeset by KaTeX, the prose as Markdown."""

import panel as pn

from dashboard.views.about import TEXT, AboutView, blocks

from .helpers import render


def test_each_display_equation_is_a_katex_pane_and_the_rest_markdown():
    view = AboutView()
    _, root = render(view)
    equations = view._layout.select(pn.pane.LaTeX)
    texts = view._layout.select(pn.pane.Markdown)
    assert len(equations) == TEXT.count("$$") // 2 == 5
    assert all(eq.renderer == "katex" and eq.object.startswith("$$") for eq in equations)
    assert not any("$$" in md.object for md in texts)  # Markdown would hand $$ to Bokeh's MathJax
    assert "doi.org/10.1038/s41467-022-29320-6" in "".join(md.object for md in texts)
    assert [type(m).__name__ for m in root.references()].count("KaTeX") == 5  # rendered by the server


def test_blocks_keep_the_order_of_text_and_equations():
    parts = blocks("Before $$x^2$$ between $$y$$ after")
    assert [type(p).__name__ for p in parts] == ["Markdown", "LaTeX", "Markdown", "LaTeX", "Markdown"]
    assert parts[1].object == "$$x^2$$"
    assert blocks("  $$z$$  ")[0].object == "$$z$$"  # blank prose around an equation is dropped
    assert len(blocks("  $$z$$  ")) == 1
