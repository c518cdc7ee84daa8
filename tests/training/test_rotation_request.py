"""Requesting a job rotation or a day of shadowing: the rules of a request, and the form that
puts a refusal beside the field it concerns (HTTP 400, nothing saved)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Notification
from people.models import Role
from tests.concurrency import run_in_threads
from tests.factories import TeamFactory, UserFactory
from tests.search.pages import parse
from training.forms.crosstraining import RotationForm
from training.models import Rotation
from training.services.crosstraining import ROTATION_MAX_DAYS, rotation_request


@pytest.fixture
def host_manager(other_team):
    user = UserFactory(username="hostmanager", team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(user)
    return user


def _day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


def _request(participant, host_team, first=7, last=9, **data):
    data = {"kind": "rotation", "host_team": host_team, "starts_on": _day(first),
            "ends_on": _day(last), "goals": "See how tech support triages.", **data}  # fmt: skip
    return rotation_request(participant=participant, data=data)


def _form(team, **changes):
    data = {"kind": "rotation", "host_team": str(team.pk), "host_person": "",
            "starts_on": _day(7).isoformat(), "ends_on": _day(9).isoformat(),
            "goals": "See how tech support triages."}  # fmt: skip
    return {**data, **changes}


def _field_errors(response, name: str) -> str:
    errors = parse(response).find(id=f"id_{name}_error")
    return errors.text() if errors else ""


def test_a_request_waits_for_both_teams_managers_each_told_once(
    agent, manager, host_manager, other_team
):
    rotation = _request(agent, other_team)
    assert rotation.status == Rotation.Status.REQUESTED
    assert rotation.manager_approved_at is None
    assert rotation.host_approved_at is None
    for person in (manager, host_manager):
        assert Notification.objects.filter(recipient=person, kind="training.rotation").count() == 1
    assert not Notification.objects.filter(recipient=agent).exists()


def test_a_manager_of_both_teams_is_told_once(agent, manager, other_team):
    other_team.managers.add(manager)
    _request(agent, other_team)
    assert Notification.objects.filter(recipient=manager).count() == 1


def test_shadowing_is_one_day_hosted_by_the_colleagues_team(agent, manager, host_manager, outsider):
    rotation = _request(agent, None, kind="shadowing", host_person=outsider, ends_on=None)
    assert rotation.host_team == outsider.team
    assert rotation.starts_on == rotation.ends_on
    with pytest.raises(ValidationError) as refused:
        _request(agent, None, first=20, last=21, kind="shadowing", host_person=outsider)
    assert "ends_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _request(agent, None, first=30, last=30, kind="shadowing")
    assert "host_person" in refused.value.message_dict


@pytest.mark.parametrize(
    ("first", "last", "refused"),
    [
        (7, 9, True),  # the same days
        (9, 12, True),  # its last day is my first
        (3, 7, True),  # my last day is its first
        (8, 8, True),  # inside it
        (1, 20, True),  # around it
        (10, 12, False),  # the day after
        (2, 6, False),  # the days before
    ],
)
def test_overlapping_rotations_are_refused_adjacent_ones_accepted(
    agent, manager, host_manager, other_team, first, last, refused
):
    _request(agent, other_team, first=7, last=9)
    if refused:
        with pytest.raises(ValidationError) as error:
            _request(agent, other_team, first=first, last=last)
        assert "already have a rotation" in error.value.message_dict["starts_on"][0]
        assert Rotation.objects.count() == 1
    else:
        _request(agent, other_team, first=first, last=last)
        assert Rotation.objects.count() == 2


def test_declined_or_cancelled_rotations_free_their_dates(agent, manager, host_manager, other_team):
    first = _request(agent, other_team)
    Rotation.objects.filter(pk=first.pk).update(status=Rotation.Status.CANCELLED)
    second = _request(agent, other_team)
    Rotation.objects.filter(pk=second.pk).update(
        status=Rotation.Status.DECLINED, decline_reason="Busy week"
    )
    _request(agent, other_team)
    assert Rotation.objects.count() == 3


def test_someone_elses_rotation_on_the_same_days_is_no_clash(
    agent, mentor, manager, host_manager, other_team
):
    _request(agent, other_team)
    _request(mentor, other_team)
    assert Rotation.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first": -1, "last": 2}, "starts_on"),  # started yesterday
        ({"first": 900, "last": 901}, "starts_on"),  # over two years ahead
        ({"first": 5, "last": 4}, "ends_on"),
        ({"first": 1, "last": ROTATION_MAX_DAYS + 1}, "ends_on"),
        ({"host_team": None}, "host_team"),
    ],
)
def test_bad_dates_and_missing_host_are_refused_by_the_service(
    agent, manager, host_manager, other_team, changes, field
):
    changes = {"host_team": other_team, **changes}
    with pytest.raises(ValidationError) as refused:
        _request(agent, **changes)
    assert field in refused.value.message_dict
    assert not Rotation.objects.exists()


def test_six_weeks_is_the_longest_rotation(agent, manager, host_manager, other_team):
    rotation = _request(agent, other_team, first=1, last=ROTATION_MAX_DAYS)
    assert rotation.days == ROTATION_MAX_DAYS


def test_ones_own_team_cannot_host(agent, manager, team, mentor):
    with pytest.raises(ValidationError) as refused:
        _request(agent, team)
    assert "another team" in refused.value.message_dict["host_team"][0]
    with pytest.raises(ValidationError) as refused:
        _request(agent, None, kind="shadowing", host_person=mentor, ends_on=None)
    assert "another team" in refused.value.message_dict["host_person"][0]


def test_a_host_person_must_belong_to_the_host_team(agent, manager, host_manager, other_team):
    stranger = UserFactory(team=TeamFactory(slug="sales"))
    with pytest.raises(ValidationError) as refused:
        _request(agent, other_team, host_person=stranger)
    assert "host_person" in refused.value.message_dict


def test_a_team_without_a_manager_cannot_approve(agent, manager, other_team):
    with pytest.raises(ValidationError, match="no manager"):
        _request(agent, other_team)
    assert not Rotation.objects.exists()


def test_a_lone_manager_asking_for_themselves_is_their_own_teams_approval(
    manager, host_manager, other_team
):
    rotation = _request(manager, other_team)
    assert rotation.status == Rotation.Status.REQUESTED
    assert rotation.manager_approved_by == manager
    assert rotation.host_approved_at is None
    assert not Notification.objects.filter(recipient=manager).exists()


def test_the_form_saves_a_request(agent_client, manager, host_manager, other_team):
    response = agent_client.post("/training/rotations/new/", _form(other_team))
    rotation = Rotation.objects.get()
    assert response.status_code == 302
    assert response.url == rotation.get_absolute_url()


def test_ending_before_starting_is_an_error_beside_the_field(
    agent_client, manager, host_manager, other_team
):
    data = _form(other_team, starts_on=_day(9).isoformat(), ends_on=_day(7).isoformat())
    response = agent_client.post("/training/rotations/new/", data)
    assert response.status_code == 400
    assert "before the first day" in _field_errors(response, "ends_on")
    assert not Rotation.objects.exists()
    assert f'value="{_day(9).isoformat()}"' in response.content.decode()  # kept what was typed


def test_an_overlap_is_an_error_beside_the_first_day(
    agent_client, agent, manager, host_manager, other_team
):
    _request(agent, other_team)
    response = agent_client.post("/training/rotations/new/", _form(other_team))
    assert response.status_code == 400
    assert "already have a rotation" in _field_errors(response, "starts_on")
    assert Rotation.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"goals": "x" * 5001}, "goals"),
        ({"starts_on": "2026-13-45"}, "starts_on"),
        ({"ends_on": "99999-01-01"}, "ends_on"),
        ({"host_team": str(10**30)}, "host_team"),
        ({"host_team": "-1"}, "host_team"),
        ({"kind": "secondment"}, "kind"),
        ({"host_team": ""}, "host_team"),
        ({"kind": "shadowing", "host_person": ""}, "host_person"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_saved(
    agent_client, manager, host_manager, other_team, changes, field
):
    response = agent_client.post("/training/rotations/new/", _form(other_team, **changes))
    assert response.status_code == 400
    assert _field_errors(response, field)
    assert not Rotation.objects.exists()


@pytest.mark.parametrize("field", ["goals", "starts_on", "host_team"])
def test_a_nul_character_is_refused_and_nothing_is_saved(
    agent_client, agent, manager, host_manager, other_team, field
):
    response = agent_client.post("/training/rotations/new/", _form(other_team, **{field: "a\x00b"}))
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Rotation.objects.exists()
    form = RotationForm(_form(other_team, **{field: "a\x00b"}), participant=agent)
    assert field in form.errors  # the form refuses it too, whatever reaches it


def _options(response, name: str) -> set[str]:
    select = parse(response).find("select", id=f"id_{name}")
    return {option.attrs["value"] for option in select.find_all("option")} - {""}


def test_the_form_offers_only_other_teams_and_their_people(agent_client, agent, mentor, outsider):
    response = agent_client.get("/training/rotations/new/")
    assert _options(response, "host_team") == {str(outsider.team.pk)}
    assert _options(response, "host_person") == {str(outsider.pk)}


def test_an_empty_form_flags_every_missing_field_at_once(agent_client, manager, host_manager):
    # What a browser sends for the untouched form: the kind is chosen already.
    empty = {"kind": "rotation", "host_team": "", "host_person": "", "starts_on": "",
             "ends_on": "", "goals": ""}  # fmt: skip
    response = agent_client.post("/training/rotations/new/", empty)
    assert response.status_code == 400
    for field in ("host_team", "starts_on", "ends_on"):
        assert _field_errors(response, field), field
    assert not _field_errors(response, "host_person")  # optional for a rotation
    response = agent_client.post("/training/rotations/new/", {**empty, "kind": "shadowing"})
    for field in ("host_person", "starts_on"):
        assert _field_errors(response, field), field
    assert not _field_errors(response, "host_team")
    assert not _field_errors(response, "ends_on")  # shadowing is one day
    assert not Rotation.objects.exists()


def test_a_missing_kind_and_a_missing_team_are_both_flagged(agent_client, other_team):
    response = agent_client.post(
        "/training/rotations/new/", _form(other_team, kind="", host_team="")
    )
    assert response.status_code == 400
    assert _field_errors(response, "kind")
    assert _field_errors(response, "host_team")
    radios = parse(response).find("fieldset", class_="radio-field")
    assert radios.attrs["aria-describedby"].split() == ["id_kind_helptext", "id_kind_error"]


def test_the_form_reads_well(agent_client):
    response = agent_client.get("/training/rotations/new/")
    page = parse(response)
    assert page.find("select", id="id_host_team").find("option").text() == "Choose a team…"
    assert page.find("select", id="id_host_person").find("option").text() == "Choose a colleague…"
    assert "What you want to learn." not in response.content.decode()
    assert "data-rotation-form" in page.find("form", class_="rotation-form").attrs
    assert page.find("script", src="/static/js/rotation-form.js")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_overlapping_requests_save_one(team, other_team):
    boss = UserFactory(team=team, roles=[Role.MANAGER])
    team.managers.add(boss)
    host_boss = UserFactory(team=other_team, roles=[Role.MANAGER])
    other_team.managers.add(host_boss)
    person = UserFactory(team=team, roles=[Role.AGENT])

    def ask(i: int):
        try:
            _request(person, other_team, first=7 + i % 2, last=9)
        except ValidationError:
            return "refused"
        return "saved"

    outcomes = run_in_threads(ask, count=8)
    assert sorted(outcomes) == ["refused"] * 7 + ["saved"]
    assert Rotation.objects.filter(participant=person).count() == 1
