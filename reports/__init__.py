"""The meeting papers: a PDF for the handlingar and a workbook for the controller (no Streamlit)."""
