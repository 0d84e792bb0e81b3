"""Pure domain calculations of Nämndpanelen: no Streamlit, no SQL."""
