"""Pages draw only the chosen tab (``ui.layout.tabs``): a test chooses one as a user clicks it."""

from __future__ import annotations


def open_tab(at, key: str, label: str):
    """Choose the tab ``label`` of the tabs ``key`` and run the page again; returns the AppTest."""
    at.session_state[key] = label
    return at.run()


def _tab_groups(node) -> list[tuple[str, list[str]]]:
    """Every set of tabs on the page: its key (the end of the container's id) and its labels."""
    found = []
    if getattr(node, "type", None) == "tab_container":
        key = node.proto.tab_container.id.split("-", 2)[-1]
        found.append((key, [child.label for child in node.children.values()]))
    for child in getattr(node, "children", {}).values():
        found += _tab_groups(child)
    return found


def every_tab(at):
    """The page with each of its other tabs chosen in turn (the first is what ``at`` already shows):
    yields (tab label, AppTest) after each run."""
    for key, labels in _tab_groups(at._tree):
        for label in labels[1:]:
            yield label, open_tab(at, key, label)


def lock_version(at):
    """Save the Prognos page's version as a controller does: "Spara låst version …", then "Ja, lås versionen"
    under the question that names the figure; returns the AppTest."""
    at.button(key="prognos_version_save").click().run()
    return at.button(key="prognos_version_confirm").click().run()
