"""Names come from files, and files come from anywhere: the one way a user-supplied string is made
safe before it is shown, and the one test of whether a spreadsheet would take it for a formula.

``escape`` turns every character that Markdown, HTML or a Plotly label could read as markup into a
numeric character reference (``[`` → ``&#91;``). Markdown, the browser's HTML parser and Plotly all
decode such references back to the plain character *after* they have looked for markup, so the
text reads exactly as typed and never becomes an image, a link, emphasis, a formula or a tag. The
same escaped text is therefore safe in ``st.markdown`` (with or without HTML), captions, messages,
metric values, ``st.table`` cells, widget labels, and Plotly axis labels, legends and hover texts.
(``st.dataframe`` and the options of a select box show plain text and need nothing.)

GitHub-flavoured Markdown also turns a bare address ("www.…", "https://…", "namn@kommun.se") into
a link, and it looks for those in the decoded text, so a zero-width space is put inside each such
pattern: it cannot be seen, and the address is no longer an address.
"""

from __future__ import annotations

import math
import re

# Characters that open Markdown (emphasis, code, links and images, autolinks, tables, math,
# Streamlit's :colour[] directives) or HTML (tags, entities).
_ALWAYS = frozenset('\\`*_{}[]<>#|~$:@&^')
_LEADING_BLOCK = re.compile(r"^([-+=]+)(?=\s|$)")  # a list item, a setext underline or a thematic break
_ORDERED_ITEM = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")  # "1. " would start a numbered list
_AUTOLINK = re.compile(r"(?<=www)(?=\.)|(?=://)|(?<=mailto)(?=:)|(?<=xmpp)(?=:)|(?=@)", re.IGNORECASE)
ZERO_WIDTH_SPACE = "\u200b"

# A cell beginning with one of these is read as a formula by Excel and LibreOffice (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _reference(character: str) -> str:
    return f"&#{ord(character)};"


# Embeddings, overrides and isolates of the writing direction: one in a name stored before names were checked
# for them would turn the rest of every sentence that names it backwards. Shown as their code ("\u202e").
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")

# White space other than the no-break spaces that keep a number with its unit ("10 %", "4,7 mnkr").
_BLANKS = re.compile(r"[^\S\u00a0\u202f]+")


def escape(value: object) -> str:
    """``value`` as text that renders as itself in Markdown, HTML and Plotly labels.

    Runs of white space (line breaks and tabs included) become one space, so that a name can
    never start a new Markdown block; a no-break space stays, so that a figure keeps its unit.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = _AUTOLINK.sub(ZERO_WIDTH_SPACE, _BLANKS.sub(" ", str(value)).strip())
    text = plain(text)
    text = "".join(_reference(c) if c in _ALWAYS else c for c in text)
    text = _LEADING_BLOCK.sub(lambda m: "".join(_reference(c) for c in m.group(1)), text)
    return _ORDERED_ITEM.sub(lambda m: m.group(1) + _reference(m.group(2)), text)


def escape_lines(value: object) -> str:
    """A text written over several lines (a comment typed in a text area) as ``escape`` makes each line, the lines
    kept apart by Markdown's hard line break; blank lines between them are left out. Each line is escaped on its
    own, so that no line can open a block (a list, a heading, a quotation) under the one before."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return "  \n".join(line for line in (escape(part) for part in str(value).splitlines()) if line)


def plain(value: str) -> str:
    """Text for a surface that reads no markup (the PDF, a chart drawn for it) as for the pages: a control of the
    writing direction shown as its code ("\\u202e"), so that it turns nothing around it."""
    return _DIRECTION.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def formula_like(value: object) -> bool:
    """True for text that a spreadsheet would evaluate if it were not stored as text."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)
