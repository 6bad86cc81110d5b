// The open step of the guided tour (dashboard/views/tour.py TourPanel), drawn from model.content: a
// region named "Guided tour" with the step's heading, text and equation (a child pane), the question
// as native radio buttons in a fieldset whose legend is the prompt, Commit and Reveal, then the result
// in their place, a status line and Back / Next / Exit. Every action is a message to the server, which answers with new
// content (or says why it refused). The elements are made once and updated, so the focus stays put;
// it moves only where the step changes (to the heading, read first) or the answer is revealed (to the
// result), and goes back to the header's start button when the tour closes.
// Keys while the focus is in the region: Right / Left = next / back (not in a radio group or a text
// box, where arrows have their own meaning), Escape = exit.

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  if (text) node.textContent = text
  return node
}

const ARROWS = {ArrowRight: "next", ArrowLeft: "back"}
// Where arrow keys already mean something: moving in a radio group, a caret in a box, a menu.
const OWN_ARROWS = "input, select, textarea, [contenteditable]"

function button(text, send, action) {
  const node = element("button", {type: "button", class: `fndam-tour-${action}`}, text)
  node.addEventListener("click", () => send({action}))
  return node
}

// A button that cannot act now stays focusable (aria-disabled, not disabled): the focus is not lost
// when a step ends, and pressing it says why nothing happens.
function able(node, on) {
  node.setAttribute("aria-disabled", String(!on))
}

export function render({ model, el }) {
  const send = (message) => model.send_msg(message)
  const section = element("section", {class: "fndam-tour", "aria-label": "Guided tour", hidden: ""})
  const title = element("h2", {class: "fndam-tour-title", tabindex: "-1"})
  const text = element("p", {class: "fndam-tour-text"})
  const equation = element("div", {class: "fndam-tour-equation"})
  equation.append(model.get_child("equation"))

  const question = element("div", {class: "fndam-tour-question"})
  const fieldset = element("fieldset")
  const legend = element("legend")
  const choices = element("div", {class: "fndam-tour-choices"})
  fieldset.append(legend, choices)
  const commit = button("Commit my answer", send, "commit")
  const reveal = button("Reveal", send, "reveal")
  const answerActions = element("div", {class: "fndam-tour-actions"})
  answerActions.append(commit, reveal)
  const result = element("div", {class: "fndam-tour-result", tabindex: "-1"})
  question.append(fieldset, answerActions, result)

  const status = element("p", {class: "fndam-tour-status", role: "status"})
  const nav = element("div", {class: "fndam-tour-nav"})
  const back = button("Back", send, "back")
  const next = button("Next", send, "next")
  const exit = button("Exit the tour", send, "exit")
  nav.append(back, next, exit)
  section.append(title, text, equation, question, status, nav)

  section.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
    const target = event.composedPath()[0]
    if (event.key === "Escape") send({action: "exit"})
    else if (event.key in ARROWS && !target.matches(OWN_ARROWS)) send({action: ARROWS[event.key]})
    else return
    event.preventDefault()
  })

  let radios = [], shown = {open: false, said: model.content.said}
  const focusInside = () => section.contains(el.getRootNode().activeElement)

  function drawChoices(q) {
    choices.replaceChildren()
    radios = q.choices.map((label, index) => {
      const radio = element("input", {type: "radio", name: "fndam-tour-answer", value: String(index)})
      radio.addEventListener("change", () => { if (radio.checked) send({action: "choose", index}) })
      const row = element("label", {class: "fndam-tour-choice"})
      row.append(radio, element("span", {}, label))
      choices.append(row)
      return radio
    })
  }

  // After the reveal the result takes the question's place (every choice is in it, marked), so the
  // plots that moved stay near the top of a projected page.
  function drawResult(q) {
    const r = q.result
    result.replaceChildren()
    result.hidden = !r
    fieldset.hidden = answerActions.hidden = !!r
    if (!r) return
    result.append(element("h3", {}, r.right ? "Your answer is right." : "Not quite: here is what happened."),
                  element("p", {class: "fndam-tour-asked"}, q.prompt),
                  element("p", {class: "fndam-tour-explanation"}, r.explanation))
    const list = element("ul", {class: "fndam-tour-reasons"})
    for (const reason of r.reasons) {
      const verdict = reason.chosen ? (reason.correct ? "Your answer, right" : "Your answer, wrong")
        : (reason.correct ? "The right answer" : "Another answer")
      const item = element("li", {class: reason.correct ? "fndam-right" : "fndam-wrong"})
      item.append(element("strong", {}, `${verdict}: ${reason.text}. `), reason.why)
      list.append(item)
    }
    result.append(list)
  }

  function update(first = false) {
    const c = model.content
    const wasInside = focusInside()
    const moved = c.open && (!shown.open || c.key !== shown.key)
    section.hidden = !c.open
    if (c.said !== shown.said) {
      // Emptied first, so a message said again (Next on the last step, twice) is announced again.
      status.textContent = ""
      if (c.message) setTimeout(() => { status.textContent = c.message }, 50)
    }
    if (c.open) {
      title.textContent = `Step ${c.number} of ${c.count}: ${c.title}`
      text.textContent = c.text
      able(back, c.number > 1)
      able(next, c.number < c.count)
      const q = c.question
      question.hidden = !q
      if (q) {
        if (moved) drawChoices(q)
        legend.textContent = q.prompt
        fieldset.dataset.answer = q.answer ?? ""  // the answer the server holds (tests wait for it)
        radios.forEach((radio, i) => { radio.checked = i === q.answer; radio.disabled = q.committed })
        able(commit, q.answer !== null && !q.committed)
        able(reveal, q.committed && !q.revealed)
        drawResult(q)
        if (q.revealed && !shown.revealed && !moved) result.focus()
      }
      // A new step is read from its heading: after Next, after the start button, not on page load.
      if (moved && !first && (wasInside || !shown.open)) title.focus()
    } else if (shown.open && !first) {
      document.dispatchEvent(new CustomEvent("fndam-tour-closed"))
    }
    shown = {open: c.open, key: c.key, said: c.said, revealed: !!(c.question && c.question.revealed)}
  }
  update(true)
  model.on("content", () => update())
  el.append(section)
}
