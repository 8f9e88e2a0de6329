"""Charts as SVG text, drawn from the engine's numbers.

The same functions draw at build time (the model pages' price history) and in the browser's worker
(the calculator's pictures), so a picture is computed by the code that computes its table and
cannot disagree with it. Pure Python, stdlib only; no JavaScript draws anything.

Two primitives, each returning one `<svg>` element as a string:

    bars(labels, series, value_text, chart_id=..., title=..., desc=...)
        Horizontal grouped bars: one group per label, one bar per series, each bar's value
        written at its end. `series` is [(name, values)], one value per label: a Decimal
        (negative values extend left of the zero line) or None (no bar; `missing` is written).
        `value_text` is the display function for a value, e.g. calculator.display.usd.
    plot([Series(...)], x_ticks, y_ticks, chart_id=..., title=..., desc=..., marks=..., bands=...)
        Lines and steps over numeric axes (token counts, day numbers), with marks (a vertical
        line and its text above the plot: a tier cliff, a context-window wall, a date) and
        bands (a shaded x range: prompts refused, prices announced).

The rules every chart keeps:
- Every text a person reads comes in as a string (or a display function) from
  calculator/display.py; this module writes no amount, count or date of its own.
- Geometry is exact Decimal arithmetic in viewBox units, written with at most two decimals.
- Styling is by class only (docs/assets/calculator/calculator.css, `.pb-chart`): series colors
  `.pb-s0` (the gateway), `.pb-s1` (official) and on, text in currentColor, so dark mode and the
  page's Content-Security-Policy need nothing inline. The SVG has a viewBox and no size: CSS
  makes it 100% wide (to a maximum), so it scales down to a phone.
- Each chart is role="img" labelled by its <title> and described by its <desc>; each bar and each
  point carries data-value (the exact decimal) and a <title> (a tooltip with the value's text),
  so tests and people can read a picture's numbers back.
"""
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Context, Decimal

from .money import plain

WIDTH = 360          # viewBox width; CSS scales it (calculator.css .pb-chart: 100%, at most 22rem)
FONT = 13            # text size in viewBox units (calculator.css sets the same)
CHAR = Decimal("7")  # the width of an average character at FONT, for room beside texts
LINE = 18            # one line of text
BAR = 12             # one bar's thickness
BAR_GAP = 3
GROUP_GAP = 8
PLOT_HEIGHT = 190
GEOMETRY = Context(prec=28)
_Q = Decimal("0.01")
_ZERO = Decimal(0)


def _esc(text):
    """Text for SVG content and attribute values (no `html` import: it would ship in Pyodide)."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _n(value):
    """A coordinate: at most two decimals, no trailing zeros ("12.5", "40")."""
    text = str(Decimal(value).quantize(_Q, rounding=ROUND_HALF_UP, context=GEOMETRY))
    return text.rstrip("0").rstrip(".") if "." in text else text


def _plain(value):
    """The exact value for data-value: a plain decimal string ("0.0105", "200000")."""
    return plain(Decimal(value))


def _room(texts):
    """The width a column of these texts needs."""
    return CHAR * max((len(t) for t in texts), default=0) + 6


def _wrap(text, width=WIDTH):
    """Lines of at most `width` units of text at FONT, broken at spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and CHAR * (len(line) + 1 + len(word)) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


def _svg(chart_id, kind, height, title, desc, body):
    """The <svg>: its title (also shown, wrapped, above the picture) and desc label it for
    assistive technology; `body` is drawn below the shown title."""
    cid = _esc(chart_id)
    lines = _wrap(title)
    shown = "".join(f'<text class="pb-chart-title" x="0" y="{LINE * i + 14}">{_esc(line)}</text>'
                    for i, line in enumerate(lines))
    top = LINE * len(lines) + 8
    return (f'<svg class="pb-chart pb-chart--{kind}" id="{cid}" viewBox="0 0 {WIDTH} {_n(height + top)}" '
            f'role="img" aria-labelledby="{cid}-title {cid}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{cid}-title">{_esc(title)}</title><desc id="{cid}-desc">{_esc(desc)}</desc>'
            f'<g aria-hidden="true">{shown}</g><g aria-hidden="true" transform="translate(0 {top})">'
            + "".join(body) + "</g></svg>")


def _legend(entries, y):
    """[(name, style, dashed)] as swatches and names, wrapped to rows; (svg parts, height)."""
    parts, x, row = [], Decimal(0), 0
    for name, style, dashed in entries:
        width = 22 + CHAR * len(name) + 14
        if x and x + width > WIDTH:
            x, row = Decimal(0), row + 1
        top = y + row * LINE
        mid = top + 7
        if dashed is None:   # a bar series: a filled square
            parts.append(f'<rect class="pb-swatch pb-s{style}" x="{_n(x)}" y="{_n(top + 1)}" width="12" height="12"/>')
        else:
            dash = " pb-dashed" if dashed else ""
            parts.append(f'<path class="pb-line pb-s{style}{dash}" d="M{_n(x)} {_n(mid)}h18"/>')
        parts.append(f'<text class="pb-legend" x="{_n(x + 22)}" y="{_n(top + 11)}">{_esc(name)}</text>')
        x += width
    return parts, (row + 1) * LINE + 4


def bars(labels, series, value_text, *, chart_id, title, desc, missing="not offered", highlight=()):
    """Horizontal grouped bars (see the module's docstring). `labels`: the group names as shown;
    `series`: [(name, values)], values one per label (Decimal or None); `value_text`: the display
    function written at each bar's end; `missing`: the text for a None value; `highlight`: label
    indexes drawn emphasized (class pb-current). `chart_id` must be unique in the page.

    Each bar is <rect class="pb-bar pb-sN" data-series="N" data-label="..." data-value="exact">:
    its length is value x (the same factor for every bar), from the zero line."""
    series = [(name, [None if v is None else Decimal(v) for v in values]) for name, values in series]
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels")
    values = [v for _, vs in series for v in vs if v is not None]
    texts = [[missing if v is None else value_text(v) for v in vs] for _, vs in series]
    room = _room([t for ts, (_, vs) in zip(texts, series) for t, v in zip(ts, vs) if v is not None])
    low, high = min(values + [_ZERO]), max(values + [_ZERO])
    if low < 0:   # room for a value's text on both sides
        span = WIDTH - 2 * room
        zero = room + GEOMETRY.divide(span * -low, high - low)
        scale = GEOMETRY.divide(span, high - low)
    else:
        span = WIDTH - room
        zero = Decimal(0)
        scale = GEOMETRY.divide(span, high) if high else _ZERO
    parts, y = _legend([(name, i, None) for i, (name, _) in enumerate(series)], Decimal(0))
    y = Decimal(y)
    top = y
    for li, label in enumerate(labels):
        current = " pb-current" if li in highlight else ""
        parts.append(f'<g class="pb-group{current}">')
        parts.append(f'<text class="pb-label" x="0" y="{_n(y + 13)}">{_esc(label)}</text>')
        y += LINE
        for si, (name, vs) in enumerate(series):
            v, text = vs[li], texts[si][li]
            mid = y + BAR // 2 + 4
            if v is None:
                parts.append(f'<text class="pb-value pb-missing" x="{_n(zero + 4)}" y="{_n(mid)}">{_esc(text)}</text>')
            else:
                length = abs(v) * scale
                x = zero if v >= 0 else zero - length
                tip = f"{label}, {name}: {text}"
                parts.append(f'<rect class="pb-bar pb-s{si}" data-series="{si}" data-label="{_esc(label)}" '
                             f'data-value="{_plain(v)}" x="{_n(x)}" y="{_n(y)}" width="{_n(length)}" '
                             f'height="{BAR}"><title>{_esc(tip)}</title></rect>')
                if v >= 0:
                    parts.append(f'<text class="pb-value" x="{_n(zero + length + 4)}" y="{_n(mid)}">{_esc(text)}</text>')
                else:
                    parts.append(f'<text class="pb-value" x="{_n(x - 4)}" y="{_n(mid)}" text-anchor="end">'
                                 f'{_esc(text)}</text>')
            y += BAR + BAR_GAP
        parts.append("</g>")
        y += GROUP_GAP
    parts.append(f'<path class="pb-axis" d="M{_n(zero)} {_n(top + LINE)}V{_n(y - GROUP_GAP)}"/>')
    return _svg(chart_id, "bars", y, title, desc, parts)


@dataclass(frozen=True)
class Series:
    """One line of a plot. points: [(x, y)] ascending in x, numbers (int or Decimal). step: each y
    holds from its x to the next point's (the last one to `end`); otherwise straight lines join
    the points. style: the color class pb-s<style>; dashed: drawn dashed. tips: a tooltip text per
    point; keys: per point, what its data-key attribute says (e.g. the ISO date of a step)."""
    name: str
    points: tuple
    style: int = 0
    step: bool = False
    end: object = None
    dashed: bool = False
    tips: tuple = ()
    keys: tuple = ()


@dataclass(frozen=True)
class Mark:
    """A vertical line at x with its text above the plot; kind: its class (pb-mark--<kind>)."""
    x: object
    text: str
    kind: str = "mark"


def nice_ticks(top, count=4):
    """The values of an axis from 0: equal steps of 1, 2, 2.5 or 5 x 10^k, the fewest that reach
    `top` in about `count` steps (the last one >= top)."""
    top = Decimal(top)
    if top <= 0:
        return [_ZERO, Decimal(1)]
    raw = GEOMETRY.divide(top, count)
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(magnitude * m for m in (1, 2, Decimal("2.5"), 5, 10) if magnitude * m >= raw)
    steps = int(GEOMETRY.divide(top, step).to_integral_value(rounding=ROUND_CEILING))
    return [step * i for i in range(steps + 1)]


def plot(series, x_ticks, y_ticks, *, chart_id, title, desc, marks=(), bands=(), x_range=None):
    """Lines and steps on one pair of axes (see the module's docstring).

    series: [Series]; x_ticks, y_ticks: [(value, text)] ascending; the y axis runs from the first
    y tick to the last, the x axis from the first x tick to the last or over `x_range` (lo, hi);
    marks: [Mark]; bands: [(x_from, x_to, kind)] shaded ranges (class pb-band--<kind>). Every
    point is a <circle class="pb-point pb-sN" data-x data-value> with its tip as tooltip; every
    mark a <path class="pb-mark" data-x>."""
    x0, x1 = (Decimal(v) for v in (x_range or (x_ticks[0][0], x_ticks[-1][0])))
    y0, y1 = Decimal(y_ticks[0][0]), Decimal(y_ticks[-1][0])
    left = _room([t for _, t in y_ticks]) + 2
    right = Decimal(WIDTH - 8)
    parts, legend_height = _legend([(s.name, s.style, s.dashed) for s in series], Decimal(0))
    top = Decimal(legend_height) + LINE * len(marks) + 4
    bottom = top + PLOT_HEIGHT

    def sx(x):
        return left + GEOMETRY.divide((Decimal(x) - x0) * (right - left), x1 - x0)

    def sy(y):
        return bottom - (GEOMETRY.divide((Decimal(y) - y0) * PLOT_HEIGHT, y1 - y0) if y1 != y0 else _ZERO)

    for x_from, x_to, kind in bands:
        parts.append(f'<rect class="pb-band pb-band--{_esc(kind)}" x="{_n(sx(x_from))}" y="{_n(top)}" '
                     f'width="{_n(sx(x_to) - sx(x_from))}" height="{PLOT_HEIGHT}"/>')
    for value, text in y_ticks:
        y = sy(value)
        parts.append(f'<path class="pb-grid" d="M{_n(left)} {_n(y)}H{_n(right)}"/>')
        parts.append(f'<text class="pb-tick" x="{_n(left - 4)}" y="{_n(y + 4)}" text-anchor="end">{_esc(text)}</text>')
    parts.append(f'<path class="pb-axis" d="M{_n(left)} {_n(bottom)}H{_n(right)}"/>')
    for value, text in x_ticks:
        x, half = sx(value), CHAR * len(text) / 2
        anchor = "start" if x - half < 0 else "end" if x + half > WIDTH else "middle"
        parts.append(f'<path class="pb-axis" d="M{_n(x)} {_n(bottom)}v4"/>')
        parts.append(f'<text class="pb-tick" x="{_n(x)}" y="{_n(bottom + 17)}" text-anchor="{anchor}">{_esc(text)}</text>')
    for i, mark in enumerate(marks):
        x = sx(mark.x)
        text_y = Decimal(legend_height) + LINE * i + 13
        west = x > (left + right) / 2
        parts.append(f'<path class="pb-mark pb-mark--{_esc(mark.kind)}" data-x="{_esc(mark.x)}" '
                     f'd="M{_n(x)} {_n(text_y - 11)}V{_n(bottom)}"/>')
        parts.append(f'<text class="pb-mark-text" x="{_n(x - 4 if west else x + 4)}" y="{_n(text_y)}" '
                     f'text-anchor="{"end" if west else "start"}">{_esc(mark.text)}</text>')
    for s in series:
        xy = [(sx(x), sy(y)) for x, y in s.points]
        d = f"M{_n(xy[0][0])} {_n(xy[0][1])}"
        if s.step:   # each y holds until the next point's x, the last one until `end`
            ends = [x for x, _ in xy[1:]] + [sx(s.end if s.end is not None else x1)]
            for i, ((_, y), end) in enumerate(zip(xy, ends)):
                d += (f"V{_n(y)}" if i else "") + f"H{_n(end)}"
        else:
            d += "".join(f"L{_n(x)} {_n(y)}" for x, y in xy[1:])
        parts.append(f'<path class="pb-line pb-s{s.style}{" pb-dashed" if s.dashed else ""}" d="{d}"/>')
        for i, ((x, y), (vx, vy)) in enumerate(zip(xy, s.points)):
            tip = f"<title>{_esc(s.tips[i])}</title>" if s.tips else ""
            key = f' data-key="{_esc(s.keys[i])}"' if s.keys else ""
            parts.append(f'<circle class="pb-point pb-s{s.style}" data-series="{_esc(s.name)}" data-x="{_esc(vx)}"'
                         f'{key} data-value="{_plain(vy)}" cx="{_n(x)}" cy="{_n(y)}" r="3">{tip}</circle>')
    return _svg(chart_id, "plot", bottom + 24, title, desc, parts)


def month_ticks(first, last, text, most=5):
    """Ticks on the first day of months between two datetime.date values, every 1, 2, 3, 6 or 12
    months so that at most `most` show: [(date, text(date))]."""
    import datetime
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = next((m for m in (1, 2, 3, 6, 12, 24, 60) if months <= most * m), 120)
    ticks, year, month = [], first.year, first.month
    if first.day > 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while True:
        day = datetime.date(year, month, 1)
        if day > last:
            return ticks
        if (year * 12 + month - 1) % every == 0:
            ticks.append((day, text(day)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
