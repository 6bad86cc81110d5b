"""Named presets as data: each maps a state part (see ``session.PARTS``) to parameter values.

Applying a preset first resets every part to its defaults, so a preset means the same thing whatever
was set before. "Illustrative" marks values that are assumptions, not the paper's (docs/science.md).
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
        "device": {"image_force": True, "eps_r": 2.15},
    },
    "Heavier electron (0.5 m0, Weinberg)": {
        "device": {"mass_ratio": 0.5},
        "current": {"show_exact": True},
    },
    # Energy presets name their baseline: the saving depends on it more than on anything else.
    "Edge online learning, DRAM baseline": {
        # One sample per step on a small model: updates rival compute, the memory swap pays most.
        "learning": {"task": "2d", "n_steps": 2000},
        "energy": {"log10_params": 4.0, "log10_samples": 6.0, "log10_batch": 0.0, "baseline": "DDR DRAM"},
        "session": {"view": "energy"},
    },
    "Edge online learning, on-chip SRAM baseline": {
        # The same run against weights kept on chip: the saving shrinks to a few x.
        "learning": {"task": "2d", "n_steps": 2000},
        "energy": {"log10_params": 4.0, "log10_samples": 6.0, "log10_batch": 0.0,
                   "baseline": "on-chip SRAM"},
        "session": {"view": "energy"},
    },
    "Datacentre batch training, HBM2 baseline": {
        # 1e11 parameters, 1e12 tokens in 4e6-token batches (GPT-3-like all-in FLOP energy), weights in
        # HBM2, whose traffic is already inside the all-in e_flop (the summary says it is counted twice).
        "energy": {"log10_params": 11.0, "log10_samples": 12.0, "log10_batch": 6.6,
                   "e_flop": "GPT-3 all-in (1,287 MWh / 3.14e23 FLOP)", "baseline": "HBM2"},
        "session": {"view": "energy"},
    },
    "Small capacitor, fast decay": {
        # 10 fF and a 10x larger junction: k1 grows 100x, the element decays and anneals faster.
        "memory": {"capacitance_fF": 10.0, "junction_area_um2": 10.0},
        "session": {"view": "memory"},
    },
}


def apply_settings(session, settings):
    """Reset ``session`` (a :class:`dashboard.state.session.SessionState`), then set ``settings``
    (part -> parameter values, the form of PRESETS): how a preset and a tour step set the state."""
    session.reset()
    for part, values in settings.items():
        session.part(part).param.update(values)
