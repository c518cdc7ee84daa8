"""Fetching what a mentorship page is about, with the viewer's rights: 404 when they may not
see it at all, 403 when they see it but may not do this (a manager writing in a pair's plan)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from mentorship.models import Pairing, Program
from people.models import User


def get_program(slug: str) -> Program:
    """Any programme, open or closed (every colleague may read what programmes exist)."""
    return get_object_or_404(Program.objects.prefetch_related("managers"), slug=slug)


def get_pairing(request, pk: int, *, member: bool = False) -> Pairing:
    """The pairing, 404 unless `Pairing.objects.visible_to(viewer)` has it; with `member`,
    403 for anyone but the mentor and the mentee (the plan and the notes are theirs)."""
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.user)
        .select_related("program", "mentor", "mentee", "mentee__team", "request")
        .prefetch_related("program__managers"),
        pk=pk,
    )
    if member and not pairing.is_member(request.user):
        raise PermissionDenied("Only the mentor and the mentee can change their plan.")
    return pairing


def get_mentee_for(request, program: Program, username: str) -> User:
    """The person whose suggestions a viewer opens: themselves, or someone they may pair
    (`Program.can_pair`); 404 for anyone else, so names of other teams do not leak."""
    person = get_object_or_404(User.objects.select_related("team"), username=username)
    if person.pk != request.user.pk and not program.can_pair(request.user, person):
        raise Http404("No such person among the people you may pair.")
    return person
