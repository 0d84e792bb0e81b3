"""Number inputs that show their value in Swedish.

``st.number_input`` formats with printf (``3.50``, ``-3000``): no decimal comma, no real minus, no
thousands separator, whatever the locale. Where a value is chosen from a known range, a select
slider with labels from domain.formatting shows it as the rest of the interface does.
"""

from __future__ import annotations

from functools import cache

import streamlit as st

from domain.formatting import format_percent


@cache
def _percent_steps(low: float, high: float, step: float) -> dict[float, str]:
    count = int(round((high - low) / step))
    values = [round(low + i * step, 6) for i in range(count + 1)]
    decimals = 0 if float(step).is_integer() else len(f"{step:g}".split(".")[1])
    return {value: format_percent(value / 100, decimals) for value in values}


def percent_slider(label: str, low: float, high: float, default: float, step: float, *, key: str,
                   container=st) -> float:
    """A percentage from ``low`` to ``high`` in ``step``s, shown as ``3,5 %``."""
    labels = _percent_steps(low, high, step)
    options = list(labels)
    value = min(options, key=lambda option: abs(option - default))
    return container.select_slider(label, options, value=value, key=key, format_func=labels.__getitem__)
