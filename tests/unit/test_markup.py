"""One escaping function for every name shown as Markdown, HTML or a chart label (issue 17)."""

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from domain.markup import ZERO_WIDTH_SPACE as ZW
from domain.markup import escape, escape_lines, formula_like


def test_markup_becomes_character_references():
    assert escape("![px](http://host/p.png)") == f"!&#91;px&#93;(http{ZW}&#58;//host/p.png)"
    assert escape('<a href="x">x</a>') == '&#60;a href="x"&#62;x&#60;/a&#62;'
    assert escape("Barn & unga") == "Barn &#38; unga"
    # Bare addresses: GFM would link them even from decoded text.
    assert escape("www.evil.se") == f"www{ZW}.evil.se" and escape("kalle@kommun.se") == f"kalle{ZW}&#64;kommun.se"
    assert escape("mailto:x") == f"mailto{ZW}&#58;x"
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
    decoded = html.unescape(escaped)
    # Reads as typed: runs of white space are one space, except the no-break spaces that keep a
    # figure with its unit ("10\u00a0%"), which stay as they are (issue 18).
    typed = re.sub(r"[^\S\u00a0\u202f]+", " ", value).strip()
    typed = re.sub("[\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", typed)
    assert decoded.replace(ZW, "") == typed.replace(ZW, "")
    assert not re.search(r"[\[\]<>`*_|~$\\\n]", escaped)  # the Markdown source holds no markup character
    # and the decoded text no bare address for GFM to link
    assert not re.search(r"https?://|www\.|[-.\w+]@[-\w]|mailto:|xmpp:", decoded, re.IGNORECASE)


def test_a_direction_override_is_shown_as_its_code_and_turns_nothing_around():
    """2026-12-05 walk with hostile names: a version named "… U+202E abc" turned the rest of every sentence that
    named it backwards, on the page and in every slide's footer."""
    assert html.unescape(escape("Delår 2 \u202ecba")) == "Delår 2 \\u202ecba"
    assert html.unescape(escape("a\u2067b\u2069c")) == "a\\u2067b\\u2069c"
    assert escape("עברית abc") == "עברית abc"  # a right-to-left alphabet itself is left as typed


def test_formula_like_text():
    for text in ("=1+1", "+46 70", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil","x")'):
        assert formula_like(text)
    for value in ("Kommun", " =1", 12, None, ""):
        assert not formula_like(value)


def test_issue_18_a_figure_keeps_its_unit_on_one_line():
    """A no-break space between a number and its unit survived every page but escaping: "ökar med 10 / %"."""
    assert escape("ökar med 10\u00a0%") == "ökar med 10\u00a0%"
    assert escape("4,7\u00a0mnkr\n\n  x") == "4,7\u00a0mnkr x"


def test_a_comment_keeps_its_lines_and_no_line_opens_a_block():
    """2026-12-05 note: a comment written on three lines in the text area was shown on one, its lines run
    together. Each line is escaped on its own and kept apart by a hard line break; blank lines are left out."""
    comment = "Fler placeringar än väntat.\n\n- HVB: två nya\n1. åtgärd: se över\n# Rubrik\n> citat"
    assert escape_lines(comment) == ("Fler placeringar än väntat.  \n&#45; HVB&#58; två nya  \n1&#46; åtgärd&#58; "
                                     "se över  \n&#35; Rubrik  \n&#62; citat")
    assert escape_lines(None) == "" and escape_lines("\n \n") == "" and escape_lines("en rad") == "en rad"


@given(st.text())
def test_every_line_of_a_comment_is_escaped_as_a_name_is(value):
    shown = escape_lines(value)
    lines = [escape(part) for part in value.splitlines() if escape(part)]
    assert shown.split("  \n") == (lines or [""])
    assert "\n" not in shown.replace("  \n", "")
