"""The one file uploader: Streamlit's own, with its English text replaced by Swedish.

Streamlit has no locale: the drop zone says "Upload" and "200MB per file • CSV, XLSX" in every
language. The hint is hidden and the button relabelled with CSS that targets the uploader's
``data-testid`` attributes (the ones Streamlit's own end-to-end tests use, so they change least),
and the limit and the accepted formats are written below the uploader in Swedish instead. If a
new Streamlit renames them, the English text shows again; nothing stops working.
"""

from __future__ import annotations

import streamlit as st

from domain.formatting import NBSP, format_number
from settings import get_settings

_CSS = """
<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] {
  display: none; }
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-has-shortcut]::after {
  content: "Välj fil"; }
[data-testid="stFileChipName"] + * { display: none; }
</style>
"""


def formats_text(types: list[str]) -> str:
    """``["csv", "txt", "xlsx"]`` → ``CSV, TXT eller XLSX``."""
    names = [t.lstrip(".").upper() for t in types]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " eller " + names[-1]


def limit_text(types: list[str], limit_mb: int) -> str:
    return f"{formats_text(types)}, högst {format_number(limit_mb)}{NBSP}MB per fil."


def file_uploader(label: str, types: list[str], *, key: str):
    """An uploader for one file of ``types`` up to the configured size, with its hint in Swedish.

    Any file is taken in: the browser's own refusal of another type was a red mark with an English tooltip
    ("application/vnd.ms-excel files are not allowed", 2026-12-05 walk), and the reader refuses it instead, in
    Swedish and with what to do (an .xls: save it again as .xlsx or CSV), as on the command line."""
    limit_mb = get_settings().max_upload_mb
    st.markdown(_CSS, unsafe_allow_html=True)
    upload = st.file_uploader(label, key=key, max_upload_size=limit_mb)
    st.caption(limit_text(types, limit_mb))
    return upload
