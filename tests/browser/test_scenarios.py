"""The Scenarier page driven in chromium: an assumption redraws the result and keeps the inputs as set."""

from tests.browser.conftest import problems_on, shot, wait_for_app, wait_for_app_idle

HVB = "Institutionsplaceringar barn och unga"


def result(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def placements_field(page):
    return page.get_by_role("slider", name="Antal placeringar")


def placements_shown(page) -> str:
    """The count as the slider writes it: "−2" with a real minus (issue 18)."""
    return placements_field(page).get_attribute("aria-valuetext")


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app_idle(page)


def test_assumptions_change_the_result_and_stay_as_set(own_server, browser):
    # A new server, and this page the first one opened: its forecast workers start during this
    # visit, while the browser's connections are open.
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(f"{own_server}/Scenarier")
    wait_for_app(page)
    base = result(page)
    choose(page, "Insatskategori", HVB)
    placements = placements_field(page)
    placements.focus()
    placements.press("ArrowLeft")
    placements.press("ArrowLeft")
    page.get_by_text("Två placeringar inom institutionsplaceringar barn och unga avslutas från och med "
                     "september.").wait_for(timeout=60_000)
    wait_for_app_idle(page)
    changed = result(page)
    assert changed != base
    assert placements_shown(page) == "\u22122"  # the inputs were not redrawn from an older state
    assert f"Ändrade kategorier: {HVB}." in page.content()
    shot(page, "scenarier_two_hvb_end_1600x1000")

    # Each category keeps its own assumption.
    choose(page, "Insatskategori", "Stödboende unga")
    assert placements_shown(page) == "0"
    assert result(page) == changed
    choose(page, "Insatskategori", HVB)
    assert placements_shown(page) == "\u22122"

    # Issue 18: saving empties the name and the meeting box in the browser too, and shows the new one.
    page.get_by_label("Scenariots namn").fill("Två HVB avslutas")
    page.get_by_text("Visa på nämndmötet", exact=True).click()
    page.get_by_role("button", name="Spara scenario").click()
    page.get_by_text('Scenariot sparades som "Två HVB avslutas". Det visas på nämndmötet.').wait_for(timeout=60_000)
    wait_for_app_idle(page)
    assert page.get_by_label("Scenariots namn").input_value() == ""
    assert not page.get_by_role("checkbox", name="Visa på nämndmötet", exact=True).is_checked()
    chosen = page.locator(".st-key-scen_chosen").evaluate(
        "e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")
    assert "Två HVB avslutas" in chosen

    page.get_by_role("button", name="Återställ till grundprognosen").click()
    page.get_by_text("Utan ändrade antaganden gäller grundprognosen").wait_for(timeout=60_000)
    wait_for_app_idle(page)
    assert result(page) == base
    assert placements_shown(page) == "0"
    assert problems_on(page) == []
    page.close()
