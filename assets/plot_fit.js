// The body of a Bokeh CustomJS (dashboard/views/plotting.py fit_to_width) that keeps a plot's title and
// legend within the width of its data area, which only the browser knows. Bokeh never wraps text but
// draws "\n" as a line break (a legend label's white-space is "pre"), so the title, and a legend label
// wider than the frame on its own, are broken at spaces into lines that fit; the legend gets as many
// columns, up to `columns`, as fit across the frame (a legend wider than its plot would widen the page
// on a phone). Names from args: plot_id, legend, columns, gap (px between legend columns, set in the
// legend's stylesheet). Runs again when the plot's width, the title, the type size or a legend entry
// changes; a text that already fits is left as it is, so it settles at once.
// The plot is found by its id: BokehJS rebuilds a legend whenever any model its entries refer to
// changes, and this callback is one of them; a reference to the plot here would tie the legend to
// every range and data source of the plot, and rebuild it on every redraw.
const plot = legend.document.get_model_by_id(plot_id);
const width = plot?.inner_width;  // the frame: the title and the legend are aligned to it
if (!(width > 0)) {
  return;  // not laid out yet
}
const context = (window.__fndamMeasure ??= document.createElement("canvas").getContext("2d"));
const measure = (font, text) => {
  context.font = font;
  return Math.max(...text.split("\n").map((line) => context.measureText(line).width));
};
const font_of = (style, size, face) => `${style} ${size} ${face}`;

// `text` broken at spaces into lines at most `room` px wide in `font`; a number stays on the line of the
// word after it, its unit ("100 fF", "1 V"). Line breaks already in `text` are ours: they are redone.
const wrap = (text, font, room) => {
  const words = [];
  for (const word of text.replace(/\n/g, " ").split(" ")) {
    const last = words.length - 1;
    if (last >= 0 && /(^| )[([]?[-+]?[0-9][0-9.,]*$/.test(words[last])) {
      words[last] += ` ${word}`;
    } else {
      words.push(word);
    }
  }
  const lines = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last >= 0 && measure(font, `${lines[last]} ${word}`) <= room) {
      lines[last] += ` ${word}`;
    } else {
      lines.push(word);
    }
  }
  return lines.join("\n");
};

const title = plot.title;
const title_text = wrap(title.text, font_of(title.text_font_style, title.text_font_size, title.text_font), width);
if (title_text !== title.text) {
  title.text = title_text;
}

// Entries fill the grid row by row; hidden entries take no cell.
const label_font = font_of(legend.label_text_font_style, legend.label_text_font_size, legend.label_text_font);
const room = width - 2 * (legend.margin + legend.padding + legend.border_line_width);
const beside = legend.glyph_width + legend.label_standoff;  // before the label's text
const entries = [];
for (const item of legend.items.filter((item) => item.visible)) {
  const label = item.label?.value ?? "";
  const fitted = measure(label_font, label.replace(/\n/g, " ")) <= room - beside ? label.replace(/\n/g, " ")
    : wrap(label, label_font, room - beside);
  if (fitted !== label) {
    item.label = {value: fitted};
  }
  entries.push(beside + Math.max(legend.label_width, measure(label_font, fitted)));
}
const width_in = (n) => {
  let total = (n - 1) * gap;
  for (let column = 0; column < n; column++) {
    total += Math.max(0, ...entries.filter((_, i) => i % n === column));
  }
  return total;
};
let fitting = columns;
while (fitting > 1 && width_in(fitting) > room) {
  fitting -= 1;
}
if (legend.ncols !== fitting) {
  legend.ncols = fitting;
}
