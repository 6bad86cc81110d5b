// The live class on the page (dashboard/views/classroom.py ClassPanel), drawn from model.content for the
// page's role: a region named "Live class" for the presenter (laptop), the audience (projector) or a
// student (phone), or, in no class, a join form after a join was refused. Every action is a message to
// the server, which answers with new content or says why it refused (the status line). The elements of
// a role are made once and updated, so the focus stays put while the class moves.
// A student's browser keeps a random voter id in localStorage and numbers its votes; both go with each
// vote, nothing else.

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
const VOTER_KEY = "fndam-voter"
const SEQ_KEY = "fndam-voter-seq"
const VOTER_ID = /^[A-Za-z0-9_-]{16,64}$/

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  if (text) node.textContent = text
  return node
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(18))  // 144 bits, 24 characters
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
}

// The browser's voter id: created once and kept, so a reload or a second tab votes as the same browser.
// Where storage is blocked, an id for this page only.
function voterId() {
  try {
    let id = localStorage.getItem(VOTER_KEY)
    if (!id || !VOTER_ID.test(id)) {
      id = randomId()
      localStorage.setItem(VOTER_KEY, id)
    }
    return id
  } catch (error) {
    window.__fndamVoter = window.__fndamVoter || randomId()
    return window.__fndamVoter
  }
}

// Request numbers only grow, across reloads too: the time in ms, or one more than the last one sent.
function nextSeq() {
  let last = 0
  try { last = Number(localStorage.getItem(SEQ_KEY)) || 0 } catch (error) { last = window.__fndamSeq || 0 }
  const seq = Math.max(Date.now(), last + 1)
  try { localStorage.setItem(SEQ_KEY, String(seq)) } catch (error) { window.__fndamSeq = seq }
  return seq
}

// A button that cannot act now stays focusable (aria-disabled, not disabled): pressing it still asks
// the server, which says why nothing happens.
function button(text, action, send, extra = {}) {
  const node = element("button", {type: "button", class: `fndam-live-${action}`}, text)
  node.addEventListener("click", () => send({action, ...extra}))
  return node
}

function able(node, on) {
  node.setAttribute("aria-disabled", String(!on))
}

function choiceText(index, text) {
  return `${LETTERS[index]}. ${text}`
}

// The answers as a list of bars: each choice, its count and share (the text a screen reader reads),
// the right one marked when `correct` is given.
function drawBars(list, choices, counts, correct = null) {
  const total = counts.reduce((a, b) => a + b, 0)
  list.replaceChildren(...choices.map((text, i) => {
    const share = total ? Math.round(100 * counts[i] / total) : 0
    const item = element("li", {class: i === correct ? "fndam-live-right" : ""})
    const label = element("span", {class: "fndam-live-bar-label"}, choiceText(i, text))
    if (i === correct) label.append(element("strong", {}, " (right)"))
    const bar = element("span", {class: "fndam-live-bar", "aria-hidden": "true"})
    const fill = element("span", {class: "fndam-live-bar-fill"})
    fill.style.width = `${share}%`
    bar.append(fill)
    item.append(label, bar, element("span", {class: "fndam-live-bar-count"},
                                     `${counts[i]} (${share} %)`))
    return item
  }))
  return total
}

function answersWord(n) {
  return `${n} answer${n === 1 ? "" : "s"}`
}

const PHASE_TEXT = {
  open: "Voting is open.",
  closed: "Voting is closed.",
  revealed: "The answer is revealed.",
}

// The status line: a message said again is announced again (emptied first).
function statusLine() {
  const node = element("p", {class: "fndam-live-status", role: "status"})
  let said = null
  return {
    node,
    update(c) {
      if (c.said === said) return
      said = c.said
      node.textContent = ""
      if (c.message) setTimeout(() => { node.textContent = c.message }, 50)
    },
  }
}

function joinBlock(qrHost, big) {
  const block = element("div", {class: "fndam-live-join"})
  const words = element("div", {class: "fndam-live-join-words"})
  const code = element("p", {class: big ? "fndam-live-code fndam-live-code-big" : "fndam-live-code"})
  const link = element("p", {class: "fndam-live-link"})
  words.append(code, link)
  block.append(words, qrHost)
  let shown = null
  return {
    block,
    update(c) {
      if (c.links.join === shown) return
      shown = c.links.join
      code.replaceChildren("Join code ", element("strong", {}, c.code))
      const a = element("a", {href: c.links.join}, c.links.join)
      link.replaceChildren(big ? "Open " : "Join link: ", a)
    },
  }
}

// --- the presenter ------------------------------------------------------------------------------

function presenterView(section, send, qrHost) {
  const heading = element("h2", {class: "fndam-live-heading"})
  const join = joinBlock(qrHost, false)
  const links = element("details", {class: "fndam-live-links"})
  const audienceLink = element("a", {target: "_blank", rel: "noopener"})
  const presenterLink = element("a")
  links.append(element("summary", {}, "Links for the projector and for you"),
               element("p", {}, "For the projector (the question, the join code, the histogram once you " +
                                "show it):"),
               element("p", {class: "fndam-live-link"}),
               element("p", {}, "Your presenter link: it controls the class, keep it to yourself:"),
               element("p", {class: "fndam-live-link"}))
  links.children[2].append(audienceLink)
  links.children[4].append(presenterLink)
  const local = element("p", {class: "fndam-live-warning"},
    "This page was opened as localhost: phones in the room cannot reach that address. Open the app " +
    "with the server's name or address (as students would type it) and start the class there.")

  const title = element("h3", {class: "fndam-live-title", tabindex: "-1"})
  const back = button("Back", "back", send)
  const next = button("Next question", "next", send)
  const nav = element("div", {class: "fndam-live-nav"})
  nav.append(back, next)
  const prompt = element("p", {class: "fndam-live-prompt"})
  const bars = element("ol", {class: "fndam-live-bars", "aria-label": "Answers so far (only you see them)"})
  const summary = element("p", {class: "fndam-live-summary"})

  const openClose = element("button", {type: "button", class: "fndam-live-open-close"})
  openClose.addEventListener("click", () => send({action: openClose.dataset.action}))
  const showHide = element("button", {type: "button", class: "fndam-live-show-hide"})
  showHide.addEventListener("click", () => send({action: showHide.dataset.action}))
  const reveal = button("Reveal the answer", "reveal", send)
  const reset = button("Reset votes and ask again", "reset", send)
  const actions = element("div", {class: "fndam-live-actions"})
  actions.append(openClose, showHide, reveal, reset)

  const notes = element("details", {class: "fndam-live-notes"})
  notes.append(element("summary", {}, "Notes: the step, the right answer and why (not for the projector)"),
               element("div"))
  const status = statusLine()
  // Ending the class deletes it for everyone: the button asks for a second press within 5 s.
  const end = element("button", {type: "button", class: "fndam-live-end"}, "End the class")
  let armed = null
  end.addEventListener("click", () => {
    if (armed) {
      clearTimeout(armed)
      armed = null
      send({action: "end"})
      return
    }
    end.textContent = "Press again to end the class for everyone"
    armed = setTimeout(() => { armed = null; end.textContent = "End the class" }, 5000)
  })
  section.append(heading, join.block, links, local, title, nav, prompt, bars, summary, actions, notes,
                 status.node, end)

  let shownKey = null
  return (c) => {
    heading.textContent = `Live class ${c.code}: you present`
    join.update(c)
    for (const [a, href] of [[audienceLink, c.links.audience], [presenterLink, c.links.presenter]]) {
      a.href = href
      a.textContent = href
    }
    local.hidden = !c.local
    status.update(c)
    const q = c.question
    for (const node of [prompt, bars, summary, actions, notes]) node.hidden = !q
    if (!q) {
      title.textContent = "No question yet: Next opens the first."
      able(next, true)
      able(back, false)
      return
    }
    title.textContent = `Question ${c.number} of ${c.count}: ${q.title}`
    const moved = q.key !== shownKey
    shownKey = q.key
    able(back, c.number > 1)
    able(next, c.number < c.count)
    prompt.textContent = q.prompt
    const counts = c.counts || q.choices.map(() => 0)
    const total = drawBars(bars, q.choices, counts, c.result ? c.result.correct : null)
    summary.textContent = `${PHASE_TEXT[c.phase] || ""} ${answersWord(total)}. ` +
      (c.shown ? "The room sees the histogram." : "Only you see the answers.")
    const open = c.phase === "open"
    openClose.dataset.action = open ? "close" : "open"
    openClose.textContent = open ? "Close voting" : "Open voting"
    able(openClose, c.phase !== "revealed")
    showHide.dataset.action = c.shown ? "hide" : "show"
    showHide.textContent = c.shown ? "Hide the histogram" : "Show the histogram to the room"
    able(reveal, c.phase !== "revealed")
    if (moved) drawNotes(notes.lastChild, q, c.notes)
  }
}

// The presenter's notes: the step's text, the explanation, and why each answer is right or tempting.
function drawNotes(body, q, n) {
  const explanation = element("p")
  explanation.append(element("strong", {}, "Explanation: "), n.explanation)
  const why = element("ol", {class: "fndam-live-why"})
  why.append(...q.choices.map((text, i) => {
    const item = element("li", {class: i === n.correct ? "fndam-live-right" : ""})
    item.append(element("strong", {}, `${choiceText(i, text)}${i === n.correct ? " (right)" : ""}: `), n.why[i])
    return item
  }))
  body.replaceChildren(element("p", {}, n.text), explanation, why)
}

// --- the audience (projector) ---------------------------------------------------------------------

function audienceView(section, send, qrHost) {
  const join = joinBlock(qrHost, true)
  const title = element("h2", {class: "fndam-live-title"})
  const prompt = element("p", {class: "fndam-live-prompt"})
  const choices = element("ol", {class: "fndam-live-choices"})
  const bars = element("ol", {class: "fndam-live-bars", "aria-label": "The room's answers"})
  const phase = element("p", {class: "fndam-live-summary"})
  const result = element("div", {class: "fndam-live-result"})
  const status = statusLine()
  section.append(join.block, title, prompt, choices, bars, phase, result, status.node)
  return (c) => {
    join.update(c)
    status.update(c)
    const q = c.question
    for (const node of [prompt, choices, bars, phase, result]) node.hidden = !q
    if (!q) {
      title.textContent = `Live class ${c.code}: the first question is coming.`
      return
    }
    title.textContent = `Question ${c.number} of ${c.count}: ${q.title}`
    prompt.textContent = q.prompt
    const r = c.result
    const withBars = c.shown && c.counts
    choices.hidden = withBars
    bars.hidden = !withBars
    if (withBars) {
      const total = drawBars(bars, q.choices, c.counts, r ? r.correct : null)
      phase.textContent = `${PHASE_TEXT[c.phase]} ${answersWord(total)}.`
    } else {
      choices.replaceChildren(...q.choices.map((text, i) => {
        const item = element("li", {class: r && i === r.correct ? "fndam-live-right" : ""},
                             choiceText(i, text))
        if (r && i === r.correct) item.append(element("strong", {}, " (right)"))
        return item
      }))
      phase.textContent = c.phase === "open" ? "Voting is open: answer on your phone or laptop."
        : PHASE_TEXT[c.phase] || ""
    }
    drawResult(result, q, r)
  }
}

function drawResult(node, q, r, answer = null) {
  node.hidden = !r
  node.replaceChildren()
  if (!r) return
  node.append(element("h3", {}, `The answer: ${choiceText(r.correct, q.choices[r.correct])}`))
  if (answer !== null && answer !== undefined) {
    node.append(element("p", {class: "fndam-live-yours"}, answer === r.correct
      ? "Your answer was right."
      : `Your answer was ${LETTERS[answer]}: not this time.`))
  }
  node.append(element("p", {class: "fndam-live-explanation"}, r.explanation))
}

// --- a student (phone) ----------------------------------------------------------------------------

function studentView(section, send) {
  const heading = element("p", {class: "fndam-live-heading"})
  const title = element("h2", {class: "fndam-live-title", tabindex: "-1"})
  const fieldset = element("fieldset", {class: "fndam-live-answers"})
  const legend = element("legend")
  const choices = element("div", {class: "fndam-live-choices"})
  fieldset.append(legend, choices)
  const sendButton = element("button", {type: "button", class: "fndam-live-send"}, "Send my answer")
  const ack = element("p", {class: "fndam-live-ack"})
  const bars = element("ol", {class: "fndam-live-bars", "aria-label": "The room's answers"})
  const result = element("div", {class: "fndam-live-result", tabindex: "-1"})
  const status = statusLine()
  const leave = button("Leave the class", "leave", send)
  section.append(heading, title, fieldset, sendButton, ack, bars, result, status.node, leave)

  let radios = [], shownKey = null, current = null
  sendButton.addEventListener("click", () => {
    const chosen = radios.findIndex((radio) => radio.checked)
    if (chosen < 0) {
      status.node.textContent = "Choose an answer first."
      return
    }
    send({action: "vote", question: current.question.key, answer: chosen, voter: voterId(), seq: nextSeq()})
  })

  return (c) => {
    current = c
    heading.textContent = `Live class ${c.code}`
    status.update(c)
    const q = c.question
    for (const node of [fieldset, sendButton, ack, bars, result]) node.hidden = !q
    if (!q) {
      title.textContent = "The first question is coming: it will appear here."
      return
    }
    title.textContent = `Question ${c.number} of ${c.count}: ${q.title}`
    if (q.key !== shownKey) {
      // A new question is read from its heading, if the student was in the region (not exploring).
      if (shownKey !== null && section.contains(section.getRootNode().activeElement)) title.focus()
      shownKey = q.key
      legend.textContent = q.prompt
      choices.replaceChildren()
      radios = q.choices.map((text, i) => {
        const radio = element("input", {type: "radio", name: "fndam-live-answer", value: String(i)})
        const row = element("label", {class: "fndam-live-choice"})
        row.append(radio, element("span", {}, choiceText(i, text)))
        choices.append(row)
        return radio
      })
    }
    const open = c.phase === "open"
    const answer = c.answer
    if (answer !== null && answer !== undefined && !radios.some((radio) => radio.checked)) {
      radios[answer].checked = true
    }
    radios.forEach((radio) => { radio.disabled = !open })
    able(sendButton, open)
    const counted = answer !== null && answer !== undefined
    ack.textContent = !counted ? (open ? "" : PHASE_TEXT[c.phase] || "")
      : open ? `Your answer ${LETTERS[answer]} is counted; you can change it until the question closes.`
      : `Your answer ${LETTERS[answer]} was counted.`
    bars.hidden = !(c.shown && c.counts)
    if (c.shown && c.counts) drawBars(bars, q.choices, c.counts, c.result ? c.result.correct : null)
    const wasShown = !result.hidden, inside = section.contains(section.getRootNode().activeElement)
    drawResult(result, q, c.result, answer)
    if (c.result && !wasShown && inside) result.focus()
  }
}

// --- in no class: the join form after a refused join ---------------------------------------------

function joinForm(section, send) {
  const heading = element("h2", {class: "fndam-live-heading"}, "Join a live class")
  const status = statusLine()
  const form = element("form", {class: "fndam-live-join-form"})
  const label = element("label", {for: "fndam-live-code-input"}, "Join code")
  const input = element("input", {id: "fndam-live-code-input", type: "text", autocomplete: "off",
                                  autocapitalize: "characters", spellcheck: "false", maxlength: "12",
                                  size: "8"})
  form.append(label, input, element("button", {type: "submit"}, "Join"))
  form.addEventListener("submit", (event) => {
    event.preventDefault()
    send({action: "join", code: input.value})
  })
  const dismiss = button("Close", "dismiss", send)
  section.append(heading, status.node, form, dismiss)
  return (c) => {
    status.update(c)
    section.hidden = !c.message
  }
}

const VIEWS = {presenter: presenterView, audience: audienceView, student: studentView, "": joinForm}

export function render({ model, el }) {
  const send = (message) => model.send_msg(message)
  const qrHost = element("div", {class: "fndam-live-qr", role: "img", "aria-label": "QR code of the join link"})
  let role = null, section = null, update = null

  function draw() {
    const c = model.content
    if (c.role !== role) {
      role = c.role
      section = element("section", {class: `fndam-live fndam-live-${role || "none"}`,
                                     "aria-label": "Live class"})
      update = VIEWS[role](section, send, qrHost)
      el.replaceChildren(section)
    }
    section.hidden = false
    update(c)
  }
  function drawQr() {
    qrHost.innerHTML = model.qr  // SVG made by the server (segno) from the join link
    qrHost.hidden = !model.qr
  }
  draw()
  drawQr()
  model.on("content", draw)
  model.on("qr", drawQr)
}
