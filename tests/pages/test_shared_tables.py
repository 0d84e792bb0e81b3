"""A styled table (a bold total row, a shaded warning row) is styled once and shared by every session
that draws it (issue 19)."""

from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.Dataframe_pb2 import Dataframe

from domain.tables import Column, Table
from ui import tables

TABLE = Table("Driftredovisning", (Column("name", "Verksamhet"), Column("net", "Netto, tkr", "tkr")),
              ({"name": "Äldreomsorg", "net": 1_234_000}, {"name": "Barn & unga <b>", "net": -56_000},
               {"name": "Summa", "net": 1_178_000}), emphasis=("", "warning", "total"))


def _marshalled(styler) -> Dataframe:
    proto = Dataframe()
    marshall_styler(proto.arrow_data, styler, "default")
    return proto


def _shared():
    labels = tuple(TABLE.labels)
    rows = tuple(map(tuple, tables.text_rows(TABLE)))
    return tables._styled(labels, rows, tuple(tables.ROW_STYLE[e] for e in TABLE.emphasis), False)


def test_issue_19_the_total_row_is_bold_and_the_warning_row_shaded():
    css = _marshalled(_shared()).arrow_data.styler.styles
    uuid = _shared().uuid
    assert css.splitlines() == [f"#T_{uuid}_row1_col0, #T_{uuid}_row1_col1 {{ background-color: #fdecea }}",
                                f"#T_{uuid}_row2_col0, #T_{uuid}_row2_col1 {{ font-weight: 700 }}"]


def test_issue_19_a_shared_table_is_styled_once_and_draws_the_same_every_time():
    styler = _shared()
    assert _shared() is styler  # one Styler per content, whichever session asks
    first = _marshalled(styler)
    calls = []
    styler._todo.append((lambda s: (lambda: calls.append(1)), (), {}))
    try:
        again = _marshalled(styler)
    finally:
        styler._todo.pop()
    assert calls == []  # drawing it again computes nothing
    assert again.SerializeToString() == first.SerializeToString()


def test_issue_19_the_shared_table_shows_what_a_fresh_styler_shows():
    labels = tuple(TABLE.labels)
    rows = tuple(map(tuple, tables.text_rows(TABLE)))
    styles = tuple(tables.ROW_STYLE[e] for e in TABLE.emphasis)
    fresh = tables._frame(labels, rows).style.apply(lambda row: [styles[row.name]] * len(row), axis=1)
    fresh.set_uuid(_shared().uuid)
    expected, shared = _marshalled(fresh).arrow_data, _marshalled(_shared()).arrow_data
    assert shared.styler.styles == expected.styler.styles
    assert shared.styler.display_values == expected.styler.display_values
