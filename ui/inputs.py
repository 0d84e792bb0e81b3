"""Number inputs that show their value in Swedish.

``st.number_input`` formats with printf (``3.50``, ``-3000``): no decimal comma, no real minus, no
thousands separator, whatever the locale. Where a value is chosen from a known range, a select
slider with labels from domain.formatting shows it as the rest of the interface does.
"""

from __future__ import annotations

from functools import cache

import streamlit as st

from domain.formatting import format_kr, format_number, format_percent


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
    st.session_state.setdefault(key, min(options, key=lambda option: abs(option - default)))
    return container.select_slider(label, options, key=key, format_func=labels.__getitem__)


def whole_number(text: object, low: int, high: int) -> int:
    """A typed whole number ("-3000", "−3 000", "3000,0") within ``low``–``high``; ValueError in Swedish otherwise."""
    from domain.numbers import NumberFormatError, parse_number

    shown = "" if text is None else str(text).strip()
    if shown == "":
        return 0
    wanted = f"skriv ett heltal från {format_number(low)} till {format_number(high)}"
    try:
        number = parse_number(shown)
    except NumberFormatError:
        raise ValueError(f'"{shown}" är inte ett tal; {wanted}') from None
    if number != number.to_integral_value():
        raise ValueError(f'"{shown}" är inte ett heltal; {wanted}')
    if not low <= number <= high:
        raise ValueError(f"{format_number(number)} ligger utanför {format_number(low)} till {format_number(high)}")
    return int(number)


def _normalise(key: str, low: int, high: int, then) -> None:
    """Write a valid typed number back in Swedish format ("-3000" → "−3 000"); leave anything else as typed."""
    try:
        st.session_state[key] = format_number(whole_number(st.session_state[key], low, high))
    except ValueError:
        pass
    if then is not None:
        then()


def whole_number_input(label: str, low: int, high: int, *, key: str, on_change=None, container=st,
                       help: str | None = None) -> None:
    """A text field for a whole number, shown as the interface writes numbers: "−3 000".

    ``st.number_input`` can only show "-3000". Read the value with ``whole_number(st.session_state[key], …)``.
    """
    st.session_state.setdefault(key, "0")
    container.text_input(label, key=key, on_change=_normalise, args=(key, low, high, on_change), help=help)


@cache
def _kronor_steps(low: int, high: int, step: int) -> dict[int, str]:
    return {value: format_kr(value) for value in range(low, high + 1, step)}


def kronor_slider(label: str, low: int, high: int, default: int, step: int, *, key: str, container=st,
                  help: str | None = None) -> int:
    """An amount in whole kronor from ``low`` to ``high`` in ``step``s, shown as "1 250 kr"."""
    labels = _kronor_steps(low, high, step)
    st.session_state.setdefault(key, default)
    return container.select_slider(label, list(labels), key=key, format_func=labels.__getitem__, help=help)


@cache
def _count_steps(low: int, high: int) -> dict[int, str]:
    return {value: format_number(value, plus=True) for value in range(low, high + 1)}


def count_slider(label: str, low: int, high: int, *, key: str, on_change=None, args=(), container=st,
                 help: str | None = None) -> int:
    """A whole count from ``low`` to ``high`` shown with a real minus and a plus: "−2", "0", "+2"."""
    labels = _count_steps(low, high)
    return container.select_slider(label, list(labels), key=key, format_func=labels.__getitem__,
                                   on_change=on_change, args=args, help=help)
