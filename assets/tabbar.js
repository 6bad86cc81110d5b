// The view tabs as an ARIA tablist (WAI-ARIA Authoring Practices, "Tabs with automatic activation"):
// buttons with role "tab" and aria-selected, one of them in the Tab order (roving tabindex); Left and
// Right arrows move and select, Home and End go to the first and last. Bokeh's own tabs carry no role
// and listen to clicks only (a WCAG 2.1.1 failure), hence this component.
export function render({ model, el }) {
  const list = document.createElement("div")
  list.setAttribute("role", "tablist")
  list.setAttribute("aria-label", model.label)
  list.className = "fndam-tablist"
  const tabs = model.titles.map((title, i) => {
    const tab = document.createElement("button")
    tab.type = "button"
    tab.className = "fndam-tab"
    tab.setAttribute("role", "tab")
    tab.dataset.key = model.keys[i]
    tab.textContent = title
    tab.addEventListener("click", () => { model.active = i })
    tab.addEventListener("keydown", (event) => {
      const last = tabs.length - 1
      const next = {ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1,
                    Home: 0, End: last}[event.key]
      if (next === undefined) return
      event.preventDefault()
      model.active = next
      tabs[next].focus()
    })
    list.append(tab)
    return tab
  })
  const show = () => tabs.forEach((tab, i) => {
    const selected = i === model.active
    tab.setAttribute("aria-selected", String(selected))
    tab.tabIndex = selected ? 0 : -1
  })
  show()
  model.on("active", show)
  el.append(list)
}
