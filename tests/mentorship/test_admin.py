"""Mentorship in the admin: every model has pages that load in a constant number of queries;
pairings change only through actions that call the services (a refusal is a message beside the
row); cohort membership goes through the services too; and the plan's words (notes, agendas,
goal and action titles) never appear, as for managers on the site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.models import (
    ActionItem,
    Goal,
    Meeting,
    MentoringProfile,
    MentorRequest,
    Milestone,
    MilestoneTemplate,
    Pairing,
    PairingFeedback,
    Participation,
    Program,
)
from mentorship.services import pairings
from notifications.models import Notification
from people.models import Role
from tests.factories import TeamFactory, UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program

MODELS = [
    Program, MilestoneTemplate, Participation, MentoringProfile, Pairing, MentorRequest,
    PairingFeedback, Goal, Milestone, Meeting, ActionItem,
]  # fmt: skip
# Session and user, then the list's own reads: the count, the total count, the rows with what
# their columns show joined, and the filters' choices (related-only filters, a date
# hierarchy's bounds). Measured, the same at both sizes.
LIST_LIMIT = 8
# A change page: the row with the names it shows, and its inline rows (the programme's
# milestones; the pairing's milestones, its request being read with the row).
CHANGE_LIMITS = {
    Program: 7, MilestoneTemplate: 5, Participation: 6, MentoringProfile: 8, Pairing: 5,
    MentorRequest: 9, PairingFeedback: 9, Milestone: 8, Meeting: 8,
}  # fmt: skip
# Pages titled with the row's name, which for these is the pair's own words: list only.
LIST_ONLY = [Goal, ActionItem]
SECRETS = ["Private notes on the dispute", "Secret agenda for Tuesday", "Own chargebacks alone",
           "Send the dispute letter"]  # fmt: skip


def url(model, action: str = "changelist", *args) -> str:
    return reverse(f"admin:mentorship_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


@pytest.fixture
def program(db):
    return make_program(name="Onboarding mentoring", milestones=[("First meeting", 7)])


def act(client, model, action: str, objs) -> list[str]:
    """Run an admin action on `objs` from the list page; the messages it left."""
    response = client.post(
        url(model), {"action": action, "_selected_action": [obj.pk for obj in objs]}, follow=True
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def _with_plan(pairing) -> Pairing:
    """A meeting with words only the pair may read, an action item and a goal."""
    now = timezone.now()
    meeting = Meeting.objects.create(
        pairing=pairing, starts_at=now - timedelta(days=2), agenda="Secret agenda for Tuesday",
        notes="Private notes on the dispute",
    )  # fmt: skip
    ActionItem.objects.create(
        meeting=meeting, title="Send the dispute letter", owner=pairing.mentee
    )
    Goal.objects.create(pairing=pairing, title="Own chargebacks alone", progress=30)
    return pairing


@pytest.fixture
def populate(program, team):
    """`populate(n)`: n of everything: a mentor and a mentee each, their active pairing with a
    plan, a completed pairing with feedback, a waiting proposal and a mentee in the cohort."""
    serial = iter(range(10_000))

    def make(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            mentor = UserFactory(username=f"mentor{i}", roles=[Role.MENTOR], team=TeamFactory())
            make_profile(mentor, capacity=3, topics=["refunds"], develop=["sql"])
            mentee, other, third = (UserFactory(team=team) for _ in range(3))
            _with_plan(make_pairing(program=program, mentor=mentor, mentee=mentee))
            done = make_pairing(program=program, mentor=mentor, mentee=other)
            done = pairings.pairing_complete(pairing=done, user=mentor)
            pairings.feedback_give(pairing=done, author=other, rating=4, comments="Good.")
            make_pairing(program=program, mentor=mentor, mentee=third, active=False)
            pairings.participation_join(program=program, mentee=UserFactory(team=team))

    return make


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_list_page_loads_with_a_constant_number_of_queries(
    admin_client, populate, model, size, django_assert_max_num_queries
):
    populate(size)
    with django_assert_max_num_queries(LIST_LIMIT):
        response = admin_client.get(url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize(
    "model", [m for m in MODELS if m not in LIST_ONLY], ids=lambda m: m.__name__
)
def test_every_change_page_loads(admin_client, populate, model, django_assert_max_num_queries):
    populate(3)
    obj = model.objects.order_by("pk").last()
    with django_assert_max_num_queries(CHANGE_LIMITS[model]):
        response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", LIST_ONLY, ids=lambda m: m.__name__)
def test_goals_and_action_items_have_no_page_of_their_own(admin_client, populate, model):
    populate(1)
    obj = model.objects.first()
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 403
    assert admin_client.get(url(model, "history", obj.pk)).status_code == 403
    assert admin_client.get(url(model)).status_code == 200


def test_the_pairs_words_never_appear(admin_client, populate):
    populate(1)
    pairing = Pairing.objects.filter(status="active").first()
    meeting = Meeting.objects.get(pairing=pairing)
    pages = [url(model) for model in MODELS] + [
        url(Pairing, "change", pairing.pk),
        url(Meeting, "change", meeting.pk),
        url(Meeting, "history", meeting.pk),
    ]
    for page in pages:
        body = admin_client.get(page).content.decode()
        for secret in SECRETS:
            assert secret not in body, (page, secret)


@pytest.mark.parametrize("model", [Program, MilestoneTemplate, MentoringProfile, Participation])
def test_settings_can_be_added_here(admin_client, model):
    assert admin_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize(
    "model", [Pairing, MentorRequest, PairingFeedback, Goal, Milestone, Meeting, ActionItem]
)
def test_what_the_site_creates_cannot_be_added_or_deleted_here(admin_client, populate, model):
    populate(1)
    obj = model.objects.first()
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_a_pairings_status_cannot_be_edited(admin_client, populate):
    populate(1)
    pairing = Pairing.objects.filter(status="active").first()
    before = Pairing.objects.values().get(pk=pairing.pk)
    admin_client.post(
        url(Pairing, "change", pairing.pk),
        {"status": "completed", "ends_on": "2040-01-01", "end_reason": "Forged"},
    )
    assert Pairing.objects.values().get(pk=pairing.pk) == before


def test_a_pairings_page_is_read_only_with_its_request_shown_once(admin_client, populate):
    populate(1)
    pairing = Pairing.objects.filter(status="proposed").first()
    MentorRequest.objects.filter(pairing=pairing).update(message="First line\nSecond <line>")

    response = admin_client.get(url(Pairing, "change", pairing.pk))

    body = response.content.decode()
    assert response.context["title"] == "View pairing"
    assert 'name="_save"' not in body
    assert 'name="_continue"' not in body
    assert "Request: " not in body
    assert body.count(">The request</h2>") == 1
    assert '<div class="readonly">First line<br>Second &lt;line&gt;</div>' in body
    assert '<div class="readonly">-</div>' in body  # not answered yet


# --- Actions ----------------------------------------------------------------------------------


def test_complete_completes_active_pairings_and_reports_the_others(admin_client, populate):
    populate(1)
    active = Pairing.objects.get(status="active")
    waiting = Pairing.objects.get(status="proposed")

    notes = act(admin_client, Pairing, "complete", [active, waiting])

    active.refresh_from_db()
    waiting.refresh_from_db()
    assert active.status == "completed"
    assert active.completed_at is not None
    assert waiting.status == "proposed"
    assert "1 pairing(s) completed; both sides are asked for feedback." in notes
    assert any(note.startswith(f"{waiting}: ") for note in notes)


def test_withdraw_withdraws_proposals_only(admin_client, populate):
    populate(1)
    active = Pairing.objects.get(status="active")
    waiting = Pairing.objects.get(status="proposed")

    notes = act(admin_client, Pairing, "withdraw", [active, waiting])

    assert Pairing.objects.get(pk=waiting.pk).status == "withdrawn"
    assert Pairing.objects.get(pk=active.pk).status == "active"
    assert "1 proposal(s) withdrawn." in notes
    assert any(note.startswith(f"{active}: ") for note in notes)


def test_expire_overdue_expires_requests_past_their_window_and_tells_the_mentee(
    admin_client, populate
):
    populate(1)
    waiting = Pairing.objects.get(status="proposed")
    MentorRequest.objects.filter(pairing=waiting).update(
        created_at=timezone.now() - timedelta(days=9), expires_at=timezone.now() - timedelta(days=2)
    )
    active = Pairing.objects.get(status="active")

    notes = act(admin_client, Pairing, "expire_overdue", [active])

    assert Pairing.objects.get(pk=waiting.pk).status == "expired"
    assert Pairing.objects.get(pk=active.pk).status == "active"
    assert notes == ["1 overdue request(s) expired."]
    assert Notification.objects.filter(recipient=waiting.mentee, kind="mentorship.expired").exists()
    # Run twice: nothing left to expire, nobody told again.
    assert act(admin_client, Pairing, "expire_overdue", [active]) == [
        "0 overdue request(s) expired."
    ]
    assert Notification.objects.filter(kind="mentorship.expired").count() == 1


def test_a_staff_member_who_runs_no_programme_is_refused_with_a_message(client, populate):
    populate(1)
    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.user_permissions.add(*_permissions("view_pairing", "change_pairing"))
    client.force_login(staff)
    waiting = Pairing.objects.get(status="proposed")

    notes = act(client, Pairing, "withdraw", [waiting])

    assert Pairing.objects.get(pk=waiting.pk).status == "proposed"
    assert notes == [f"{waiting}: Only the mentee or their manager can withdraw this request."]


def _permissions(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="mentorship", codename__in=codenames)


# --- The cohort -------------------------------------------------------------------------------


def test_adding_a_mentee_to_a_cohort_goes_through_the_service(admin_client, program, agent, root):
    response = admin_client.post(
        url(Participation, "add"), {"program": program.pk, "mentee": agent.pk}
    )
    assert response.status_code == 302
    joined = Participation.objects.get(program=program, mentee=agent)
    assert joined.added_by == root


def test_a_closed_programme_takes_nobody_and_says_why(admin_client, program, agent):
    Program.objects.filter(pk=program.pk).update(is_open=False)
    response = admin_client.post(
        url(Participation, "add"), {"program": program.pk, "mentee": agent.pk}, follow=True
    )
    assert response.status_code == 200
    assert not Participation.objects.exists()
    notes = [str(m) for m in response.context["messages"]]
    assert notes == ["This programme is closed: it takes no new pairings."]


def test_removing_from_a_cohort_refuses_a_mentee_with_a_live_pairing(admin_client, populate):
    populate(1)
    paired = Participation.objects.get(mentee=Pairing.objects.get(status="active").mentee)
    waiting = Participation.objects.unmatched().get()

    notes = act(admin_client, Participation, "remove", [paired, waiting])

    assert list(Participation.objects.filter(pk__in=[paired.pk, waiting.pk])) == [paired]
    assert "1 mentee(s) removed from their programme." in notes
    assert any("End or withdraw your pairing" in note for note in notes)


# --- Settings ---------------------------------------------------------------------------------


def _program_form(program, **change) -> dict:
    data = {
        "name": program.name, "slug": program.slug, "kind": program.kind,
        "description": "", "duration_weeks": "12", "cadence_days": "14",
        "accept_window_days": "7", "weights": '{"skills": 30, "expertise": 25, "goals": 15, '
        '"experience": 15, "interests": 10, "cross_team": 5}', "required_track": "",
        "is_open": "on", "managers": [], "created_at_0": "2030-01-01", "created_at_1": "10:00",
        "milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0",
    }  # fmt: skip
    return {**data, **change}


def test_a_programme_is_edited_with_its_milestones_and_managers(admin_client, program, manager):
    response = admin_client.post(
        url(Program, "change", program.pk),
        _program_form(
            program, cadence_days="21", managers=[manager.pk],
            **{"milestones-TOTAL_FORMS": "1", "milestones-0-title": "Midpoint",
               "milestones-0-offset_days": "42"},
        ),
    )  # fmt: skip
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.cadence_days == 21
    assert list(program.managers.all()) == [manager]
    assert sorted(program.milestones.values_list("title", "offset_days")) == [
        ("First meeting", 7), ("Midpoint", 42)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [
        {"cadence_days": "0"},
        {"duration_weeks": "-3"},
        {"duration_weeks": "10000000000000000000000"},
        {"weights": "not json"},
        {"weights": '{"skills": 30}'},
        {"weights": '{"skills": 0, "expertise": 0, "goals": 0, "experience": 0, '
         '"interests": 0, "cross_team": 0}'},
        {"name": "x" * 500},
        {"kind": "peer", "required_track": "__track__"},
    ],
)  # fmt: skip
def test_bad_programme_input_is_a_form_error_and_changes_nothing(
    admin_client, program, editor, change
):
    from tests.training.builders import make_track

    track = make_track(owner=editor, title="Mentor training")
    change = {k: str(track.pk) if v == "__track__" else v for k, v in change.items()}
    before = Program.objects.values().get(pk=program.pk)
    response = admin_client.post(
        url(Program, "change", program.pk), _program_form(program, **change)
    )
    assert response.status_code == 200
    assert response.context["errors"]
    assert Program.objects.values().get(pk=program.pk) == before


@pytest.mark.parametrize("capacity", ["0", "-1", "11", "99999999999999999999"])
def test_a_profile_capacity_out_of_range_is_a_form_error(admin_client, agent, capacity):
    profile = make_profile(agent, capacity=2)
    response = admin_client.post(
        url(MentoringProfile, "change", profile.pk),
        {"user": agent.pk, "open_to_mentor": "on", "capacity": capacity, "topics": "refunds",
         "develop": "", "preferred_format": "any"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["errors"]
    assert MentoringProfile.objects.get(pk=profile.pk).capacity == 2


def test_users_are_chosen_by_autocomplete(admin_client, agent):
    page = admin_client.get(url(MentoringProfile, "add")).content.decode()
    assert 'class="admin-autocomplete"' in page
    found = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "mentorship", "model_name": "mentoringprofile", "field_name": "user",
         "term": "agen"},
    ).json()  # fmt: skip
    assert [row["id"] for row in found["results"]] == [str(agent.pk)]
