"""The exercises tab: one exercise at a time (dashboard/state/exercises.py), its question, its worked
answer shown on demand, and a button that sets the app up to explore it.

Kept light, as it is a tab of every page: one menu, two text panes and two buttons serve every
exercise; the controls of an exercise's editable values are built the first time it is chosen.
"""

import panel as pn

from dashboard.state.exercises import EXERCISES
from dashboard.state.presets import apply_settings
from dashboard.views.controls import controls
from dashboard.views.plotting import batched

MARKDOWN = {"sizing_mode": "stretch_width", "disable_math": True}  # no $...$ in the texts: no MathJax


class ExercisesView(pn.viewable.Viewer):
    """Pick an exercise, predict, reveal the worked answer, then try it in the app."""

    def __init__(self, session, notice, **params):
        super().__init__(**params)
        self.session, self.notice = session, notice
        # One object of editable values per exercise that has them, kept for the session.
        self._inputs = {key: ex.inputs() for key, ex in EXERCISES.items() if ex.inputs}
        self._editors = {}
        titles = {f"{i}. {ex.title}": key for i, (key, ex) in enumerate(EXERCISES.items(), 1)}
        self._menu = pn.widgets.Select(
            label="Exercise", options=titles,
            description="Each exercise states its values; predict the answer before you reveal it.",
            sizing_mode="stretch_width")
        self._question = pn.pane.Markdown(css_classes=["fndam-exercise-question"], **MARKDOWN)
        self._editing = pn.Column(sizing_mode="stretch_width")
        self._reveal = pn.widgets.Toggle(label="Show the worked answer", color="primary", variant="outline")
        self._try = pn.widgets.Button(label="Try it in the app", color="primary",
                                      description="Set every control as the exercise states (the others "
                                                  "to their defaults) and open the view to look at.")
        self._answer = pn.pane.Markdown(css_classes=["fndam-exercise-answer"], visible=False, **MARKDOWN)
        self._menu.param.watch(self._on_choice, "value")
        self._reveal.param.watch(self._show, "value")
        self._try.on_click(self._try_it)
        for values in self._inputs.values():
            values.param.watch(self._show, [n for n in values.param if n != "name"])
        self._layout = pn.Column(self._menu, self._question, self._editing, pn.Row(self._reveal, self._try),
                                 self._answer, max_width=900, css_classes=["fndam-exercises"])
        self._on_choice()

    @property
    def exercise(self):
        """The chosen :class:`dashboard.state.exercises.Exercise`."""
        return EXERCISES[self._menu.value]

    def changes(self):
        """The values the student edited for the chosen exercise (name -> value; none for most)."""
        values = self._inputs.get(self._menu.value)
        return {name: getattr(values, name) for name in self.exercise.given} if values else {}

    def _on_choice(self, *_):
        key = self._menu.value
        if key in self._inputs and key not in self._editors:
            self._editors[key] = controls(self._inputs[key], self.notice)
        self._editing.objects = [self._editors[key]] if key in self._editors else []
        if self._reveal.value:
            self._reveal.value = False  # a new exercise starts unanswered: predict first (calls _show)
        else:
            self._show()

    def _show(self, *_):
        """Fill the question and, once revealed, the worked answer."""
        exercise = self.exercise
        worked = exercise.work(**self.changes())
        self._question.object = f"{worked.question}\n\n**In the app.** {exercise.hint_text()}"
        revealed = self._reveal.value
        self._answer.param.update(object=worked.answer.markdown if revealed else "", visible=revealed)

    def _try_it(self, _):
        """Apply the exercise's settings, as a preset is applied, and open its view."""
        with batched():
            apply_settings(self.session, self.exercise.settings_for(**self.changes()))
        self.notice.clear()

    def __panel__(self):
        return self._layout
