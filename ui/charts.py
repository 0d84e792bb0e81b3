"""Chart builders: pure functions from frames to Plotly figures (IBCS notation), and ``show``, the one
way a figure goes onto a page.

Actuals solid, budget outlined, forecast hatched; favourable green, unfavourable red. Every name
from the data passes ``domain.markup.escape`` before it becomes a label, a legend entry or a hover
text: Plotly reads ``<a href>``, ``<b>`` and the like in label text as markup.
"""

from __future__ import annotations

import math
import re
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from domain.budget import has_forecast_months
from domain.forecast_view import MANAGERS_DEFAULT, RULE_LINE_CAPTION, fan_rule_label, interval_known, interval_legend
from domain.formatting import NBSP, format_mnkr, format_number, format_percent, format_tkr
from domain.markup import escape
from domain.meeting import VARIANCE_PANELS, VARIANCE_PANELS_NARROW, mobile_browser

ACTUAL = "#404040"
BUDGET = "#404040"
FORECAST = "#808080"
FORECAST_LINE = "#1f5f8b"  # the forecast drawn as a line against the budget
# The statistical forecast beside a locked version: lighter, as its P10–P90 band (a walk could not tell the
# dotted line from the locked version's dashed one in the same blue).
STATISTICAL_BESIDE = "#6f9cc0"
STATISTICAL_TEXT = "#3f6f98"  # its figure written out: the same blue, dark enough to read
GOOD = "#2e7d32"
BAD = "#c62828"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=16, color="#222")
GRID = "#e5e5e5"
Y_AXIS = dict(gridcolor=GRID, zerolinecolor="#999")
AXIS_TEXT = "#333"


# The chart toolbar in Swedish, with the tools a reader of these charts uses: save as an image, zoom in and
# out, and back to the whole chart. Plotly's own number and date formats follow the pages'.
_SWEDISH = {
    "moduleType": "locale", "name": "sv",
    "dictionary": {
        "Autoscale": "Visa hela diagrammet", "Reset axes": "Återställ axlarna", "Reset": "Återställ",
        "Zoom": "Zooma", "Zoom in": "Zooma in", "Zoom out": "Zooma ut", "Pan": "Flytta",
        "Download plot as a png": "Spara diagrammet som bild (png)", "Download plot": "Spara diagrammet",
        "Download plot as a PNG": "Spara diagrammet som bild (png)", "Fullscreen": "Helskärm",
        "Exit fullscreen": "Lämna helskärm",
        "Double-click to zoom back out": "Dubbelklicka för att zooma ut igen",
        "Double-click on legend to isolate one trace": "Dubbelklicka på en serie i förklaringen för att bara visa den",
        "Taking snapshot - this may take a few seconds": "Sparar bilden …", "Snapshot succeeded": "Bilden är sparad",
        "Sorry, there was a problem downloading your snapshot!": "Bilden kunde inte sparas.",
    },
    "format": {
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
        "months": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
                   "november", "december"],
        "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
        "date": "%Y-%m-%d", "decimal": ",", "thousands": "\u00a0",
    },
}
CONFIG = {"locale": "sv", "locales": {"sv": _SWEDISH}, "displaylogo": False,
          "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "toggleSpikelines",
                                     "hoverClosestCartesian", "hoverCompareCartesian"],
          "toImageButtonOptions": {"format": "png", "filename": "diagram", "scale": 2}}
_BARE = CONFIG | {"displayModeBar": False}


def show(figure: go.Figure, key: str, *, toolbar: bool = True, fitted: bool = False) -> None:
    """Every chart onto the page: the one place that sets its toolbar (in Swedish) and its formats.

    On a phone (a browser that calls itself a mobile one) a page's chart is drawn for the screen (``for_phone``)
    and without the toolbar, whose buttons stood over its title. ``fitted``: a chart already drawn for the
    screen it is shown on (a slide of the nämndläge, which measures the window)."""
    phone = not fitted and mobile_browser(st.context.headers.get("User-Agent"))
    st.plotly_chart(for_phone(figure) if phone else figure, key=key, config=CONFIG if toolbar and not phone else _BARE)


def for_phone(figure: go.Figure, height: int | None = None) -> go.Figure:
    """A chart for a phone held upright (a copy), on a page or a slide: a horizontal chart (a trace drawn
    sideways) with each name above its bar (``names_above``, at least ``height`` px, else the chart's own
    height), any other with the time line's narrow scales (``narrow``). 2026-12-06 walk on a phone: the
    sick leave's months ran together ("okt 2022jan 2023apr 2023"), Jämförelse's names left its plot 50 px, and the
    placements' bridge cut its axis title ("(+ = läg")."""
    if any(getattr(trace, "orientation", None) == "h" for trace in figure.data):
        return names_above(figure, PHONE_FONT, height or figure.layout.height or 460)
    return narrow(figure, PHONE_FONT)


# The result path's written figures, by name (in Swedish: every text a figure carries is read as shown).
YEAR_END, BESIDE, MANAGERS = "Helår", "Statistisk helår", "Verksamheternas helår"
RULE_FIGURE, RULE_LINE = "Regelns utfall", "Regelns gräns"  # the 5 % rule's figures and the note on its line
# A phone held upright: a horizontal chart's name above its bar, across the chart's width (``names_above``).
PHONE_ROW, PHONE_GAP = 52, 0.55  # px per row, and the share of a row left free of its bar for the name
PHONE_FONT = 15  # a chart's type on a phone held upright
PHONE_TITLE, PHONE_LINE = 38, 44  # characters a line of a chart's title, and of a name above a bar, holds there
PHONE_AXIS = 48  # characters a time axis holds there, its labels' gaps included
PHONE_WIDTH = 360  # px a chart has on a phone held upright, its margins aside


def _categories(figure: go.Figure) -> list:
    """The names on a horizontal chart's axis, as the axis orders them, or as the traces first give them."""
    order = figure.layout.yaxis.categoryarray
    if order:
        return list(order)
    found = []
    for trace in figure.data:
        if getattr(trace, "orientation", None) == "h" or trace.type == "scatter":
            found.extend(name for name in (trace.y if trace.y is not None else ()) if name is not None)
    return list(dict.fromkeys(found))


def names_above(figure: go.Figure, font_size: float, height: int) -> go.Figure:
    """A horizontal chart for a phone held upright (a copy): each name written above its bar, across the whole
    width, instead of in a column to the left of the bars. That column took the screen's width, and the bars,
    the figures and the total lay out of sight until the chart was swiped (a politician saw only the deficits).
    Each row gets at least ``PHONE_ROW`` px, the chart at least ``height``. A name is placed in the axis's own
    units (a category's serial number), at the edge of its bar's half of the row, so that it keeps its place
    whatever room the legend below takes."""
    names = _categories(figure)
    if not names:
        return go.Figure(figure)
    # The names on one line where they all fit the screen's width; else each keeps its lines (Jämförelse's name
    # with its figures under it), and every row has room for that many lines above its bar.
    joined = [str(name).replace("<br>", " ") for name in names]
    texts = joined if all(_fits(text) for text in joined) else [str(name) for name in names]
    lines = max(text.count("<br>") + 1 for text in texts)
    row = PHONE_ROW + 22 * (lines - 1)
    gap = 1 - (1 - PHONE_GAP) * PHONE_ROW / row  # the bar keeps its thickness
    margin = figure.layout.margin
    top, bottom = (margin.t if margin.t is not None else 56), (margin.b if margin.b is not None else 84)
    figure = _for_phone(figure, font_size, right=24)
    # Two columns' titles in their short form: in half a phone's width the long ones ran into each other.
    short = dict(zip(VARIANCE_PANELS, VARIANCE_PANELS_NARROW))
    figure.for_each_annotation(lambda note: note.update(text=short[note.text]) if note.text in short else None)
    figure.update_layout(height=max(height, len(names) * row + top + bottom), bargap=gap, waterfallgap=gap)
    for trace in figure.data:  # a bar of a width of its own (Jämförelse's span) keeps to its share of the row
        if trace.type == "bar" and trace.width is not None:
            trace.width = 1 - gap
    # Without grid lines at the bars' height: with the names above the bars they ran through the figures beside
    # them (2026-12-06 walk).
    figure.update_yaxes(showticklabels=False, automargin=False, showgrid=False)
    _room_for_figures(figure, font_size - 3)
    up = -1 if figure.layout.yaxis.autorange == "reversed" else 1  # the way up the screen, in serial numbers
    # A line across the whole height (the group's median on Jämförelse) drawn beside each bar only: drawn
    # above the traces, it ran through the names written above them.
    half = (1 - gap) / 2
    across = [shape for shape in figure.layout.shapes if shape.type == "line" and shape.yref == "y domain"]
    kept = [shape for shape in figure.layout.shapes if shape not in across]
    for shape in across:
        kept.extend(go.layout.Shape(shape).update(yref="y", y0=number - half, y1=number + half)
                    for number in range(len(names)))
    figure.layout.shapes = kept
    for number, text in enumerate(texts):  # on a white ground: a zero line or a grid line ran through the names
        figure.add_annotation(x=0, xref="paper", xanchor="left", y=number + up * half, yref="y",
                              yanchor="bottom", showarrow=False, align="left", bgcolor="white",
                              borderpad=2, text=text, font=dict(size=font_size, color="#222"))
    return figure


def _room_for_figures(figure: go.Figure, font_size: float) -> None:
    """A side-by-side chart's figures written beside their bars kept inside the phone's width: each x axis with
    a scale centred on zero is widened until its longest figure fits beside its bar, in type ``font_size``
    (2026-12-06: slide 2's year-end column cut "+12 256" at the screen's edge), and axes that had one scale keep
    one. A bar at v whose figure takes t px of an axis w px wide, ranging ±R, fits when v + t·2R/w ≤ R, that is
    R ≥ v / (1 − 2t/w)."""
    reach: dict[str, float] = {}
    for trace in figure.data:
        name = "xaxis" + (trace.xaxis or "x")[1:]
        axis = figure.layout[name]
        if trace.type != "bar" or trace.orientation != "h" or trace.text is None or axis.range is None:
            continue
        low, high = axis.range
        if not low < 0 < high or abs(low + high) > 1e-9 * high:
            continue
        trace.textfont.size = font_size
        # Every figure beside its bar, where the scale below makes room for it: a figure written inside a bar that
        # was too short for it ran across the zero line (2026-12-07 walk, "+12 256" on slide 2).
        trace.textposition = "outside"
        domain = axis.domain if axis.domain is not None else (0, 1)
        width = PHONE_WIDTH * (domain[1] - domain[0])
        reach[name] = max([reach.get(name, high), *(
            abs(float(value)) / (1 - min(0.7, 2 * len(str(text)) * font_size * 0.6 / width))
            for value, text in zip(trace.x, trace.text))])
    ranges = {name: tuple(figure.layout[name].range) for name in reach}
    for name in reach:
        widest = max(reach[other] for other in reach if ranges[other] == ranges[name])
        figure.layout[name].range = [-widest, widest]


def _fits(text: str) -> bool:
    """Whether a name fits a line of a phone's width (``PHONE_LINE`` characters, its tags and entities aside)."""
    return len(re.sub(r"<[^>]+>", "", re.sub(r"&#?\w+;", "x", text))) <= PHONE_LINE


def narrow(figure: go.Figure, font_size: float) -> go.Figure:
    """A time line for a phone held upright (a copy): as wide as the screen, with smaller scales and at most five
    dates on the time axis. Swiped sideways, its last months (December's year-end, the latest sick leave) lay out
    of sight, and its dates ran together ("okt 2023jan 2024")."""
    figure = _for_phone(figure, font_size, right=12)
    figure.update_yaxes(tickfont_size=font_size - 2, title_font_size=font_size - 2)
    axis = figure.layout.xaxis
    values = axis.tickvals if axis.tickvals is not None else axis.categoryarray  # a month axis names its months
    if values is None and figure.data and figure.data[0].x is not None \
            and all(isinstance(x, str) for x in figure.data[0].x):  # a category axis named by its data alone
        values = list(dict.fromkeys(figure.data[0].x))
    if values is not None:
        # As many labels as fit a phone's width: five "okt 2023", all six years of a track record (a walk saw
        # three of six named), every other month of a year's "jan" … "dec" (written upright otherwise).
        longest = max((len(str(text)) for text in (axis.ticktext or values)), default=1)
        room = max(5, PHONE_AXIS // (longest + 2))
        step = -(-len(values) // room)
        every = lambda names: list(names)[::-1][::step][::-1]  # counted from the last: December is named
        shown = every(values)
        figure.update_xaxes(tickvals=shown, ticktext=every(axis.ticktext) if axis.ticktext else shown, tickangle=0)
    # A bar's figure a step smaller than the scale's: six years' "1,9 %" ran together above their bars.
    figure.update_traces(selector=dict(type="bar"), textfont_size=font_size - 3)
    # The year-end figure above its point, inside the chart, and the statistical one beside a locked version
    # left to the sentence: written to the right of December they took half a phone's width from the chart.
    # The period's forecast stays the larger figure: a walk of the meeting link read the managers' "+7,2 mnkr",
    # boxed and larger, as the forecast beside a small "+4,7 mnkr" on the dashed line.
    notes = [note for note in figure.layout.annotations if note.name != BESIDE]
    for note in notes:
        if note.name == YEAR_END:
            note.update(xanchor="right", xshift=0, yanchor="bottom", yshift=10, font_size=font_size + 1,
                        bgcolor="rgba(255,255,255,0.85)")
        elif note.name == MANAGERS:  # left of its marker: over it stood where the year-end figure now stands
            note.update(font_size=font_size - 2, xanchor="right", xshift=-14,
                        yshift=6 if note.yanchor == "bottom" else -6)
        elif note.name in (RULE_FIGURE, RULE_LINE):  # at the slide's size "+1,9 %" ran into "+2,0 %" beside it,
            note.update(font_size=font_size - 3)     # and the line's note lost "än prognosen" (walk 2026-12-06)
    figure.layout.annotations = notes
    return figure


def _for_phone(figure: go.Figure, font_size: float, right: int) -> go.Figure:
    """A copy of a slide's chart with what every chart needs on a phone held upright: narrow margins, a smaller
    scale ("0 %" and "10 %" ran together in a narrow column) and one legend entry a line (two ran together)."""
    figure = go.Figure(figure)
    figure.update_layout(margin=dict(l=4, r=right))
    title = figure.layout.title.text
    if title and "<br>" not in title and len(title) > PHONE_TITLE:  # a page's title, cut at the screen's edge
        wrapped = textwrap.wrap(title, PHONE_TITLE)
        top = figure.layout.margin.t if figure.layout.margin.t is not None else 56
        figure.update_layout(title_text="<br>".join(wrapped), margin_t=top + 22 * (len(wrapped) - 1))
    figure.update_xaxes(tickfont_size=font_size - 2)
    if figure.layout.showlegend is not False:  # a step smaller: "Verksamheternas prognos aug 2025" was cut
        figure.update_layout(legend=dict(entrywidth=1, entrywidthmode="fraction", font_size=font_size - 1))
    return figure


def _base_layout(height: int) -> dict:
    """Large type for projectors; the legend at the foot of the figure, below the axis labels
    (placed in the figure's bottom margin, so it can never cover them)."""
    return dict(font=FONT, height=height, margin=dict(l=10, r=10, t=56, b=84), plot_bgcolor="white",
                legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.0, x=0), separators=", ",
                hoverlabel=dict(font_size=15))


def _layout(figure: go.Figure, height: int = 460) -> go.Figure:
    """Shared look: large type for projectors, legend at the foot of the figure, and the scales' figures and
    titles dark (Streamlit's theme draws them light grey, hard to read on a projector)."""
    figure.update_layout(**_base_layout(height))
    figure.update_yaxes(**Y_AXIS)
    for axes in (figure.update_xaxes, figure.update_yaxes):
        axes(tickfont_color=AXIS_TEXT, title_font_color=AXIS_TEXT)
    return figure


MONTH_TICKS = 8  # month labels ("okt 2022") a time axis writes at most: they fit a tablet's page beside its menu


def _quarter_ticks(figure: go.Figure, labels, months: tuple[str, ...] = ("jan", "apr", "jul", "okt")) -> None:
    """Month labels ("jan 2024") on a category axis: every quarter's first month (or only ``months``, for
    a chart in a narrow column), written horizontally, so that they never slant into the legend below. Of a
    longer time line every half year's, or every year's, so that at most ``MONTH_TICKS`` are written
    (2026-12-06 walk on a tablet: "okt 2022jan 2023apr 2023" ran together)."""
    named = [(label, str(label).split(" ")[0]) for label in dict.fromkeys(labels)]
    for kept in (months, ("jan", "jul"), ("jan",)):
        shown = [label for label, month in named if month in months and month in kept]
        if len(shown) <= MONTH_TICKS:
            break
    figure.update_xaxes(tickmode="array", tickvals=shown, ticktext=shown, tickangle=0)


def monthly_chart(monthly: pd.DataFrame, *, cumulative: bool, forecast_label: str = MANAGERS_DEFAULT) \
        -> go.Figure:
    """Net cost per month (shown as a positive cost), utfall solid, budget outlined, prognos hatched."""
    labels = monthly["label"]
    cost = lambda s: -s / 1000.0  # report sign → net cost in tkr, positive up
    figure = go.Figure()
    figure.add_bar(x=labels, y=cost(monthly["budget"]), name="Budget", offsetgroup="budget",
                   marker=dict(color="rgba(0,0,0,0)", line=dict(color=BUDGET, width=2)),
                   hovertemplate="%{x}: %{y:,.0f} tkr<extra>Budget</extra>")
    figure.add_bar(x=labels, y=cost(monthly["actual"]), name="Utfall", offsetgroup="actual",
                   marker=dict(color=ACTUAL), hovertemplate="%{x}: %{y:,.0f} tkr<extra>Utfall</extra>")
    # The months after the last booked one spread the verksamheternas forecast by the budget (the statistical
    # forecast's months are on Prognos): named so, since the year-end above the chart may be another forecast.
    # Named with its month: after an import it may be older than the utfall beside it (2026-12-07 walk).
    # A year booked through December has no month left to forecast, and its legend names no forecast (third
    # 2026-12-07 walk: "Verksamheternas prognos aug 2024" in the legend of December 2024, over no such bar).
    if has_forecast_months(monthly):
        figure.add_bar(x=labels, y=cost(monthly["forecast"]), name=escape(forecast_label), offsetgroup="actual",
                       marker=dict(color="white", line=dict(color=FORECAST, width=1.5),
                                   pattern=dict(shape="/", fgcolor=FORECAST, size=8)),
                       hovertemplate="%{x}: %{y:,.0f} tkr<extra>" + escape(forecast_label) + "</extra>")
    title = "Nettokostnad ackumulerat, tkr" if cumulative else "Nettokostnad per månad, tkr"
    figure.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05, title=dict(text=title, font_size=18))
    figure.update_yaxes(tickformat=",.0f", rangemode="tozero")
    return _layout(figure)


def variance_chart(activity_variance: pd.DataFrame, total_variance: float, total_relative: float,
                   few_ticks: bool = False, period: str = "") -> go.Figure:
    """Avvikelse per verksamhet, sorted by size and ending in the total, with relative pins; ``period``
    ("jan–aug 2025") names the months in the title, where no heading above the chart does. With ``few_ticks``
    (a slide, also seen on a tablet), level scales with few labels: the slide's large figures ran into each
    other and were turned on end."""
    frame = activity_variance.sort_values("variance_ytd", ascending=True)
    names = [escape(name) for name in frame["activity"]] + ["Summa"]
    values = list(frame["variance_ytd"] / 1000.0) + [total_variance / 1000.0]
    if "variance_year" in frame:
        return _variance_and_year_end(names, values, list(frame["variance_year"] / 1000.0), few_ticks)
    relative = list(frame["relative"] * 100.0) + [total_relative * 100.0]
    order = ["Summa"] + names[:-1]  # total at the bottom
    colours = [GOOD if v >= 0 else BAD for v in values]
    widths = [0.6, 0.4] if few_ticks else [0.68, 0.32]
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=widths, horizontal_spacing=0.03,
                           subplot_titles=(f"Avvikelse {period}, tkr" if period else "Avvikelse, tkr",
                                           "Avvikelse i % av budget"))
    if not few_ticks:  # a page's chart, also on a phone or beside a tablet's menu, where the titles ran into
        # each other ("Avvikelse jan–aug 2025, tkrAvvikelse i % av budge", 2026-12-06 walk): each on two short
        # lines, the first from the plot's left edge, the second ending at its right edge
        first, second = figure.layout.annotations[:2]
        first.update(text="Avvikelse, tkr" + (f"<br>{period}" if period else ""), x=0, xanchor="left", align="left")
        second.update(text="Avvikelse<br>i % av budget", x=1, xanchor="right", align="right")
    figure.add_bar(y=names, x=values, orientation="h", marker_color=colours, showlegend=False,
                   text=[format_tkr(v * 1000, unit=False, plus=True) for v in values], textposition="outside",
                   cliponaxis=False, hovertemplate="%{y}: %{x:,.0f} tkr<extra></extra>", row=1, col=1)
    pins = [0 if np.isnan(r) else r for r in relative]
    for name, value in zip(names, pins):
        figure.add_shape(type="line", x0=0, x1=value, y0=name, y1=name, line=dict(color="#777", width=2),
                         row=1, col=2)
    figure.add_scatter(y=names, x=pins, mode="markers", showlegend=False,
                       marker=dict(size=12, color=[GOOD if p >= 0 else BAD for p in pins]),
                       text=[format_percent(r / 100.0) if not np.isnan(r) else "–" for r in relative],
                       hovertemplate="%{y}: %{text}<extra></extra>", row=1, col=2)
    figure.update_yaxes(categoryorder="array", categoryarray=order, automargin=True)
    figure.update_xaxes(zeroline=True, zerolinecolor="#333", gridcolor="#eee")
    figure.update_xaxes(ticksuffix=" %", row=1, col=2)
    span = max(abs(v) for v in values) if values else 1.0
    figure.update_xaxes(range=[-span * 1.35, span * 1.35], tickformat=",.0f", row=1, col=1)
    if few_ticks:
        figure.update_xaxes(nticks=4, row=1, col=1)
    # Labels at zero and the farthest line only, level: a narrow column's labels were turned on end and cut.
    figure.update_xaxes(tickangle=0, **percent_ticks(pins), row=1, col=2)
    figure.update_annotations(font_size=16)
    figure = _layout(figure, height=max(360, 34 * len(names) + 90) + (0 if few_ticks else TWO_LINE_TITLES))
    if not few_ticks:  # the titles' second lines below the toolbar, which covered "Avvikelse" (2026-12-07 walk)
        figure.update_layout(margin_t=figure.layout.margin.t + TWO_LINE_TITLES)
    return figure


TWO_LINE_TITLES = 30  # px more above a chart whose titles take two lines, so that the toolbar stands above them
INSIDE_LABEL = 0.8  # a bar this share of the scale's farthest value or longer has its label inside


def _variance_and_year_end(names: list[str], so_far: list[float], year_end: list[float],
                           few_ticks: bool) -> go.Figure:
    """``variance_chart`` with a frame's ``variance_year`` (``domain.meeting.year_end_variances``): the
    avvikelse so far and at year end by the period's forecast side by side, on one scale, in tkr; the year-end
    bars lighter, as a forecast is drawn lighter than the utfall. The second Summa is the column's sum."""
    ends = year_end + [float(sum(year_end))]
    order = ["Summa"] + names[:-1]
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                           subplot_titles=VARIANCE_PANELS)
    span = max(abs(v) for v in so_far + ends) or 1.0
    # The label of a bar reaching near the scale's end stands inside it, at its end and at the same size: beside it,
    # on a tablet's slide, "+12 256" ran past the chart's edge (2026-12-07 walk). White on the utfall's full colour,
    # dark on the forecast's lighter one.
    for column, values, opacity, inside in ((1, so_far, 1.0, "#fff"), (2, ends, 0.6, "#111")):
        figure.add_bar(y=names, x=values, orientation="h", marker_color=[GOOD if v >= 0 else BAD for v in values],
                       marker_opacity=opacity, showlegend=False, cliponaxis=False, constraintext="none",
                       textposition=["inside" if abs(v) >= INSIDE_LABEL * span else "outside" for v in values],
                       insidetextanchor="end", insidetextfont_color=inside,
                       text=[format_tkr(v * 1000, unit=False, plus=True) for v in values],
                       hovertemplate="%{y}: %{x:,.0f} tkr<extra></extra>", row=1, col=column)
    figure.update_yaxes(categoryorder="array", categoryarray=order, automargin=True)
    figure.update_xaxes(zeroline=True, zerolinecolor="#333", gridcolor="#eee", tickformat=",.0f", tickangle=0,
                        range=[-span * 1.45, span * 1.45], nticks=4 if few_ticks else None)
    figure.update_annotations(font_size=16)
    return _layout(figure, height=max(360, 34 * len(names) + 90))


def percent_ticks(values: list[float]) -> dict:
    """A percent scale with a line at every round step within the values (the largest of 1, 2, 5, 10, 20, 50 …
    that the farthest value reaches) but labels only at zero and at the line farthest from it (a slide's
    column on a tablet has room for two), written as the product writes a percentage."""
    low_value, high_value = min([0.0, *values]), max([0.0, *values])
    reach = max(-low_value, high_value)
    step = max([s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if s <= reach] or [1])
    low, high = -(-low_value // step) * step, high_value // step * step
    lines = [float(v) for v in np.arange(low, high + step / 2, step)]
    labelled = {0.0, high if high >= -low else low}
    return dict(tickmode="array", tickvals=lines, ticksuffix="",
                ticktext=[format_percent(v / 100, 0) if v in labelled else "" for v in lines])


def five_percent_chart(history) -> go.Figure:
    """The nämnd's 5 % rule year by year (``domain.goals.RuleYear``): the outcome against the delår 2 forecast,
    signed as every avvikelse (plus = a result better than forecast), green within ±5 % and red beyond, with
    the rule's two lines."""
    judged = [r for r in history if r.deviation is not None]
    years = [str(r.year) for r in judged]
    values = [r.outcome_vs_forecast * 100.0 for r in judged]
    figure = go.Figure()
    labels = [format_percent(r.outcome_vs_forecast, plus=True) for r in judged]
    figure.add_bar(x=years, y=values, marker_color=[GOOD if abs(v) <= 5.0 + 1e-9 else BAD for v in values],
                   customdata=labels, showlegend=False, hovertemplate="%{x}: %{customdata}<extra></extra>")
    for level in (5.0, -5.0):
        figure.add_hline(y=level, line=dict(color="#333", dash="dash", width=2))
    # Each figure at the end of its bar on a white ground, so that a rule's line behind it does not run through it
    # (on the meeting's slide the chart is short, and "+2,0 %" stood on the 5 % line).
    for number, (value, label) in enumerate(zip(values, labels)):  # x by serial number: "2019" read as a number
        figure.add_annotation(x=number, y=value, yanchor="bottom" if value >= 0 else "top", showarrow=False,
                              text=label, bgcolor="rgba(255,255,255,0.9)", borderpad=1, name=RULE_FIGURE)
    # The sign said beside the rule's line: on the meeting's slide the chart is a third of 720 px high, and an axis
    # title as long was cut.
    # A few px above the line: set on it, its g, p and ä touched the dashes (2026-12-06 walk, slide 6).
    figure.add_annotation(x=0, xref="paper", xanchor="left", y=5.0, yanchor="bottom", yshift=4, showarrow=False,
                          text=RULE_LINE_CAPTION, name=RULE_LINE)
    span = max([6.0, *(abs(v) for v in values)]) * 1.6
    figure.update_yaxes(ticksuffix=" %", range=[-span, span], zeroline=True, zerolinecolor="#333")
    figure.update_xaxes(type="category")
    return _layout(figure, height=380)


PARTLY_COLOUR, PENDING_COLOUR = "#f9a825", "#9e9e9e"


def goal_summary_chart(summary) -> go.Figure:
    """Per målområde, its inriktningsmål by bedömning as one stacked bar (``goals.area_summary_table``): green
    reached, yellow partly, red not, grey not yet assessed; each segment labelled with its symbol and count,
    so the chart also reads in black and white."""
    from domain.goals import ASSESSMENTS, MET, NOT_MET, PARTLY, SYMBOLS

    colours = {MET: GOOD, PARTLY: PARTLY_COLOUR, NOT_MET: BAD}
    rows = [row for row in summary.rows if row["area"] != "Summa"][::-1]  # the first målområde on top
    areas = [escape(row["area"]) for row in rows]
    figure = go.Figure()
    for value in ASSESSMENTS:
        counts = [row[value] for row in rows]
        if not any(counts):
            continue
        figure.add_bar(y=areas, x=counts, orientation="h", name=f"{SYMBOLS[value]} {value}",
                       marker_color=colours.get(value, PENDING_COLOUR),
                       text=[f"{SYMBOLS[value]} {c}" if c else "" for c in counts], textposition="inside",
                       insidetextanchor="middle", textfont=dict(size=18, color="white" if value != PARTLY else "#222"),
                       hovertemplate="%{y}: %{x} inriktningsmål<extra>" + value + "</extra>")
    figure.update_layout(barmode="stack")
    figure.update_xaxes(title_text="Antal inriktningsmål", dtick=1, gridcolor=GRID)
    # Every målområde named, however little room it has (on a phone Plotly left every other name out).
    figure.update_yaxes(automargin=True, tickmode="array", tickvals=areas, ticktext=areas)
    figure = _layout(figure, height=max(240, 90 + 48 * len(rows)))
    figure.update_layout(legend_traceorder="normal")
    return figure


def comparison_chart(rows, *, names_only: bool = False) -> go.Figure:
    """Each cost KPI against the comparison group (``comparison.chart_rows``): the group's range as a grey
    bar, its median at 0 as a line, riket as a grey diamond (a tick looked like the median's line in the legend)
    and our value as a dot, green where it is good for the budget (below the median for a cost) and red where
    it is not. Our value and the median are in the label, on a second line; ``names_only`` (a slide, whose
    sentence gives the figures) names each row on one line."""
    rows = list(rows)[::-1]  # the first KPI on top
    labels = [escape(r.label) if names_only else
              f"{escape(r.label)}<br><b>{escape(r.own_text)}</b> · median {escape(r.median_text)}" for r in rows]
    figure = go.Figure()
    figure.add_bar(y=labels, x=[(r.high - r.low) * 100 for r in rows], base=[r.low * 100 for r in rows],
                   orientation="h", marker=dict(color="#d9d9d9"),
                   # the others' range: our own value may lie outside it, where the walk found it unexplained
                   name="De andras spann" if names_only else "De andra kommunernas spann (lägst–högst)",
                   width=0.5, hoverinfo="skip")
    colours = [GOOD if r.favourable else BAD if r.favourable is False else ACTUAL for r in rows]
    figure.add_scatter(y=labels, x=[r.own * 100 for r in rows], mode="markers", showlegend=False,
                       marker=dict(size=20, color=colours, line=dict(width=1, color="white")),
                       hovertemplate="Vi: %{x:+.0f} % mot gruppens median<extra></extra>")
    # Riket over our dot, the smaller mark on top: where the two are close both are seen.
    riket = [(label, r) for label, r in zip(labels, rows) if r.riket is not None]
    figure.add_scatter(y=[label for label, _ in riket], x=[r.riket * 100 for _, r in riket], mode="markers",
                       name="Riket", marker=dict(symbol="diamond", size=14, color="#555",
                                                 line=dict(width=1, color="white")),
                       hovertemplate="Riket: %{x:+.0f} % mot gruppens median<extra></extra>")
    # Our dot in the legend in its two colours (one grey dot told of colours the legend did not show). A
    # slide's legend has half its width for an entry, on a tablet too, and a third line would take the chart's
    # room: one entry there, that names the colours.
    legend = ((ACTUAL, "Vi (grönt lägre, rött högre)"),) if names_only else \
        ((GOOD, "Vi, lägre än medianen"), (BAD, "Vi, högre än medianen"))
    for colour, name in legend:
        figure.add_scatter(x=[None], y=[None], mode="markers", name=name, marker=dict(size=16, color=colour))
    figure.add_vline(x=0, line=dict(color="#222", width=2))
    # In the legend as the chart draws it: a vertical line through zero.
    figure.add_scatter(x=[None], y=[None], mode="markers", name="Gruppens median",
                       marker=dict(symbol="line-ns-open", size=28, color="#222", line=dict(width=2, color="#222")))
    figure.update_xaxes(title_text="Skillnad mot gruppens median, %", ticksuffix=" %", gridcolor=GRID,
                        zeroline=False, **_whole_ticks([v * 100 for r in rows for v in (r.low, r.high, r.own, r.riket)
                                                        if v is not None]))
    # Every row named, however little room it has (Plotly leaves out category labels it finds crowded).
    figure.update_yaxes(automargin=True, tickfont=dict(size=16, color="#222"), tickmode="array", tickvals=labels,
                        ticktext=labels)
    figure = _layout(figure, height=max(300, 110 + 78 * len(rows)))
    figure.update_layout(barmode="overlay")
    return figure


def _whole_ticks(values: list[float]) -> dict:
    """An axis whose both ends are ticks, with room for a dot beyond the last value: on a phone Plotly's own
    ticks ran 0 %, 20 %, 40 % with our dot at −15 % left of the first, its value unreadable from the scale
    (2026-12-06 walk)."""
    if not values:
        return {}
    low, high = min(0.0, *values), max(0.0, *values)
    span = max(high - low, 1.0)
    step = next(s for s in (5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10**9) if span / s <= 5)
    pad = 0.06 * span
    # A tick left of every value and one within half a step of the last (a whole empty step took a quarter of
    # the slide), and half an end tick's label inside the plot: a phone dropped "−20 %" at its edge.
    first, last = math.floor((low - pad) / step) * step, math.ceil((high + pad) / (step / 2)) * (step / 2)
    room = 0.07 * (last - first)
    return dict(range=[first - room, last + room], dtick=step, tick0=0)


def comparison_trend_chart(frame: pd.DataFrame, unit: str, own_name: str) -> go.Figure:
    """Five years of one KPI (``comparison.trend``): the group's range shaded, its median dashed, riket
    dotted and our own line solid."""
    years = [str(int(y)) for y in frame["year"]]
    value = "%{y:,.1f} %" if unit == "procent" else "%{y:,.0f} kr"
    figure = go.Figure()
    figure.add_scatter(x=years, y=frame["high"], mode="lines", line=dict(width=0), showlegend=False,
                       hoverinfo="skip")
    figure.add_scatter(x=years, y=frame["low"], mode="lines", line=dict(width=0), fill="tonexty",
                       fillcolor="rgba(0,0,0,0.10)", name="De andra kommunernas spann", hoverinfo="skip")
    figure.add_scatter(x=years, y=frame["median"], mode="lines+markers", name="Gruppens median",
                       line=dict(color=FORECAST, dash="dash", width=3),
                       hovertemplate="%{x}: " + value + "<extra>Gruppens median</extra>")
    figure.add_scatter(x=years, y=frame["riket"], mode="lines", name="Riket",
                       line=dict(color="#555", dash="dot", width=2),
                       hovertemplate="%{x}: " + value + "<extra>Riket</extra>")
    figure.add_scatter(x=years, y=frame["own"], mode="lines+markers", name=escape(own_name or "Vi"),
                       line=dict(color=ACTUAL, width=4), marker=dict(size=10),
                       hovertemplate="%{x}: " + value + "<extra></extra>")
    # The lines' own range, not from zero: a gap of a few percent to the group is what the chart is for.
    # A percentage's scale carries its sign ("5,0" stood with no "%" beside "−5,0", 2026-12-06 walk).
    figure.update_yaxes(title_text="procent" if unit == "procent" else "kr per invånare",
                        tickformat=",.1f" if unit == "procent" else ",.0f",
                        ticksuffix="\u00a0%" if unit == "procent" else "")
    figure.update_xaxes(type="category")
    return _layout(figure, height=420)


def forecast_fan(actual_monthly: pd.DataFrame, budget_monthly: pd.DataFrame, fan: pd.DataFrame, *,
                 point: float, manual_total: float | None, target: float = 0.05,
                 locked: float | None = None, manual_label: str = MANAGERS_DEFAULT) -> go.Figure:
    """Cumulative net cost: utfall solid, budget outlined, forecast hatched with its P10–P90 fan,
    the ±5 % band around the period's forecast (``locked``, a locked version's year-end, when there is one,
    else the statistical ``point``: the figure the 5 % rule judges), and the managers' own forecast."""
    cost = lambda v: -np.asarray(v, dtype=float) / 1000.0  # report sign → net cost in tkr
    figure = go.Figure()
    figure.add_bar(x=budget_monthly["label"], y=cost(budget_monthly["cumulative"]), name="Budget",
                   offsetgroup="budget", marker=dict(color="rgba(0,0,0,0)", line=dict(color=BUDGET, width=2)),
                   hovertemplate="%{x}: %{y:,.0f} tkr<extra>Budget ackumulerat</extra>")
    figure.add_bar(x=actual_monthly["label"], y=cost(actual_monthly["cumulative"]), name="Utfall",
                   offsetgroup="actual", marker=dict(color=ACTUAL),
                   hovertemplate="%{x}: %{y:,.0f} tkr<extra>Utfall ackumulerat</extra>")
    figure.add_bar(x=fan["label"], y=cost(fan["cum_mean"]), name="Statistisk prognos", offsetgroup="actual",
                   marker=dict(color="white", line=dict(color=FORECAST, width=1.5),
                               pattern=dict(shape="/", fgcolor=FORECAST, size=8)),
                   hovertemplate="%{x}: %{y:,.0f} tkr<extra>Prognos ackumulerat</extra>")
    if interval_known(fan["cum_p10"]):
        figure.add_scatter(x=list(fan["label"]) + list(fan["label"])[::-1],
                           y=list(cost(fan["cum_p90"])) + list(cost(fan["cum_p10"]))[::-1], fill="toself",
                           mode="lines", fillcolor="rgba(31,95,139,0.18)", line=dict(width=0), name="P10–P90",
                           hoverinfo="skip")
    last = fan["label"].iloc[-1] if len(fan) else "dec"
    judged = point if locked is None else locked
    low, high = sorted((cost(judged * (1 - target)).item(), cost(judged * (1 + target)).item()))
    if manual_total is not None and np.isfinite(manual_total):
        figure.add_scatter(x=[last], y=[cost(manual_total).item()], mode="markers", name=escape(manual_label),
                           marker=dict(symbol="diamond", size=16, color="#e0a800", line=dict(color="#333", width=1)),
                           hovertemplate="%{y:,.0f} tkr<extra>" + escape(manual_label) + "</extra>")
    # A bracket with whiskers, drawn over the December bars and the diamond, so that it is seen (a light band
    # there was hidden behind them).
    middle = cost(judged).item()
    figure.add_scatter(x=[last], y=[middle], mode="markers", name=fan_rule_label(locked is not None),
                       marker=dict(symbol="line-ew", size=18, color="#1f5f8b", line=dict(width=3, color="#1f5f8b")),
                       error_y=dict(type="data", symmetric=False, array=[high - middle], arrayminus=[middle - low],
                                    width=12, thickness=3, color="#1f5f8b"),
                       hovertemplate=f"±5 %: {format_number(low)}–{format_number(high)} tkr<extra></extra>")
    figure.update_layout(barmode="group", bargap=0.25, title=dict(text="Nettokostnad ackumulerat, tkr", font_size=18))
    figure.update_yaxes(tickformat=",.0f", rangemode="tozero")
    return _layout(figure, height=480)


def result_path_chart(path: pd.DataFrame) -> go.Figure:
    """The result against budget accumulated over the year (``domain.forecast_view.result_path``): utfall
    solid, the forecast dashed with its P10–P90, zero the budget, and December's figure written out. With a
    locked version as the period's forecast, that version is the dashed line and the figure written out, and
    the statistical forecast is dotted inside its P10–P90."""
    ahead = path[path["mean"].notna()]
    locked = path[path["locked"].notna()]
    main = locked["locked"] if not locked.empty else ahead["mean"]
    figure = go.Figure()
    if interval_known(ahead["p10"]):
        figure.add_scatter(x=list(ahead["label"]) + list(ahead["label"])[::-1],
                           y=list(ahead["p90"] / 1000.0) + list(ahead["p10"] / 1000.0)[::-1], fill="toself",
                           mode="lines", fillcolor="rgba(31,95,139,0.18)", line=dict(width=0),
                           name=interval_legend(not locked.empty), hoverinfo="skip")
    figure.add_scatter(x=path["label"], y=path["actual"] / 1000.0, mode="lines+markers", name="Utfall",
                       line=dict(color=ACTUAL, width=3), marker=dict(size=8),
                       hovertemplate="%{x}: %{y:+,.0f} tkr<extra>Utfall mot budget</extra>")
    if locked.empty:
        # Named as the statistical one beside the verksamheternas diamond: "Prognos" beside "Verksamheternas
        # prognos aug 2025" left a member to guess whose the line was (2026-12-07 socialdirektör walk).
        figure.add_scatter(x=ahead["label"], y=ahead["mean"] / 1000.0, mode="lines+markers", name="Statistisk prognos",
                           line=dict(color=FORECAST_LINE, width=3, dash="dash"), marker=dict(size=8),
                           hovertemplate="%{x}: %{y:+,.0f} tkr<extra>Statistisk prognos mot budget</extra>")
    else:
        figure.add_scatter(x=ahead["label"], y=ahead["mean"] / 1000.0, mode="lines", name="Statistisk prognos",
                           line=dict(color=STATISTICAL_BESIDE, width=2, dash="dot"),
                           hovertemplate="%{x}: %{y:+,.0f} tkr<extra>Statistisk prognos mot budget</extra>")
        figure.add_scatter(x=locked["label"], y=locked["locked"] / 1000.0, mode="lines+markers", name="Låst version",
                           line=dict(color=FORECAST_LINE, width=3, dash="dash"), marker=dict(size=8),
                           hovertemplate="%{x}: %{y:+,.0f} tkr<extra>Låst version mot budget</extra>")
    manual = path[path["manual"].notna()]
    if not manual.empty:
        name = escape(str(manual["manual_name"].iloc[-1]) if "manual_name" in manual else MANAGERS_DEFAULT)
        figure.add_scatter(x=manual["label"], y=manual["manual"] / 1000.0, mode="markers", name=name,
                           marker=dict(symbol="diamond", size=16, color="#e0a800", line=dict(color="#333", width=1)),
                           hovertemplate=f"%{{y:+,.0f}} tkr<extra>{name}</extra>")
        # Its figure written out over the marker (the forecast's is on its right), on the side of the forecast's
        # line where its value lies: a walk read "+10,5 mnkr" written over the dashed line beside "+10,3 mnkr",
        # and one (2026-12-06) "+7,2 mnkr", written left of the marker, as November's. No white ground: one hid the
        # top of the interval in December, which then looked lower than its P90 (2026-12-06 walk).
        own = float(manual["manual"].iloc[-1])
        above = main.empty or own >= float(main.iloc[-1])
        figure.add_annotation(x=manual["label"].iloc[-1], y=own / 1000.0, text=format_mnkr(own, plus=True),
                              showarrow=False, xanchor="center", yanchor="bottom" if above else "top",
                              yshift=12 if above else -12, name=MANAGERS,
                              font=dict(size=16, color="#8a5a00"))
    if not main.empty:
        end = float(main.iloc[-1])
        beside = float(ahead["mean"].iloc[-1]) if not locked.empty and not ahead.empty else None
        if beside is not None and format_mnkr(beside, plus=True) == format_mnkr(end, plus=True):
            beside = None  # the same figure, written once
        # Beside a locked version, the statistical forecast's December figure too, smaller and in its lighter
        # blue; each figure on its own side of the other, so that two close figures never run together.
        up = beside is None or end >= beside
        figure.add_annotation(x=path.loc[main.index[-1], "label"], y=end / 1000.0, text=format_mnkr(end, plus=True),
                              showarrow=False, xanchor="left", xshift=12, name=YEAR_END,
                              bgcolor="rgba(255,255,255,0.85)",
                              # the period's forecast, the figure the sentence names: the heaviest on the chart
                              font=dict(size=18, color=FORECAST_LINE, weight="bold"),
                              **({} if beside is None else dict(yanchor="bottom" if up else "top",
                                                                yshift=-4 if up else 4)))
        if beside is not None:
            figure.add_annotation(x=ahead["label"].iloc[-1], y=beside / 1000.0, showarrow=False, xanchor="left",
                                  xshift=12, yanchor="top" if up else "bottom", yshift=-2 if up else 2,
                                  text=f"statistisk {format_mnkr(beside, plus=True)}", name=BESIDE,
                                  # on a white ground: near zero the budget line ran through it (2026-12-05 walk)
                                  font=dict(size=15, color=STATISTICAL_TEXT), bgcolor="rgba(255,255,255,0.85)")
    figure.add_hline(y=0, line=dict(color="#333", width=1.5), annotation_text="Budget",
                     annotation_position="bottom left", annotation_font_size=14)
    figure.update_layout(title=dict(text="Mot budget ackumulerat, tkr", font_size=18), showlegend=True)
    figure.update_yaxes(tickformat=",.0f", zeroline=False)
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=list(path["label"]))
    return _layout(figure, height=460)


def track_record_chart(record: pd.DataFrame, target: float = 0.05) -> go.Figure:
    """The outcome against the forecast per year (statistical and the managers'; plus = better than forecast, as
    every avvikelse), green inside ±5 %, red outside. Two bars
    a year leave no room for readable value labels; the table beside the chart gives every value."""
    figure = go.Figure()
    names = {"statistisk": "Statistisk prognos", "verksamheternas": "Verksamheternas prognos"}
    patterns = {"statistisk": "", "verksamheternas": "/"}
    for kind, rows in record.groupby("kind"):
        figure.add_bar(x=rows["year"].astype(str), y=rows["deviation"] * 100, name=names.get(kind, kind),
                       marker=dict(color=[GOOD if ok else BAD for ok in rows["within_target"]],
                                   pattern=dict(shape=patterns.get(kind, ""), fgcolor="white", size=7,
                                                fillmode="overlay")),
                       customdata=[format_percent(e, plus=True) for e in rows["deviation"]], showlegend=False,
                       hovertemplate="%{x}: %{customdata}<extra>" + names.get(kind, kind) + "</extra>")
    # The legend explains the two kinds by their fill (a bar's colour says inside or outside ±5 %);
    # entries of their own, in grey, since a bar coloured year by year has no one colour to show.
    for kind in record["kind"].unique():
        figure.add_bar(x=[None], y=[None], name=names.get(kind, kind), hoverinfo="skip",
                       marker=dict(color=FORECAST, pattern=dict(shape=patterns.get(kind, ""), fgcolor="white", size=7,
                                                              fillmode="overlay")))
    for name, colour in (("Inom ±5 %", GOOD), ("Utanför ±5 %", BAD)):
        figure.add_bar(x=[None], y=[None], name=name, marker_color=colour, hoverinfo="skip")
    for level in (target * 100, -target * 100):
        figure.add_hline(y=level, line=dict(color="#555", dash="dash", width=1.5))
    figure.update_layout(barmode="group", bargroupgap=0.15,
                         title=dict(text="Utfall i december mot prognosen, % (gräns ±5 %)", font_size=18))
    figure.update_yaxes(ticksuffix=" %", zeroline=True, zerolinecolor="#333")
    return _layout(figure, height=420)


def _wrapped(label: str, width: int = 28) -> str:
    """A long category name over two or more lines, so that it leaves the bars their room in a narrow
    column ("Konsulentstödd familjehemsvård barn och unga: volym" took half the scenario chart at 1280 px).
    A quoted name that fits on a line is kept whole (2026-12-07 walk: 'Låst version "Delårsrapport' over '2 2025"').
    """
    kept = re.sub(r'"[^"]+"', lambda name: name[0].replace(" ", NBSP) if len(name[0]) <= width else name[0], label)
    return "<br>".join(escape(line) for line in textwrap.wrap(kept, width, break_long_words=False)) or escape(label)


def _horizontal_waterfall(start_label: str, start: float, steps: list[tuple[str, float]], end_label: str,
                          end: float, *, up: str, down: str, axis_title: str, height: int | None,
                          wrap: int = 28, signed: bool = True) -> go.Figure:
    """A bridge drawn horizontally from zero: steps down the y-axis so long labels read across, and a
    bar's length is its amount (IBCS).

    The figure is built in one go from plain dicts, layout included: the scenario sliders redraw
    it on every move, and Plotly's update methods, or a trace object the figure then copies, cost
    several times more than one constructor. It carries no Plotly template ("none"): every colour
    is set here and the browser applies Streamlit's theme anyway, while the default template
    would be three quarters of what is validated, copied and sent on each move.
    """
    measures = ["absolute"] + ["relative"] * len(steps) + ["total"]
    labels = [_wrapped(label, wrap) for label in (start_label, *(name for name, _ in steps), end_label)]
    # Without a height (on a page), tall enough for every row and its lines: thirteen steps of two-line
    # names ran into each other in 420 px. A slide gives its own height and shows fewer steps instead.
    height = height or max(420, 110 + sum(30 + 17 * label.count("<br>") for label in labels))
    values = [start / 1000.0] + [value / 1000.0 for _, value in steps] + [end / 1000.0]
    # Totals against budget are avvikelser and carry their sign as the steps do ("+7 204"); a net result's
    # do not (``signed``).
    texts = [format_tkr(start, unit=False, plus=signed) if start else ""] + \
        [format_tkr(v, unit=False, plus=True) for _, v in steps] + [format_tkr(end, unit=False, plus=signed)]
    levels = np.cumsum(values[:-1]).tolist() + [values[-1]]
    low, high = min(0.0, *levels), max(0.0, *levels)
    pad = max(high - low, 1.0) * 0.22  # room for the value labels outside the bars
    # A step's label stands beyond its end: room on the side where a step ends near the axis's edge.
    steps_drawn = list(zip(levels[1:-1], values[1:-1]))  # each step's end and amount
    # A label left of a step that ends near zero must clear the axis line and the category names.
    left = max(pad if low < 0 else 0.0,
               2.2 * pad if any(v < 0 and e - low < 2.2 * pad for e, v in steps_drawn) else 0.0)
    right = pad if high > 0 or any(v > 0 and high - e < pad for e, v in steps_drawn) else 0.0
    xaxis = dict(Y_AXIS, tickformat=",.0f", title_text=axis_title, zeroline=True, zerolinecolor="#333",
                 zerolinewidth=2, range=[low - left, high + right], tickfont=dict(color=AXIS_TEXT),
                 title_font=dict(color=AXIS_TEXT))
    return go.Figure(
        data=[dict(
            type="waterfall", orientation="h", y=labels, x=values, measure=measures, text=texts,
            # A total's amount inside its bar where it fits: outside, a long negative total's ran into the
            # names at the axis ("Med scena−31 540"). A step's stays beyond its end.
            textposition=["auto" if measure != "relative" else "outside" for measure in measures],
            cliponaxis=False, increasing=dict(marker=dict(color=up)),
            decreasing=dict(marker=dict(color=down)), totals=dict(marker=dict(color=ACTUAL)),
            connector=dict(visible=bool(steps), line=dict(color="#999", width=1)),
            hovertemplate="%{y}: %{text} tkr<extra></extra>")],  # the step itself, not the running total
        layout=dict(_base_layout(height), xaxis=xaxis,
                    # The names dark and as large as the figures (Streamlit's theme set them small and grey).
                    yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=15, color=AXIS_TEXT)),
                    template="none", margin=dict(l=10, r=30, t=20, b=10)))


def variance_bridge_chart(start_label: str, start: float, steps: list[tuple[str, float]], end_label: str,
                          end: float, height: int | None = None, wrap: int = 28) -> go.Figure:
    """The result against budget (positive = surplus) from one total to another; zero is the budget. Names
    longer than ``wrap`` characters are set over several lines (a slide has room for longer lines)."""
    return _horizontal_waterfall(start_label, start, steps, end_label, end, up=GOOD, down=BAD, height=height,
                                 axis_title="Mot budget, tkr (+ = överskott)", wrap=wrap)


def result_bridge_chart(start_label: str, start: float, steps: list[tuple[str, float]], end_label: str,
                        end: float, budget: float | None, height: int | None = None, wrap: int = 28) -> go.Figure:
    """A bridge of the nämnd's net result: against budget where there is one (zero is the budget, positive
    a surplus), otherwise the net result itself from zero (a net cost is negative)."""
    if budget is None:
        return _horizontal_waterfall(start_label, start, steps, end_label, end, up=GOOD, down=BAD, height=height,
                                     axis_title="Nettoresultat, tkr (negativt = nettokostnad)", wrap=wrap,
                                     signed=False)
    return variance_bridge_chart(start_label, start - budget, steps, end_label, end - budget, height, wrap)


def cost_bridge_chart(bridge, height: int | None = None, wrap: int = 28) -> go.Figure:
    """A bridge of costs as avvikelse against A (``domain.placements.cost_bridge``): a step up is less cost,
    i.e. favourable (green), as in every other bridge."""
    return _horizontal_waterfall(bridge.start_label, 0.0, bridge.steps, bridge.end_label, bridge.end, up=GOOD,
                                 down=BAD, height=height, axis_title=bridge.axis_title, wrap=wrap)


def volume_trend_chart(volumes: pd.DataFrame, forecast, year: int, month: int, unit: str) -> go.Figure:
    """Care days per month (utfall) and à-pris, with the rest of the year's forecast and its band."""
    from domain.periods import MONTH_ABBREVIATIONS

    data = volumes.sort_values(["year", "month"])
    data = data[data["year"] >= year - 2]
    data = data[(data["year"] < year) | (data["month"] <= month)]
    labels = [f"{MONTH_ABBREVIATIONS[m - 1]} {y}" for y, m in zip(data["year"], data["month"])]
    price = data["cost_kr"] / data["care_days"].where(data["care_days"] > 0)
    per_day, title, unit = unit == "dygn", escape(str(unit).capitalize()), escape(unit)
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_bar(x=labels, y=data["care_days"], name=f"Utfall, {unit}", marker_color=ACTUAL,
                   hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra></extra>")
    if forecast is not None and len(forecast.days.monthly):
        fan = forecast.days.monthly
        future = [f"{MONTH_ABBREVIATIONS[p.month - 1]} {p.year}" for p in fan["period"]]
        figure.add_bar(x=future, y=fan["mean"], name=f"Prognos, {unit} (P10–P90)",
                       marker=dict(color="white", line=dict(color=FORECAST, width=1.5),
                                   pattern=dict(shape="/", fgcolor=FORECAST, size=8)),
                       error_y=dict(type="data", symmetric=False, array=(fan["p90"] - fan["mean"]).to_numpy(),
                                    # the bars' own grey: in the price line's blue they read as part of it
                                    arrayminus=(fan["mean"] - fan["p10"]).to_numpy(), color=FORECAST),
                       hovertemplate=f"%{{x}}: %{{y:,.0f}} {unit}<extra>Prognos</extra>")
    figure.add_scatter(x=labels, y=price, name="À-pris, kr", mode="lines+markers", line=dict(color="#1f5f8b"),
                       hovertemplate="%{x}: %{y:,.0f} kr<extra>À-pris</extra>", secondary_y=True)
    figure.update_yaxes(title_text=title, tickformat=",.0f", secondary_y=False, rangemode="tozero")
    # The right axis has ticks of its own at round numbers, not the left axis's lines carried across.
    figure.update_yaxes(title_text="Kr per dygn" if per_day else "Kr per dag", tickformat=",.0f",
                        secondary_y=True, rangemode="tozero", showgrid=False, tickmode="auto", nticks=6)
    _quarter_ticks(figure, labels + (future if forecast is not None and len(forecast.days.monthly) else []),
                   months=("jan", "jul"))  # a half-width chart: two labels a year
    figure.update_layout(title=dict(text="Dygn per månad och à-pris", font_size=18))
    return _layout(figure, height=500)


def sick_leave_chart(nämnd: pd.DataFrame, municipality: pd.DataFrame | None, trend, rolling: pd.Series,
                     national: float | None) -> go.Figure:
    """Monthly sick leave (%) of the nämnd against the municipality, last year, rolling 12 and trend."""
    from domain.periods import MONTH_ABBREVIATIONS

    labels = [f"{MONTH_ABBREVIATIONS[p.month - 1]} {p.year}" for p in nämnd["period"]]
    figure = go.Figure()
    figure.add_scatter(x=labels, y=nämnd["rate"] * 100, name="Nämnden", mode="lines+markers",
                       line=dict(color=ACTUAL, width=3), hovertemplate="%{x}: %{y:.1f} %<extra>Nämnden</extra>")
    if municipality is not None and not municipality.empty:
        figure.add_scatter(x=labels, y=municipality["rate"] * 100, name="Kommunen", mode="lines",
                           line=dict(color="#8a8a8a", width=2), hovertemplate="%{x}: %{y:.1f} %<extra>Kommunen</extra>")
    if "rate_last_year" in nämnd:
        figure.add_scatter(x=labels, y=nämnd["rate_last_year"] * 100, name="Samma månad i fjol", mode="lines",
                           line=dict(color=ACTUAL, width=1.5, dash="dot"),
                           hovertemplate="%{x}: %{y:.1f} %<extra>Samma månad i fjol</extra>")
    figure.add_scatter(x=labels, y=rolling * 100, name="Rullande 12 månader", mode="lines",
                       line=dict(color="#1f5f8b", width=2, dash="dash"),
                       hovertemplate="%{x}: %{y:.1f} %<extra>Rullande 12 mån</extra>")
    if trend is not None:
        figure.add_scatter(x=labels, y=trend.reindex(nämnd["period"]).to_numpy() * 100, name="Trend (säsongsrensad)",
                           mode="lines", line=dict(color="#e0a800", width=3),
                           hovertemplate="%{x}: %{y:.1f} %<extra>Trend</extra>")
    if national:
        figure.add_hline(y=national, line=dict(color=GOOD, dash="dot", width=2),
                         annotation_text=f"Rikssnitt {format_percent(national / 100)}", annotation_position="top left")
    figure.update_yaxes(ticksuffix=" %", rangemode="tozero")
    _quarter_ticks(figure, labels)
    figure.update_layout(title=dict(text="Sjukfrånvaro per månad, % av ordinarie arbetstid", font_size=18))
    return _layout(figure, height=500)


def length_chart(nämnd: pd.DataFrame) -> go.Figure:
    """Sick leave by length (dag 1–14, 15–59, 60–) stacked to the total, and the long-term share."""
    from domain.periods import MONTH_ABBREVIATIONS
    from domain.sick_leave import LENGTH_COLUMNS, LENGTH_LABELS

    labels = [f"{MONTH_ABBREVIATIONS[p.month - 1]} {p.year}" for p in nämnd["period"]]
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    colours = {"sick_hours_day1_14": "#9ecae1", "sick_hours_day15_59": "#4292c6", "sick_hours_day60": "#08519c"}
    for column in LENGTH_COLUMNS:
        figure.add_bar(x=labels, y=nämnd[f"rate_{column}"] * 100, name=LENGTH_LABELS[column],
                       marker_color=colours[column], hovertemplate="%{x}: %{y:.1f} %<extra></extra>")
    figure.add_scatter(x=labels, y=nämnd["long_term_share"] * 100, name="Andel långtid (60– dagar)",
                       mode="lines+markers", line=dict(color=BAD, width=2),
                       hovertemplate="%{x}: %{y:.0f} %<extra>Andel långtid</extra>", secondary_y=True)
    figure.update_layout(barmode="stack", title=dict(text="Sjukfrånvaro efter längd, % av ordinarie arbetstid",
                                                     font_size=18))
    figure.update_yaxes(ticksuffix=" %", secondary_y=False)
    shares = [0, 25, 50, 75, 100]  # Plotly leaves out ticksuffix where the ticks are given as an array
    figure.update_yaxes(range=[0, 100], secondary_y=True, showgrid=False, title_text="Andel långtid",
                        tickmode="array", tickvals=shares, ticktext=[format_percent(s / 100, 0) for s in shares])
    _quarter_ticks(figure, labels)
    return _layout(figure, height=480)


def turnover_chart(turnover: pd.DataFrame, by: str) -> go.Figure:
    """Rolling 12-month external and internal staff turnover per group, %."""
    from domain.periods import MONTH_ABBREVIATIONS

    figure = go.Figure()
    palette = ["#1f5f8b", "#e0a800", "#2e7d32", "#8e24aa", "#c62828", "#555555"]
    # A group hidden every month (or under twelve months of history) has no line; a month hidden later leaves
    # a gap in its line.
    drawn = [(name, rows.loc[rows["turnover_external"].first_valid_index():])
             for name, rows in turnover.groupby(by) if rows["turnover_external"].notna().any()]
    for number, (name, rows) in enumerate(drawn):
        name = escape(name)
        labels = [f"{MONTH_ABBREVIATIONS[m - 1]} {y}" for y, m in zip(rows["year"], rows["month"])]
        colour = palette[number % len(palette)]
        figure.add_scatter(x=labels, y=rows["turnover_external"] * 100, name=f"{name}, extern", mode="lines",
                           line=dict(color=colour, width=2.5), hovertemplate="%{x}: %{y:.1f} %<extra></extra>")
        figure.add_scatter(x=labels, y=rows["turnover_internal"] * 100, name=f"{name}, intern", mode="lines",
                           line=dict(color=colour, width=1.5, dash="dot"),
                           hovertemplate="%{x}: %{y:.1f} %<extra></extra>")
    figure.update_yaxes(ticksuffix=" %", rangemode="tozero")
    _quarter_ticks(figure, [label for trace in figure.data for label in trace.x])
    figure.update_layout(title=dict(text="Personalomsättning, rullande 12 månader", font_size=18))
    return _layout(figure, height=500)
