"""'Download CSV' buttons that write a plot's current data when clicked."""

import io

import numpy as np
import panel as pn


def _cell(value):
    """Numbers with 9 significant digits, anything else as text."""
    return f"{value:.9g}" if isinstance(value, (float, np.floating)) else str(value)


def to_csv(columns, notes=None):
    """CSV text of equal-length ``columns`` (name -> sequence), after ``# key: value`` note lines."""
    lines = [f"# {key}: {value}" for key, value in (notes or {}).items()]
    lines.append(",".join(columns))
    lines.extend(",".join(_cell(v) for v in row) for row in zip(*columns.values(), strict=True))
    return "\n".join(lines) + "\n"


def csv_button(filename, make_csv, label="Download data (CSV)"):
    """A FileDownload button calling ``make_csv()`` for the text at click time: as wide as its column up
    to 320 px, a long label on two lines where the column is narrow (Bokeh's buttons never wrap)."""
    return pn.widgets.FileDownload(callback=lambda: io.StringIO(make_csv()), filename=filename, label=label,
                                   color="light", sizing_mode="stretch_width", max_width=320,
                                   stylesheets=[".bk-btn { white-space: normal; }"])
