"""The SVG line chart: scaling, ticks, bands, thinning, and the edge cases (no data, one point)."""

from __future__ import annotations

import datetime
import random
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from carebridge.lib.svg import (
    Band,
    LineChart,
    Point,
    Scale,
    Series,
    downsample,
    render_line_chart,
    tick_label,
    time_ticks,
    value_ticks,
)

UTC = datetime.UTC


def when(year: int, month: int = 1, day: int = 1) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=UTC)


def chart(*series: Series, bands: tuple[Band, ...] = (), **extra: object) -> str:
    defaults: dict[str, object] = {"chart_id": "c", "title": "T", "description": "D"}
    return str(render_line_chart(LineChart(series=series, bands=bands, **(defaults | extra))))


def points_drawn(svg: str) -> int:
    return len(re.findall(r'class="chart-point"', svg))


def test_scale_maps_the_domain_onto_the_pixels_upside_down_for_values():
    y = Scale(0, 10, 300, 100)
    assert (y(0), y(5), y(10), y(2.5)) == (300, 200, 100, 250)


def test_value_ticks_are_round_numbers_covering_the_range():
    assert value_ticks(4.0, 7.2) == [4.0, 5.0, 6.0, 7.0, 8.0]
    assert value_ticks(61, 139) == [60.0, 80.0, 100.0, 120.0, 140.0]
    assert value_ticks(0.12, 0.31) == [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]


def test_value_ticks_for_a_single_value_spread_around_it():
    ticks = value_ticks(72.5, 72.5)
    assert ticks[0] < 72.5 < ticks[-1]
    assert value_ticks(0, 0) == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_tick_labels_have_the_decimals_the_step_needs():
    assert [tick_label(t, [0.1, 0.15]) for t in (0.1, 0.15)] == ["0.10", "0.15"]
    assert tick_label(120.0, [100.0, 120.0]) == "120"
    assert tick_label(5.5, [5.0, 5.5]) == "5.5"


def test_time_ticks_are_years_for_a_long_span_and_months_for_a_short_one():
    with timezone.override(ZoneInfo("UTC")):
        long = time_ticks(when(2006, 3, 1), when(2026, 3, 1))
        short = time_ticks(when(2026, 1, 10), when(2026, 6, 20))
        days = time_ticks(when(2026, 3, 1), when(2026, 3, 20))
    assert [label for _moment, label in long] == ["2010", "2015", "2020", "2025"]
    assert [label for _moment, label in short] == [
        "Feb 2026",
        "Mar 2026",
        "Apr 2026",
        "May 2026",
        "Jun 2026",
    ]
    assert [label for _moment, label in days] == ["8 Mar", "15 Mar"]


def test_downsample_keeps_the_ends_and_the_peaks():
    points = [Point(when(2000) + datetime.timedelta(days=n), 100.0) for n in range(1000)]
    points[500] = Point(points[500].when, 180.0)
    kept = downsample(points, 50)
    assert len(kept) == 50
    assert (kept[0], kept[-1]) == (points[0], points[-1])
    assert points[500] in kept
    assert kept == sorted(kept, key=lambda point: point.when)


def test_downsample_leaves_short_series_alone_and_refuses_tiny_limits():
    points = [Point(when(2000 + n), float(n)) for n in range(10)]
    assert downsample(points, 10) == points
    with pytest.raises(ValueError, match="at least 3"):
        downsample(points, 2)


def test_a_chart_is_an_image_with_a_title_and_description_and_no_style_attribute():
    series = Series("A1c", [Point(when(2024), 6.1), Point(when(2026), 7.2)])
    svg = chart(series, title="A1c over time", description="2 readings <both high>")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">A1c over time</title>' in svg
    assert '<desc id="c-desc">2 readings &lt;both high&gt;</desc>' in svg
    assert "style=" not in svg
    assert points_drawn(svg) == 2 + 1  # two points, and one in the legend
    assert svg.count('class="chart-line"') == 1


def test_the_band_is_shaded_between_its_edges_on_the_value_scale():
    series = Series("A1c", [Point(when(2024), 6.1), Point(when(2026), 7.2)])
    svg = chart(series, bands=(Band("Normal range: 4 to 5.6 %", 4.0, 5.6),))
    # Ticks run 4 to 8, so the plot's 4-unit height maps 4.0 to the bottom (276).
    rect = re.search(
        r'<rect class="chart-band" x="64" y="([\d.]+)" width="556" height="([\d.]+)"', svg
    )
    assert rect is not None
    top, height = float(rect.group(1)), float(rect.group(2))
    assert (top + height, round(height / (276 - 86) * 4, 2)) == (276.0, 1.6)
    assert "Normal range: 4 to 5.6 %" in svg


def test_an_open_band_reaches_the_bottom_of_the_chart():
    series = Series("Upper", [Point(when(2024), 130.0), Point(when(2025), 126.0)])
    svg = chart(series, bands=(Band("Normal: below 120", high=120.0),))
    rect = re.search(
        r'<rect class="chart-band" x="64" y="([\d.]+)" width="556" height="([\d.]+)"', svg
    )
    assert rect is not None
    assert float(rect.group(1)) + float(rect.group(2)) == 276.0
    assert svg.count('class="chart-band-edge"') == 1


def test_each_series_has_its_own_shape():
    first = Series("Upper", [Point(when(2024), 130.0), Point(when(2025), 126.0)])
    second = Series("Lower", [Point(when(2024), 85.0), Point(when(2025), 80.0)])
    svg = chart(first, second)
    assert svg.count("<circle") == 3
    assert svg.count('<rect class="chart-point"') == 3


def test_a_long_series_is_thinned_to_200_points():
    start = when(2006)
    series = Series(
        "Weight", [Point(start + datetime.timedelta(days=n), 70.0 + n % 7) for n in range(5000)]
    )
    svg = chart(series)
    assert points_drawn(svg) == 200 + 1


def test_an_empty_chart_still_draws_its_axes_and_no_points():
    svg = chart(Series("Weight", []))
    assert points_drawn(svg) == 1  # the legend's
    assert 'class="chart-line"' not in svg
    assert svg.endswith("</svg>")


def test_one_point_sits_in_the_middle_with_no_line():
    svg = chart(Series("Weight", [Point(when(2026, 5, 1), 72.5)]))
    assert 'class="chart-line"' not in svg
    circles = re.findall(r'<circle class="chart-point" cx="([\d.]+)"', svg)
    assert circles[1] == "342.0"  # halfway between 64 + 12 and 620 - 12


def test_text_is_escaped():
    svg = chart(Series('<b>"x"</b>', [Point(when(2026), 1.0)]), unit="<u>")
    assert "<b>" not in svg and "<u>" not in svg
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in svg


def textbook_downsample(points: list[Point], limit: int) -> list[Point]:
    """Largest-triangle-three-buckets as first written, to check the faster one against."""
    xs = [point.when.timestamp() for point in points]
    ys = [point.value for point in points]
    every = (len(points) - 2) / (limit - 2)
    kept = [0]
    for bucket in range(limit - 2):
        start, stop = 1 + int(bucket * every), 1 + int((bucket + 1) * every)
        following = range(stop, min(1 + int((bucket + 2) * every), len(points) - 1))
        following = following or range(len(points) - 1, len(points))
        cx = sum(xs[i] for i in following) / len(following)
        cy = sum(ys[i] for i in following) / len(following)
        ax, ay = xs[kept[-1]], ys[kept[-1]]
        kept.append(
            max(
                range(start, stop),
                key=lambda i: abs((ax - cx) * (ys[i] - ay) - (ax - xs[i]) * (cy - ay)),
            )
        )
    kept.append(len(points) - 1)
    return [points[i] for i in kept]


@pytest.mark.parametrize(("count", "limit"), [(201, 200), (1124, 200), (5000, 200), (37, 10)])
def test_downsample_keeps_exactly_the_points_the_textbook_way_keeps(count, limit):
    noise = random.Random(count)
    start = when(2006)
    points = [
        Point(start + datetime.timedelta(hours=noise.randrange(1, 400) * n), noise.gauss(120, 15))
        for n in range(count)
    ]
    points.sort(key=lambda point: point.when)
    # Flat stretches make equal triangles: the first of them is kept, as max() keeps it.
    points[10:80] = [Point(point.when, 100.0) for point in points[10:80]]
    assert downsample(points, limit) == textbook_downsample(points, limit)


def test_points_may_be_plain_pairs():
    pairs = [(when(2024), 6.1), (when(2026), 7.2)]
    assert chart(Series("A1c", pairs)) == chart(Series("A1c", [Point(*pair) for pair in pairs]))


def test_a_series_paints_its_points_once_and_the_legend_sample_itself():
    svg = chart(Series("A1c", [Point(when(2024), 6.1), Point(when(2026), 7.2)]))
    group = re.search(r'<g class="chart-series" ([^>]*)>(.*?)</g>', svg)
    assert group is not None
    assert group.group(1) == 'fill="#0b5394" stroke="#ffffff" stroke-width="1"'
    assert re.findall(r"<circle [^>]*>", group.group(2)) == [
        # 6.1 and 7.2 on a scale from 6 (at 276) to 7.5 (at 62).
        '<circle class="chart-point" cx="76.0" cy="261.7" r="5"/>',
        '<circle class="chart-point" cx="608.0" cy="104.8" r="5"/>',
    ]
    legend = svg.split('<g class="chart-series"')[0]
    assert (
        '<circle class="chart-point" cx="76" cy="28" r="5" fill="#0b5394" stroke="#ffffff" '
        'stroke-width="1"/>' in legend
    )
