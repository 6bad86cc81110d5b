"""Named presets as data: each maps a state part ("device", "band", "current") to parameter values.

Applying a preset first resets every part to its defaults, so a preset means the same thing whatever
was set before. "Illustrative" marks values that are assumptions, not the paper's (science.md).
"""

PRESETS = {
    "Illustrative paper device": {
        "device": {"oxide_voltage": 10.0, "oxide_thickness_nm": 12.0, "barrier_height_eV": 3.2,
                   "mass_ratio": 0.42},
    },
    "Thin oxide: direct tunneling": {
        "device": {"oxide_voltage": 2.5, "oxide_thickness_nm": 3.0},
    },
    "Oxide 2 nm thinner": {
        "device": {"oxide_thickness_nm": 10.0, "oxide_voltage": 8.3},
    },
    "Image force, optical permittivity": {
        "band": {"image_force": True, "eps_r": 2.15},
    },
    "Heavier electron (0.5 m0, Weinberg)": {
        "device": {"mass_ratio": 0.5},
        "current": {"show_exact": True},
    },
}
