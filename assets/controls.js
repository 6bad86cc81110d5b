// Every control of one state object (dashboard/views/controls.py ControlPanel) as plain, labelled
// HTML form controls: a number box with its range slider below, a checkbox, or a menu. One Bokeh
// model for them all (a Panel widget per control made a new page ~5 ms dearer each), and native
// elements: each has an accessible name, works by keyboard and shows the focus.
// A box applies on Enter or when it loses focus; a slider updates its box while it moves and applies
// on release. The server answers with the values it kept (a rejected value returns to the last valid).

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  if (text) node.textContent = text
  return node
}

function describe(spec, row, target) {
  // The definition, shown on demand and read with the control (aria-describedby).
  const id = `d-${spec.name}`
  const button = element("button", {type: "button", class: "fndam-info", "aria-expanded": "false",
                                    "aria-controls": id, "aria-label": `What is ${spec.label}?`}, "?")
  const text = element("p", {id, class: "fndam-desc", hidden: ""}, spec.doc)
  button.addEventListener("click", () => {
    const open = text.hidden
    text.hidden = !open
    button.setAttribute("aria-expanded", String(open))
  })
  target.setAttribute("aria-describedby", id)
  return [button, text]
}

function numberControl(spec, send) {
  const row = element("div", {class: `fndam-control box-${spec.name}`})
  const id = `c-${spec.name}`
  const label = element("label", {for: id}, `${spec.label} [${spec.range}]`)
  const box = element("input", {id, type: "number", min: spec.min, max: spec.max, step: spec.step,
                                 inputmode: "decimal"})
  const slider = element("input", {type: "range", min: spec.min, max: spec.max, step: spec.step,
                                    "aria-label": `${spec.label}, slider`})
  const [info, text] = describe(spec, row, box)
  const head = element("div", {class: "fndam-control-head"})
  head.append(label, info)
  row.append(head, text, box, slider)
  // A box that does not hold a number reads as "" (sent as such: the server says what it needs).
  const typed = () => box.value === "" ? "" : Number(box.value)
  box.addEventListener("change", () => send(spec.name, typed()))
  box.addEventListener("keydown", (event) => { if (event.key === "Enter") send(spec.name, typed()) })
  slider.addEventListener("input", () => { box.value = slider.value })
  slider.addEventListener("change", () => send(spec.name, Number(slider.value)))
  return [row, (value) => { box.value = value; slider.value = value }]
}

function checkControl(spec, send) {
  const row = element("div", {class: `fndam-control fndam-check check-${spec.name}`})
  const id = `c-${spec.name}`
  const box = element("input", {id, type: "checkbox"})
  const label = element("label", {for: id}, spec.label)
  const [info, text] = describe(spec, row, box)
  row.append(box, label, info, text)
  box.addEventListener("change", () => send(spec.name, box.checked))
  return [row, (value) => { box.checked = value }]
}

function selectControl(spec, send) {
  const row = element("div", {class: `fndam-control select-${spec.name}`})
  const id = `c-${spec.name}`
  const label = element("label", {for: id}, spec.label)
  const menu = element("select", {id})
  for (const option of spec.options) menu.append(element("option", {value: option}, option))
  const [info, text] = describe(spec, row, menu)
  const head = element("div", {class: "fndam-control-head"})
  head.append(label, info)
  row.append(head, text, menu)
  menu.addEventListener("change", () => send(spec.name, menu.value))
  return [row, (value) => { menu.value = value }]
}

const KINDS = {number: numberControl, boolean: checkControl, select: selectControl}

export function render({ model, el }) {
  const form = element("div", {class: "fndam-controls"})
  const show = {}
  const send = (name, value) => {
    if (model.values[name] !== value) model.values = {...model.values, [name]: value}
  }
  const rows = {}, marks = {}
  for (const spec of model.specs) {
    const [row, set] = KINDS[spec.kind](spec, send)
    form.append(row)
    show[spec.name] = set
    rows[spec.name] = row
    // Read with the label while the guided tour highlights the control (the outline is not heard).
    marks[spec.name] = element("span", {class: "fndam-sr", hidden: ""}, " (highlighted by the tour)")
    row.querySelector("label").append(marks[spec.name])
  }
  const update = () => { for (const [name, value] of Object.entries(model.values)) show[name](value) }
  update()
  model.on("values", update)
  const highlight = () => {
    for (const [name, row] of Object.entries(rows)) {
      const on = model.highlight.includes(name)
      row.classList.toggle("fndam-highlight", on)
      marks[name].hidden = !on
    }
  }
  highlight()
  model.on("highlight", highlight)
  el.append(form)
}
