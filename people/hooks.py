"""Hooks that apps above people fill, so people's pages show what those apps know without
people importing them (DESIGN.md: a lower app offers a registry, upper apps fill it).

- Profile sections: an app's `profile_sections.py` registers functions that add a section to
  a person's profile page ("Articles owned" from kb):

      @profile_section("kb.owned", order=10)
      def owned(viewer, person):
          return ProfileSection("kb/includes/profile_owned.html", {...})  # or None

  A section function must read only what `viewer` may see, in a constant number of queries.

- Directory notes: an app's `profile_sections.py` may also register a function that adds a
  short line to people's cards in the directory ("Open to mentor on refunds" from
  mentorship), for a whole page of people at once:

      @directory_note("mentorship.open")
      def open_to_mentor(viewer, people):
          return {person.pk: "Open to mentor on refunds"}  # for some of them

  A note function reads a constant number of queries for the whole page.

- Directory search expanders: an app's `people_search.py` registers functions that give other
  words for what was typed in the people directory (the search app's synonym groups, so
  "2fa" also finds people skilled in "two-factor authentication"):

      @query_expander("search.synonyms")
      def synonyms(text):
          return ["two-factor authentication"]

Both registries are filled by Django's module autodiscovery (as the reminder engine finds
every app's `reminders.py`), once per process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.module_loading import autodiscover_modules

PROFILE_SECTIONS_MODULE = "profile_sections"
PEOPLE_SEARCH_MODULE = "people_search"
# What one directory search may grow to: each word is one more OR in the SQL.
MAX_EXPANSIONS = 20


@dataclass(frozen=True)
class ProfileSection:
    """A template and its context, rendered on the profile page in `order`."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


ProfileSectionFunc = Callable[[Any, Any], "ProfileSection | None"]
QueryExpander = Callable[[str], Iterable[str]]
DirectoryNoteFunc = Callable[[Any, list], "dict[int, str]"]

_sections: dict[str, tuple[int, ProfileSectionFunc]] = {}
_expanders: dict[str, QueryExpander] = {}
_notes: dict[str, DirectoryNoteFunc] = {}


def profile_section(name: str, *, order: int = 100) -> Callable[[ProfileSectionFunc], Any]:
    """Register `func(viewer, person) -> ProfileSection | None` under a unique name; lower
    `order` comes first."""

    def register(func: ProfileSectionFunc) -> ProfileSectionFunc:
        _sections[name] = (order, func)
        return func

    return register


def directory_note(name: str) -> Callable[[DirectoryNoteFunc], DirectoryNoteFunc]:
    """Register `func(viewer, people) -> {person id: note}` under a unique name."""

    def register(func: DirectoryNoteFunc) -> DirectoryNoteFunc:
        _notes[name] = func
        return func

    return register


def query_expander(name: str) -> Callable[[QueryExpander], QueryExpander]:
    """Register `func(text) -> Iterable[str]`: other words that should also find people
    searched for as `text`."""

    def register(func: QueryExpander) -> QueryExpander:
        _expanders[name] = func
        return func

    return register


@cache
def discover(module_name: str) -> None:
    # Once per process: a missing module is looked for on disk on every call otherwise.
    autodiscover_modules(module_name)


def profile_sections(*, viewer, person) -> list[ProfileSection]:
    """The sections every app adds to `person`'s profile as `viewer` sees it."""
    discover(PROFILE_SECTIONS_MODULE)
    found = []
    for _, name in sorted((order, name) for name, (order, _) in _sections.items()):
        section = _sections[name][1](viewer, person)
        if section is not None:
            found.append(section)
    return found


def directory_notes(*, viewer, people: list) -> dict[int, list[str]]:
    """Every app's notes on a page of people's cards, by person id, in the apps' name order."""
    discover(PROFILE_SECTIONS_MODULE)
    found: dict[int, list[str]] = {}
    for name in sorted(_notes):
        for pk, note in _notes[name](viewer, people).items():
            found.setdefault(pk, []).append(note)
    return found


def expand_query(text: str) -> list[str]:
    """Other words for `text` from every app's expanders (not `text` itself), without
    repeats, at most `MAX_EXPANSIONS`."""
    discover(PEOPLE_SEARCH_MODULE)
    typed = text.strip().lower()
    words: dict[str, None] = {}
    for name in sorted(_expanders):
        for word in _expanders[name](text):
            word = " ".join(str(word).split())
            if word and word.lower() != typed:
                words.setdefault(word.lower(), None)
    return list(words)[:MAX_EXPANSIONS]
