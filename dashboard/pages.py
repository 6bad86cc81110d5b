"""The server's own small HTML pages (login, refused request), answered without building the app.

Plain HTML from templates in the ``assets`` package with the app's CSS inlined: no script, no font, no
request to any other host, so they work on an isolated intranet. Each carries the app's title.
"""

from html import escape
from importlib import resources
from string import Template

from dashboard.serving import TITLE


def asset_text(name):
    """The text of ``assets/<name>`` from the installed package."""
    return resources.files("assets").joinpath(name).read_text(encoding="utf-8")


def render(body, heading, trusted=(), **fields):
    """A whole page: the ``assets/<body>.html`` fragment, filled in, inside ``assets/page.html``.

    Every field is HTML-escaped except those named in ``trusted`` (markup the server made itself,
    such as the XSRF form field); ``$app`` is the app's name in both templates.
    """
    values = {name: value if name in trusted else escape(str(value)) for name, value in fields.items()}
    inner = Template(asset_text(f"{body}.html")).substitute(values, app=escape(TITLE))
    css = asset_text("style.css") + asset_text("pages.css")
    return Template(asset_text("page.html")).substitute(css=css, body=inner, heading=escape(heading),
                                                        app=escape(TITLE))
