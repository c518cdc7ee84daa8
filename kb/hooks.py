"""Panels that apps above kb add to an article's page, so the page shows what those apps know
("3 colleagues thanked the author for this" from recognition) without kb importing them
(DESIGN.md: a lower app offers a registry, upper apps fill it).

An app's `article_panels.py` registers a function that returns a panel, or None:

    @article_panel("recognition.thanks", order=10)
    def thanks(viewer, article):
        return Panel("recognition/includes/article_thanks.html", {"count": 3})

A panel function reads only what `viewer` may see, in a constant number of queries. The
registry is filled by Django's module autodiscovery, once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from people.hooks import ProfileSection as Panel  # a template and its context
from people.hooks import discover

ARTICLE_PANELS_MODULE = "article_panels"

PanelFunc = Callable[[Any, Any], "Panel | None"]
_panels: dict[str, tuple[int, PanelFunc]] = {}

__all__ = ["Panel", "article_panel", "article_panels"]


def article_panel(name: str, *, order: int = 100) -> Callable[[PanelFunc], PanelFunc]:
    """Register `func(viewer, article) -> Panel | None` under a unique name; lower `order`
    comes first."""

    def register(func: PanelFunc) -> PanelFunc:
        _panels[name] = (order, func)
        return func

    return register


def article_panels(*, viewer, article) -> list[Panel]:
    """The panels every app adds to `article`'s page as `viewer` sees it."""
    discover(ARTICLE_PANELS_MODULE)
    found = []
    for _, name in sorted((order, name) for name, (order, _) in _panels.items()):
        panel = _panels[name][1](viewer, article)
        if panel is not None:
            found.append(panel)
    return found
