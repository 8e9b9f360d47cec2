"""The SVG charts: valid XML, named for screen readers, bars in proportion to their values."""

import xml.etree.ElementTree as ET

from onward.reports.charts import HEIGHT, TOP, axis_top, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output; raises unless it is well-formed XML


def test_a_bar_chart_is_valid_svg_with_a_title_and_a_description() -> None:
    svg = parse(
        bar_chart(
            chart_id="c1",
            title="Sign-ins & <messages>",
            description="What it shows",
            categories=["Oct 2026", "Nov 2026"],
            series=[("Sign-ins", [2.0, 4.0])],
        )
    )
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title"
    assert svg.get("aria-describedby") == "c1-desc"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None
    assert title.get("id") == "c1-title"
    assert title.text == "Sign-ins & <messages>"
    assert desc is not None
    assert desc.get("id") == "c1-desc"
    assert desc.text == "What it shows"


def test_bars_are_in_proportion_to_their_values() -> None:
    svg = parse(
        bar_chart(
            chart_id="c2",
            title="t",
            description="d",
            categories=["a", "b", "c"],
            series=[("One", [3.0, 6.0, 0.0]), ("Two", [12.0, None, 1.5])],
        )
    )
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    heights = {r.find(f"{SVG}title").text: float(r.get("height")) for r in bars}  # type: ignore[union-attr]
    assert len(bars) == 6
    assert heights["b, One: 6"] == 2 * heights["a, One: 3"]
    assert heights["a, Two: 12"] == 4 * heights["a, One: 3"]
    assert heights["c, One: 0"] == 0
    assert heights["b, Two: –"] == 0
    # each bar stands on the axis: its top plus its height is the bottom of the plot
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 1) for r in bars}  # type: ignore[arg-type]
    assert bottoms == {HEIGHT - 72.0}
    # the tallest bar reaches the axis' top value in proportion (12 of 20)
    plot = HEIGHT - 72 - TOP
    assert heights["a, Two: 12"] == round(plot * 12 / axis_top(12), 1)


def test_a_line_chart_leaves_a_gap_for_a_missing_value() -> None:
    svg = parse(
        line_chart(
            chart_id="c3",
            title="t",
            description="d",
            categories=["a", "b", "c", "d", "e"],
            series=[("Median", [1.0, 2.0, None, 3.0, 4.0])],
        )
    )
    assert len(list(svg.iter(f"{SVG}circle"))) == 4
    lines = list(svg.iter(f"{SVG}polyline"))
    assert [len(line.get("points", "").split()) for line in lines] == [2, 2]  # no line across the gap


def test_the_axis_ends_on_a_round_number() -> None:
    assert axis_top(0) == 4
    assert axis_top(12) == 20
    assert axis_top(100) == 100
    assert axis_top(101) == 200
    assert axis_top(0.3) == 0.4
