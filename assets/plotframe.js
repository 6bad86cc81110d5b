// The accessible frame around one plot (dashboard/views/plotframe.py PlotFrame): the Bokeh figure, a
// sentence of what it shows now in a polite live region (read out when it changes, without taking the
// focus), and a button that asks the server for the plot's data as tables (built only when asked).
// Bokeh 3.9 draws a plot on canvases with no role or name; the focusable layer over them (the one that
// takes Bokeh's keyboard events) is named here as an image with the plot's title, and described by the
// live sentence.

// Least time between two sentences [ms]: a plot in motion (the discharge played at 10 frames a second,
// a training run streamed) would otherwise queue a sentence per frame for a screen reader. The first
// change shows at once, the last one always shows.
const QUIET_MS = 1500

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  if (text) node.textContent = text
  return node
}

function table(spec) {
  // Column headers, and each row's first cell as its row header: a screen reader names both.
  const node = element("table", {class: "fndam-data-table"})
  node.append(element("caption", {}, spec.caption))
  const head = element("tr")
  for (const name of spec.columns) head.append(element("th", {scope: "col"}, name))
  const thead = element("thead")
  thead.append(head)
  node.append(thead)
  const body = element("tbody")
  for (const row of spec.rows) {
    const tr = element("tr")
    row.forEach((cell, i) => tr.append(element(i === 0 ? "th" : "td", i === 0 ? {scope: "row"} : {}, cell)))
    body.append(tr)
  }
  node.append(body)
  return node
}

export function render({ model, el, view }) {
  const text = element("p", {class: "fndam-plot-text", "aria-live": "polite"})
  const toggle = element("button", {type: "button", class: "fndam-table-toggle", "aria-expanded": "false",
                                    "aria-controls": "fndam-tables"})
  const holder = element("div", {id: "fndam-tables", class: "fndam-tables", hidden: ""})
  el.append(model.get_child("plot"), text, toggle, holder)

  const nameCanvas = () => {
    const canvas = view.get_child_view(view.model.data.plot)?.canvas_view?.events_el
    if (!canvas) return
    canvas.setAttribute("role", "img")
    canvas.setAttribute("aria-label", model.label)
    canvas.setAttribute("aria-description", model.text)
  }
  let shown = 0, timer = null
  const showText = () => {
    clearTimeout(timer)
    const wait = shown + QUIET_MS - Date.now()
    if (wait > 0) { timer = setTimeout(showText, wait); return }
    shown = Date.now()
    text.textContent = model.text
    nameCanvas()
  }
  const showTables = () => {
    const open = model.table_open
    toggle.textContent = open ? "Hide the data table" : "Show data as a table"
    toggle.setAttribute("aria-expanded", String(open))
    holder.hidden = !open
    const tables = model.tables.map(table)
    if (open && !tables.length) tables.push(element("p", {}, "No data drawn yet."))
    holder.replaceChildren(...(open ? tables : []))
  }
  toggle.addEventListener("click", () => { model.table_open = !model.table_open })
  showText()
  showTables()
  model.on("text", showText)
  model.on(["label", "after_render"], nameCanvas)
  model.on(["table_open", "tables"], showTables)
}
