from hypothesis import given
from hypothesis import strategies as st

from domain.periodisation import allocate, periodise, seasonal_profile


@given(total=st.integers(-10**11, 10**11),
       weights=st.lists(st.floats(0.01, 100, allow_nan=False), min_size=1, max_size=12))
def test_allocation_adds_up_to_the_krona(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)


def test_linear_without_two_full_years():
    history = {(2024, m): 100.0 for m in range(1, 13)}
    amounts, profile = periodise(1_200_001, history, 2025)
    assert profile == "linjär"
    assert sum(amounts) == 1_200_001
    assert max(amounts) - min(amounts) <= 1


def test_seasonal_profile_follows_history():
    history = {(y, m): (200.0 if m == 12 else 100.0) for y in (2022, 2023, 2024) for m in range(1, 13)}
    amounts, profile = periodise(1_300_000, history, 2025)
    assert profile == "säsong"
    assert amounts[11] == 200_000 and amounts[0] == 100_000
    assert sum(amounts) == 1_300_000


def test_mixed_sign_history_falls_back_to_linear():
    history = {(y, m): (-50.0 if m == 6 else 100.0) for y in (2023, 2024) for m in range(1, 13)}
    assert seasonal_profile(history, 2025) is None
