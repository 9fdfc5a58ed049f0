"""Server-rendered SVG line charts: no JavaScript, no chart library, readable by screen readers.

A chart is drawn from `Series` of dated values, with optional `Band`s (normal ranges) shaded
behind them. Each series has its own point shape as well as its own colour, so a reader who
cannot tell the colours apart can still tell the lines apart. The SVG has role="img", a <title>
and a <desc>; the page shows the same data as a table beside it.

Drawing uses SVG presentation attributes and classes only, never `style` attributes, so it works
under a Content Security Policy without 'unsafe-inline'. Every piece of text is escaped here.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, BOTTOM = 64, 20, 44
LEGEND_LINE = 24
INSET = 12
FONT_SIZE = 14
# More points than this cannot be told apart at the chart's width: the rest are thinned out.
MAX_POINTS = 200
MARKERS = ("circle", "square", "triangle", "diamond")
# Dark enough for 4.5:1 contrast on white; told apart by shape as well.
COLOURS = ("#0b5394", "#8a3b00", "#1d6b34", "#5b2a86")
# Lines differ by dash pattern too, which still tells them apart where points crowd together.
DASHES = ("", "8 4", "2 4", "12 4 2 4")
# Past this many points on a line, points are drawn smaller so the line stays readable.
CROWDED = 60
BAND_FILLS = ("#d9eedd", "#dbe7f5")
INK = "#1b1b1b"
GRID = "#c4c4c4"


class Point(NamedTuple):
    when: datetime.datetime
    value: float


# What a series holds: a Point, or any (when, value) pair. Charts of thousands of readings
# pass plain pairs, the cheapest thing to make; this module reads them by position.
Pair = tuple[datetime.datetime, float]


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[Pair]


@dataclass(frozen=True)
class Band:
    """A shaded range of values (a normal range). An open side reaches the chart's edge."""

    label: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class LineChart:
    """What to draw. `chart_id` must be unique on the page: it names the title and desc."""

    chart_id: str
    title: str
    description: str
    series: Sequence[Series]
    bands: Sequence[Band] = ()
    unit: str = ""
    # The time axis; by default it spans the points.
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    # The drawing's width: a phone's chart is narrower, so its words stay a readable size.
    width: int = WIDTH


@dataclass(frozen=True)
class Scale:
    """A linear map from a domain (values or timestamps) to pixels."""

    low: float
    high: float
    pixel_low: float
    pixel_high: float

    def __call__(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return round(self.pixel_low + share * (self.pixel_high - self.pixel_low), 1)


def downsample(points: Sequence[Pair], limit: int) -> list[Pair]:
    """At most `limit` points that keep the line's shape, the first and last included.

    Largest-triangle-three-buckets: the points between the ends are split into `limit - 2`
    buckets, and from each the point is kept that makes the largest triangle with the point
    kept before it and the average of the next bucket. Peaks survive; flat stretches thin out.
    """
    if limit < 3:
        raise ValueError("keep at least 3 points")
    if len(points) <= limit:
        return list(points)
    xs = [when.timestamp() for when, _value in points]
    ys = [value for _when, value in points]
    last = len(points) - 1
    every = (len(points) - 2) / (limit - 2)
    kept = [0]
    for bucket in range(limit - 2):
        start, stop = 1 + int(bucket * every), 1 + int((bucket + 1) * every)
        following_stop = min(1 + int((bucket + 2) * every), last)
        if following_stop <= stop:
            stop_x, stop_y = xs[last], ys[last]
        else:
            count = following_stop - stop
            stop_x = sum(xs[stop:following_stop]) / count
            stop_y = sum(ys[stop:following_stop]) / count
        kept.append(_largest_triangle(xs, ys, kept[-1], start, stop, (stop_x, stop_y)))
    kept.append(last)
    return [points[i] for i in kept]


def _largest_triangle(
    xs: Sequence[float],
    ys: Sequence[float],
    corner: int,
    start: int,
    stop: int,
    average: tuple[float, float],
) -> int:
    """The candidate (start to stop) making the largest triangle with the corner and average.

    The first of equal candidates wins. A plain loop: this runs once for every point thinned.
    """
    ax, ay = xs[corner], ys[corner]
    cx, cy = average
    across, up = ax - cx, cy - ay
    best, best_area = start, -1.0
    for index in range(start, stop):
        area = abs(across * (ys[index] - ay) - (ax - xs[index]) * up)
        if area > best_area:
            best, best_area = index, area
    return best


def value_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round numbers (steps of 1, 2, 2.5 or 5 times a power of ten) covering low to high."""
    if high <= low:
        spread = abs(low) * 0.1 or 1.0
        low, high = low - spread, high + spread
    rough = (high - low) / (count - 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    first = math.floor(low / step) * step
    steps = math.ceil(round((high - first) / step, 9))
    return [round(first + index * step, 9) for index in range(steps + 1)]


def tick_label(value: float, ticks: Sequence[float]) -> str:
    """A tick's number with as many decimals as the step between ticks needs."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = 0
    while decimals < 6 and abs(round(step, decimals) - step) > 1e-9:
        decimals += 1
    return f"{value:.{decimals}f}"


def time_ticks(
    start: datetime.datetime, end: datetime.datetime, most: int = 6
) -> list[tuple[datetime.datetime, str]]:
    """Midnights (in the current time zone) between start and end, with short date labels.

    Days or weeks for a short span, months for a few years, years beyond that.
    """
    zone = timezone.get_current_timezone()
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    days = (last - first).days
    if days <= 62:
        step = next((s for s in (1, 2, 7, 14) if days / s <= most), 28)
        dates = [first + datetime.timedelta(days=n) for n in range(0, days + 1, step)]
        label = "j M"
    else:
        months = days / 30.44
        step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= most), 240)
        dates = _month_starts(first, last, step)
        label = "M Y" if step < 12 else "Y"
    ticks = []
    for day in dates:
        moment = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        if start <= moment <= end:
            ticks.append((moment, dateformat.format(day, label)))
    return ticks


def _month_starts(first: datetime.date, last: datetime.date, step: int) -> list[datetime.date]:
    # Yearly steps start on a year divisible by the step in years; monthly steps on a month
    # divisible by the step, so the labels fall on round dates.
    index = first.year * 12 + first.month - 1
    index += -index % step
    dates: list[datetime.date] = []
    while True:
        day = datetime.date(index // 12, index % 12 + 1, 1)
        if day > last:
            return dates
        if day >= first:
            dates.append(day)
        index += step


def render_line_chart(chart: LineChart, *, max_points: int = MAX_POINTS) -> SafeString:
    """The chart as an <svg> element, ready to put in a page."""
    series = [Series(s.label, downsample(sorted_points(s), max_points)) for s in chart.series]
    top = 16 + LEGEND_LINE * (len(chart.bands) + len(series)) + FONT_SIZE + 8
    ticks = value_ticks(*_value_range(series, chart.bands))
    y = Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, top)
    start, end = _time_range(series, chart)
    # Inset so the first and last points do not sit on the chart's edges.
    right = chart.width - RIGHT
    x = Scale(start.timestamp(), end.timestamp(), LEFT + INSET, right - INSET)
    parts = [
        _open(chart),
        *(_band(band, index, y, right) for index, band in enumerate(chart.bands)),
        *_value_axis(ticks, y, right),
        *_time_axis(start, end, x, y, most=6 * chart.width // WIDTH),
        *_legend(chart.bands, series),
        _unit_label(chart.unit, top),
        *(_line(s, index, x, y) for index, s in enumerate(series)),
        "</svg>",
    ]
    # Safe: every piece of text above went through `escape`; the rest are numbers.
    return mark_safe("".join(parts))  # noqa: S308


def sorted_points(series: Series) -> list[Pair]:
    return sorted(series.points, key=itemgetter(0))


def _value_range(series: Sequence[Series], bands: Sequence[Band]) -> tuple[float, float]:
    # The bands' edges are part of the range, so the reader sees where normal is even when
    # every value is far from it.
    values = [value for s in series for _when, value in s.points]
    values += [edge for band in bands for edge in (band.low, band.high) if edge is not None]
    if not values:
        return 0.0, 1.0
    return min(values), max(values)


def _time_range(
    series: Sequence[Series], chart: LineChart
) -> tuple[datetime.datetime, datetime.datetime]:
    moments = [when for s in series for when, _value in s.points]
    now = timezone.now()
    start = chart.start or min(moments, default=now - datetime.timedelta(days=365))
    end = chart.end or max(moments, default=now)
    if end - start < datetime.timedelta(days=2):
        # One reading (or several on one day): a month either side, with it in the middle.
        middle = start + (end - start) / 2
        start, end = middle - datetime.timedelta(days=15), middle + datetime.timedelta(days=15)
    return start, end


def _open(chart: LineChart) -> str:
    title_id, desc_id = f"{chart.chart_id}-title", f"{chart.chart_id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
        f'viewBox="0 0 {chart.width} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT_SIZE}" fill="{INK}">'
        f'<title id="{escape(title_id)}">{escape(chart.title)}</title>'
        f'<desc id="{escape(desc_id)}">{escape(chart.description)}</desc>'
    )


def _band(band: Band, index: int, y: Scale, right: float) -> str:
    high = y(min(band.high, y.high)) if band.high is not None else y.pixel_high
    low = y(max(band.low, y.low)) if band.low is not None else y.pixel_low
    fill = BAND_FILLS[index % len(BAND_FILLS)]
    edges = [
        f'<line class="chart-band-edge" x1="{LEFT}" x2="{right}" y1="{edge}" '
        f'y2="{edge}" stroke="#4a4a4a" stroke-dasharray="6 4"/>'
        for edge, given in ((high, band.high), (low, band.low))
        if given is not None
    ]
    return (
        f'<rect class="chart-band" x="{LEFT}" y="{high}" width="{right - LEFT}" '
        f'height="{round(low - high, 1)}" fill="{fill}"/>' + "".join(edges)
    )


def _value_axis(ticks: Sequence[float], y: Scale, right: float) -> list[str]:
    parts = []
    for tick in ticks:
        level = y(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{right}" y1="{level}" y2="{level}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{level + 5}" text-anchor="end">'
            f"{escape(tick_label(tick, ticks))}</text>"
        )
    return parts


def _time_axis(
    start: datetime.datetime, end: datetime.datetime, x: Scale, y: Scale, *, most: int
) -> list[str]:
    base = y.pixel_low
    right = x.pixel_high + INSET
    parts = [f'<line x1="{LEFT}" x2="{right}" y1="{base}" y2="{base}" stroke="{INK}"/>']
    for moment, label in time_ticks(start, end, most):
        at = x(moment.timestamp())
        parts.append(
            f'<line x1="{at}" x2="{at}" y1="{base}" y2="{base + 6}" stroke="{INK}"/>'
            f'<text x="{at}" y="{base + 24}" text-anchor="middle">{escape(label)}</text>'
        )
    return parts


def _unit_label(unit: str, top: int) -> str:
    if not unit:
        return ""
    return f'<text x="{LEFT - 8}" y="{top - 10}" text-anchor="end">{escape(unit)}</text>'


def _legend(bands: Sequence[Band], series: Sequence[Series]) -> list[str]:
    parts, line = [], 16 + LEGEND_LINE // 2
    for index, band in enumerate(bands):
        fill = BAND_FILLS[index % len(BAND_FILLS)]
        parts.append(
            f'<rect x="{LEFT}" y="{line - 8}" width="24" height="16" fill="{fill}" '
            f'stroke="#4a4a4a" stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + 32}" y="{line + 5}">{escape(band.label)}</text>'
        )
        line += LEGEND_LINE
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + 24}" y1="{line}" y2="{line}" stroke="{colour}" '
            f'stroke-width="2"{_dash(index)}/>{marker(index, LEFT + 12, line)}'
            f'<text x="{LEFT + 32}" y="{line + 5}">{escape(one.label)}</text>'
        )
        line += LEGEND_LINE
    return parts


def _line(series: Series, index: int, x: Scale, y: Scale) -> str:
    colour = COLOURS[index % len(COLOURS)]
    spots = [(x(when.timestamp()), y(value)) for when, value in series.points]
    path = ""
    if len(spots) > 1:
        steps = " L ".join(f"{px} {py}" for px, py in spots)
        path = (
            f'<path class="chart-line" d="M {steps}" fill="none" stroke="{colour}" '
            f'stroke-width="2"{_dash(index)}/>'
        )
    size = 0.5 if len(spots) > CROWDED else 1.0
    points = "".join(marker(index, px, py, size, painted=False) for px, py in spots)
    # The points take their paint from the group: said once, not on each of hundreds of points.
    return f'<g class="chart-series" {_paint(index)}>{path}{points}</g>'


def _dash(index: int) -> str:
    dash = DASHES[index % len(DASHES)]
    return f' stroke-dasharray="{dash}"' if dash else ""


def _paint(index: int) -> str:
    return f'fill="{COLOURS[index % len(COLOURS)]}" stroke="#ffffff" stroke-width="1"'


def marker(index: int, x: float, y: float, size: float = 1.0, *, painted: bool = True) -> str:
    """A point of series `index`: its own shape, filled with its own colour.

    Unpainted, it takes its colour from the element around it (a series' group).
    """
    shape = MARKERS[index % len(MARKERS)]
    paint = f" {_paint(index)}" if painted else ""
    half = 5 * size
    if shape == "circle":
        return f'<circle class="chart-point" cx="{x}" cy="{y}" r="{half:g}"{paint}/>'
    if shape == "square":
        return (
            f'<rect class="chart-point" x="{round(x - half, 1)}" y="{round(y - half, 1)}" '
            f'width="{2 * half:g}" height="{2 * half:g}"{paint}/>'
        )
    reach = 7 * size
    if shape == "triangle":
        corners = [(x, y - reach), (x + reach, y + half), (x - reach, y + half)]
    else:
        corners = [(x, y - reach), (x + reach, y), (x, y + reach), (x - reach, y)]
    listed = " ".join(f"{round(cx, 1)},{round(cy, 1)}" for cx, cy in corners)
    return f'<polygon class="chart-point" points="{listed}"{paint}/>'
