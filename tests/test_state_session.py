"""Session state without a browser: URL round trip, malformed URL values, typed values, presets, reset."""

import pytest

from dashboard.state.checks import try_set
from dashboard.state.presets import PRESETS
from dashboard.state.session import URL_KEYS, SessionState


def test_url_query_round_trips_the_state():
    session = SessionState()
    session.device.oxide_thickness_nm = 9.5
    session.device.image_force = True
    session.band.age = "1 year"
    session.learning.static_rounding = "stochastic"
    session.view = "current"
    restored = SessionState()
    assert restored.apply_query(session.query()) == []
    assert restored.query() == session.query()


def test_panel_style_url_values_are_accepted():
    # Panel's URL sync writes JSON-ish values ("10.0", "true") and re-reads some as Python types.
    session = SessionState()
    assert session.apply_query({"vox": 12, "img": "True", "wkb": False, "d": "9.5"}) == []
    assert session.device.oxide_voltage == 12.0
    assert session.device.image_force is True
    assert session.current.show_wkb is False


def test_malformed_url_values_are_reported_and_the_last_valid_state_kept():
    session = SessionState()
    errors = session.apply_query({"vox": "abc", "d": 9.0, "phi": 99, "img": "maybe", "age": "x", "zzz": 1})
    assert session.device.oxide_thickness_nm == 9.0  # the valid value is applied
    assert session.device.oxide_voltage == 10.0
    assert session.device.barrier_height_eV == 3.2
    assert session.device.image_force is False
    assert len(errors) == 5
    assert "between 1 and 15" in errors[0]
    assert "Unknown URL parameter 'zzz'" in errors[-1]


@pytest.mark.parametrize("value", [99, -1, float("nan"), float("inf"), "ten", None, True])
def test_out_of_range_or_malformed_typed_values_keep_the_last_valid(value):
    session = SessionState()
    session.device.oxide_voltage = 12.0
    message = try_set(session.device, "oxide_voltage", value)
    assert message.startswith("Oxide voltage V_ox (V):")
    assert message.endswith("kept 12.")
    assert session.device.oxide_voltage == 12.0


@pytest.mark.parametrize("preset", list(PRESETS))
def test_presets_apply_and_reset_restores_defaults(preset):
    session = SessionState()
    defaults = session.query()
    session.apply_preset(preset)
    for part, values in PRESETS[preset].items():
        for name, value in values.items():
            assert getattr(session.part(part), name) == value
    session.reset()
    session.view = defaults["view"]
    assert session.query() == defaults


def test_every_url_key_names_a_documented_bounded_parameter():
    session = SessionState()
    for part, name in URL_KEYS.values():
        p = session.part(part).param[name]
        assert p.doc
        assert p.label
        if hasattr(p, "bounds") and p.bounds is not None:
            assert None not in p.bounds
            assert "(" in p.label  # the unit (or "-") in the label


@pytest.mark.parametrize("preset", [None, *PRESETS])
def test_reset_and_presets_restart_a_learning_run_that_advanced(preset):
    # The learning parameters are at their defaults here, so only the explicit restart brings step 0.
    session = SessionState()
    session.learning.advance(50)
    if preset:
        session.apply_preset(preset)
    else:
        session.reset()
    assert session.learning.steps_done == 0
    assert session.learning.run.steps_done == 0
