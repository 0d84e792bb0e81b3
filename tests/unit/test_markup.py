"""One escaping function for every name shown as Markdown, HTML or a chart label (issue 17)."""

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from domain.markup import escape, formula_like


def test_markup_becomes_character_references():
    assert escape("![px](http://host/p.png)") == "!&#91;px&#93;(http&#58;//host/p.png)"
    assert escape('<a href="http://x">x</a>') == '&#60;a href="http&#58;//x"&#62;x&#60;/a&#62;'
    assert escape("Barn & unga") == "Barn &#38; unga"
    assert escape("www.evil.se") == "www&#46;evil.se" and escape("kalle@kommun.se") == "kalle&#64;kommun.se"
    assert escape("- punkt") == "&#45; punkt" and escape("1. punkt") == "1&#46; punkt" and escape("---") == "&#45;" * 3
    assert escape("rad ett\n\nrad två\t!") == "rad ett rad två !"


def test_ordinary_names_are_left_as_they_are():
    for name in ("Nämnd- och styrelseverksamhet", "-29 år", "30-49 år", "Övriga verksamheter (3)",
                 "Institutionsplaceringar barn och unga", "Prognos delår 2 2025", "HVB/stödboende"):
        assert escape(name) == name
    assert escape(None) == "" and escape(float("nan")) == "" and escape(12) == "12"


@given(st.text())
def test_escaped_text_reads_as_typed_and_holds_no_markup(value):
    escaped = escape(value)
    assert html.unescape(escaped) == " ".join(value.split())
    assert not re.search(r"[\[\]<>`*_|~$\\]|!\[|\]\(|https?://|www\.", escaped, re.IGNORECASE)
    assert "\n" not in escaped


def test_formula_like_text():
    for text in ("=1+1", "+46 70", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil","x")'):
        assert formula_like(text)
    for value in ("Kommun", " =1", 12, None, ""):
        assert not formula_like(value)
