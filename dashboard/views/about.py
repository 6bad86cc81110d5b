"""View 6: the science in brief, with equations typeset by KaTeX (served by the app) and references."""

import re

import panel as pn

TEXT = r"""
## How FN-DAM works

A floating gate, charged once, loses electrons by **Fowler-Nordheim (FN) tunneling** through a thin
SiO₂ barrier. In a field *E* the barrier is a triangle the electrons tunnel through:

$$J(E) = A E^2 e^{-B/E}$$

$$A = \frac{q^3}{8\pi h m_r \phi},\qquad B = \frac{8\pi\sqrt{2m_0}}{3qh} \sqrt{m_r} \phi^{3/2}$$

with barrier height *φ* (about 3.2 eV for Si/SiO₂) and oxide electron mass *m*ᵣ = *m*\*/*m*₀.
An electron at the Fermi level tunnels through the width *x*ₜ = *φ*/(*qE*).

As electrons leave, the voltage *V* across the oxide falls, the barrier widens and the current drops.
With total capacitance *C*ₜ, junction area *S* and oxide thickness *d*:

$$C_T\frac{dV}{dt} = -S A \left(\frac{V}{d}\right)^2 e^{-Bd/V}$$

$$\Longrightarrow\quad V(t) = \frac{k_2}{\ln(k_1 t + k_0)}$$

$$k_2 = Bd,\qquad k_1 = \frac{S A B}{C_T d},\qquad k_0 = e^{k_2/V_0}$$

The decay is a timer: late in life |d*V*/d*t*| ≈ *V*²/(*k*₂ *t*), so the same programming pulse moves the
voltage less and less, a learning-rate schedule built into the physics. Two such elements form a synapse
whose weight is their voltage difference; an update costs about *C*ₜ Δ*V* *V*ₜᵤₙ of energy
(*V*ₜᵤₙ the tunneling voltage).

Where the barrier is trapezoidal (*qV* < *φ*, thin oxides), electrons tunnel directly; the app then
uses WKB or exact transmission integrated over the emitter's electrons (Tsu-Esaki).

**Illustrative values.** The paper's device values are not public; defaults such as 12 nm oxide,
1 µm² junction and 100 fF are assumptions you can change.

## References

- D. Mehta, M. Rahman, K. Aono, S. Chakrabartty, "An adaptive synaptic array using Fowler-Nordheim
  dynamic analog memory", *Nature Communications* 13, 1670 (2022).
  [doi:10.1038/s41467-022-29320-6](https://doi.org/10.1038/s41467-022-29320-6)
- M. Rahman, S. Bose, S. Chakrabartty, "On-device synaptic memory consolidation using Fowler-Nordheim
  quantum-tunneling", *Frontiers in Neuroscience* 16, 1050585 (2023).
  [doi:10.3389/fnins.2022.1050585](https://doi.org/10.3389/fnins.2022.1050585)
- D. Mehta, K. Aono, S. Chakrabartty, "A self-powered analog sensor-data-logging device based on
  Fowler-Nordheim dynamical systems", *Nature Communications* 11, 5748 (2020).
  [doi:10.1038/s41467-020-19292-w](https://doi.org/10.1038/s41467-020-19292-w)
- M. Lenzlinger, E. H. Snow, "Fowler-Nordheim tunneling into thermally grown SiO₂",
  *Journal of Applied Physics* 40, 278 (1969). [doi:10.1063/1.1657043](https://doi.org/10.1063/1.1657043)
- R. G. Forbes, "Simple good approximations for the special elliptic functions in standard
  Fowler-Nordheim tunneling theory for a Schottky-Nordheim barrier", *Applied Physics Letters* 89,
  113122 (2006). [doi:10.1063/1.2354582](https://doi.org/10.1063/1.2354582)
"""


def blocks(text):
    """Markdown and KaTeX panes for ``text``, whose ``$$...$$`` parts are display equations.

    Equations go to LaTeX panes rendered by KaTeX (Markdown would hand ``$$`` to Bokeh's MathJax). KaTeX
    never breaks a line, so each equation in the text is short enough for a 360 px phone (~290 px)."""
    parts = re.split(r"\$\$(.+?)\$\$", text, flags=re.S)
    return [pn.pane.LaTeX(f"$${part}$$", renderer="katex", styles={"font-size": "1.25em"}, margin=(5, 20))
            if i % 2 else pn.pane.Markdown(part, sizing_mode="stretch_width", disable_math=True)
            for i, part in enumerate(parts) if part.strip()]


class AboutView(pn.viewable.Viewer):
    """Static text with equations typeset by the KaTeX that Panel bundles and the app serves."""

    def __init__(self, **params):
        super().__init__(**params)
        self._layout = pn.Column(*blocks(TEXT), max_width=900, css_classes=["fndam-about"])

    def __panel__(self):
        return self._layout
