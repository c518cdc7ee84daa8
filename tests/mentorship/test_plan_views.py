"""The plan's pages as the pair uses them: goal and meeting forms (times in the viewer's zone),
action items, the done toggles with and without htmx, the plan as it renders, who may do what
(403 for a manager who sees the pairing, 404 for anyone else), the query counts, and the
toggles in a real browser."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import ActionItem, Goal, Meeting, Milestone
from mentorship.selectors.plans import pairing_plan
from mentorship.services import pairings as pairing_services
from mentorship.services import plans as services
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import make_article
from tests.mentorship.builders import make_pairing, make_program
from tests.training.builders import make_track

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def pairing(mentor, agent):
    program = make_program(milestones=[("First goals agreed", 14), ("Halfway", 42)])
    return make_pairing(program=program, mentor=mentor, mentee=agent)


@pytest.fixture
def member(client, agent):
    client.force_login(agent)
    return client


def _meeting(pairing, user, *, days: float = -1, **data) -> Meeting:
    data = {"starts_at": timezone.now() + timedelta(days=days), **data}
    return services.meeting_add(pairing=pairing, user=user, data=data)


def _action(meeting, owner, **data) -> ActionItem:
    data = {"title": "Read the refunds article", "owner": owner, **data}
    return services.action_item_add(meeting=meeting, user=owner, data=data)


def _base(pairing) -> str:
    return f"/mentorship/pairings/{pairing.pk}"


def _local(when: datetime) -> str:
    """What <input type="datetime-local"> sends."""
    return when.strftime("%Y-%m-%dT%H:%M")


# --- Who may --------------------------------------------------------------------------------


def _plan_urls(pairing, agent):
    goal = services.goal_add(pairing=pairing, user=agent, data={"title": "Lead a call"})
    meeting = _meeting(pairing, agent)
    item = _action(meeting, agent)
    milestone = Milestone.objects.filter(pairing=pairing).first()
    base = _base(pairing)
    gets = [
        f"{base}/goals/add/",
        f"{base}/goals/{goal.pk}/edit/",
        f"{base}/meetings/add/",
        f"{base}/meetings/{meeting.pk}/edit/",
        f"{base}/meetings/{meeting.pk}/actions/add/",
        f"{base}/meetings/{meeting.pk}/meeting.ics",
    ]
    posts = [
        *gets[:5],
        f"{base}/milestones/{milestone.pk}/done/",
        f"{base}/actions/{item.pk}/done/",
    ]
    return gets, posts


@pytest.mark.parametrize(("who", "status"), [("manager", 403), ("outsider", 404)])
def test_only_the_pair_opens_or_writes_the_plan(client, pairing, agent, request, who, status):
    gets, posts = _plan_urls(pairing, agent)
    client.force_login(request.getfixturevalue(who))
    form = {
        "title": "Hijack",
        "status": "met",
        "progress": "100",
        "done": "1",
        "starts_at": _local(timezone.now()),
        "duration_minutes": "30",
    }
    for url in gets:
        assert client.get(url).status_code == status, url
    for url in posts:
        assert client.post(url, form).status_code == status, url
        assert client.post(url, form, **HTMX).status_code == status, url
    assert Goal.objects.get().title == "Lead a call"
    assert Meeting.objects.count() == 1
    assert not Milestone.objects.filter(done_at__isnull=False).exists()
    assert not ActionItem.objects.filter(done=True).exists()


def test_the_pairing_page_shows_managers_no_notes_and_no_goals(client, pairing, agent, manager):
    services.goal_add(pairing=pairing, user=agent, data={"title": "Secret ambition"})
    _meeting(pairing, agent, notes="Thinking of leaving the team.", agenda="Career talk")
    client.force_login(manager)
    page = client.get(f"{_base(pairing)}/").content.decode()
    for private in ("Secret ambition", "Thinking of leaving", "Career talk"):
        assert private not in page
    client.force_login(agent)
    page = client.get(f"{_base(pairing)}/").content.decode()
    for shared in ("Secret ambition", "Thinking of leaving", "Career talk"):
        assert shared in page


# --- The form pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    ["goals/add/", "meetings/add/", "meetings/{meeting}/edit/", "meetings/{meeting}/actions/add/"],
)
def test_a_form_page_has_the_section_tabs_and_its_breadcrumb(member, pairing, agent, page):
    meeting = _meeting(pairing, agent)
    html = member.get(f"{_base(pairing)}/{page.format(meeting=meeting.pk)}").content.decode()

    assert 'aria-label="Breadcrumb"' in html
    assert 'aria-label="Mentorship"' in html
    assert 'aria-current="page">My mentoring</a>' in html


@pytest.mark.parametrize(("who", "other"), [("agent", "mentor"), ("mentor", "agent")])
def test_the_forms_name_the_other_one_of_the_pair(client, request, pairing, agent, who, other):
    client.force_login(request.getfixturevalue(who))
    other = request.getfixturevalue(other)
    meeting = _meeting(pairing, agent, days=3)
    base = _base(pairing)

    goal = client.get(f"{base}/goals/add/").content.decode()
    plan = client.get(f"{base}/meetings/add/").content.decode()
    edit = client.get(f"{base}/meetings/{meeting.pk}/edit/").content.decode()

    assert f"Only you and {other.name} see your goals" in goal
    assert f"Plan a meeting to come: {other.name} is told" in plan
    assert f"{other.name} is told." in edit
    assert "the other of you" not in plan + edit


# --- Goals ---------------------------------------------------------------------------------


def test_a_member_adds_a_goal_linked_to_a_track(member, pairing, editor):
    article = make_article(author=editor, title="Active listening", approved_by=editor)
    track = make_track(owner=editor, title="Difficult calls", articles=[article])
    page = member.get(f"{_base(pairing)}/goals/add/")
    assert page.status_code == 200
    assert "Difficult calls" in page.content.decode()
    response = member.post(
        f"{_base(pairing)}/goals/add/",
        {
            "title": "Handle difficult calls",
            "status": "in_progress",
            "progress": "0",
            "track": track.pk,
            "due_on": "",
        },
    )
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_base(pairing)}/#goal-{goal.pk}"
    assert goal.track == track


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"progress": "150"}, "progress"),
        ({"progress": "-5"}, "progress"),
        ({"title": ""}, "title"),
        ({"status": "won"}, "status"),
        ({"due_on": "31/02/2030"}, "due_on"),
        ({"track": "999999"}, "track"),
    ],
)
def test_a_bad_goal_is_a_form_error_and_nothing_is_saved(member, pairing, data, field):
    form = {"title": "Lead a call", "status": "in_progress", "progress": "10", **data}
    response = member.post(f"{_base(pairing)}/goals/add/", form)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Goal.objects.exists()


def test_a_draft_track_cannot_be_linked(member, pairing, editor):
    draft = make_track(owner=editor, title="Unfinished", published=False)
    form = {"title": "X", "status": "in_progress", "progress": "0", "track": draft.pk}
    response = member.post(f"{_base(pairing)}/goals/add/", form)
    assert response.status_code == 400
    assert "track" in response.context["form"].errors
    assert not Goal.objects.exists()


def test_editing_a_goal_to_met_sets_it_complete(member, pairing, agent):
    goal = services.goal_add(pairing=pairing, user=agent, data={"title": "Lead a call"})
    page = member.get(f"{_base(pairing)}/goals/{goal.pk}/edit/")
    assert page.status_code == 200
    assert 'value="Lead a call"' in page.content.decode()
    form = {"title": "Lead a call", "status": "met", "progress": "30"}
    response = member.post(f"{_base(pairing)}/goals/{goal.pk}/edit/", form)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.progress == 100
    assert goal.met_at is not None


def test_a_goal_of_another_pairing_is_404(member, pairing, agent, mentor, team):
    from tests.factories import UserFactory

    other = make_pairing(
        program=make_program(name="Second"), mentor=agent, mentee=UserFactory(team=team)
    )
    goal = services.goal_add(pairing=other, user=agent, data={"title": "Theirs"})
    assert member.get(f"{_base(pairing)}/goals/{goal.pk}/edit/").status_code == 404


# --- Meetings ------------------------------------------------------------------------------


def test_a_meeting_is_read_in_the_viewers_time_zone(member, pairing, agent):
    agent.timezone = "Europe/Paris"
    agent.save(update_fields=["timezone"])
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    day = (timezone.now() + timedelta(days=10)).astimezone(paris).date()
    page = member.get(f"{_base(pairing)}/meetings/add/")
    assert "Europe/Paris" in page.content.decode()
    response = member.post(
        f"{_base(pairing)}/meetings/add/",
        {"starts_at": f"{day:%Y-%m-%d}T14:30", "duration_minutes": "45", "agenda": "Tone"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(day.year, day.month, day.day, 14, 30, tzinfo=paris)
    assert meeting.duration_minutes == 45
    assert response["Location"] == f"{_base(pairing)}/#meeting-{meeting.pk}"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"duration_minutes": "4"}, "duration_minutes"),
        ({"duration_minutes": "481"}, "duration_minutes"),
        ({"duration_minutes": "half an hour"}, "duration_minutes"),
        ({"starts_at": _local(timezone.now() - timedelta(days=500))}, "starts_at"),
        ({"starts_at": _local(timezone.now() + timedelta(days=500))}, "starts_at"),
        ({"starts_at": "2030-13-45T25:61"}, "starts_at"),
        ({"starts_at": ""}, "starts_at"),
    ],
)
def test_a_bad_meeting_is_a_form_error_and_nothing_is_saved(member, pairing, data, field):
    form = {
        "starts_at": _local(timezone.now() + timedelta(days=2)),
        "duration_minutes": "30",
        **data,
    }
    response = member.post(f"{_base(pairing)}/meetings/add/", form)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_saving_notes_keeps_a_meetings_exact_time(member, pairing, agent):
    start = timezone.now() - timedelta(days=2)  # has seconds; the form shows minutes
    meeting = _meeting(pairing, agent, starts_at=start)
    page = member.get(f"{_base(pairing)}/meetings/{meeting.pk}/edit/")
    shown = page.context["form"]["starts_at"].value()
    response = member.post(
        f"{_base(pairing)}/meetings/{meeting.pk}/edit/",
        {
            "starts_at": _local(shown),
            "duration_minutes": "30",
            "notes": "We agreed on three calls.",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == start
    assert meeting.notes == "We agreed on three calls."


def test_a_completed_pairings_plan_is_read_only(member, pairing, agent, mentor):
    meeting = _meeting(pairing, agent)
    pairing_services.pairing_complete(pairing=pairing, user=mentor)
    response = member.get(f"{_base(pairing)}/meetings/add/")
    assert response.status_code == 302
    assert response["Location"] == f"{_base(pairing)}/"
    form = {"starts_at": _local(timezone.now()), "duration_minutes": "30", "notes": "Late"}
    response = member.post(f"{_base(pairing)}/meetings/{meeting.pk}/edit/", form)
    assert response.status_code == 400
    assert "completed: its plan is read-only" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.notes == ""
    response = member.post(
        f"{_base(pairing)}/goals/add/", {"title": "X", "status": "met", "progress": "100"}
    )
    assert response.status_code == 400
    assert not Goal.objects.exists()


# --- Action items --------------------------------------------------------------------------


def test_a_member_adds_an_action_item_for_the_other(member, pairing, agent, mentor):
    meeting = _meeting(pairing, agent)
    response = member.post(
        f"{_base(pairing)}/meetings/{meeting.pk}/actions/add/",
        {"title": "Send the  call list", "owner": mentor.pk, "due_on": f"{date.today():%Y-%m-%d}"},
    )
    item = ActionItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_base(pairing)}/#action-{item.pk}"
    assert item.owner == mentor
    assert item.title == "Send the call list"


def test_an_owner_outside_the_pair_is_a_form_error(member, pairing, agent, manager):
    meeting = _meeting(pairing, agent)
    response = member.post(
        f"{_base(pairing)}/meetings/{meeting.pk}/actions/add/",
        {"title": "Do it", "owner": manager.pk},
    )
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors
    assert not ActionItem.objects.exists()


# --- Toggles -------------------------------------------------------------------------------


def test_htmx_ticks_a_milestone_and_gets_its_row(member, pairing):
    milestone = Milestone.objects.filter(pairing=pairing).first()
    url = f"{_base(pairing)}/milestones/{milestone.pk}/done/"
    response = member.post(url, {"done": "1"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="milestone-{milestone.pk}"' in html
    assert 'aria-pressed="true"' in html
    assert 'value="0"' in html  # pressing again undoes it
    assert 'hx-swap-oob="innerHTML:#plan-status"' in html
    milestone.refresh_from_db()
    assert milestone.done_at is not None


def test_without_javascript_a_toggle_comes_back_to_the_plan(member, pairing):
    milestone = Milestone.objects.filter(pairing=pairing).first()
    url = f"{_base(pairing)}/milestones/{milestone.pk}/done/"
    response = member.post(url, {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{_base(pairing)}/#milestone-{milestone.pk}"
    member.post(url, {"done": "0"})
    milestone.refresh_from_db()
    assert milestone.done_at is None


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_bad_toggle_is_400_and_changes_nothing(member, pairing, agent, headers):
    milestone = Milestone.objects.filter(pairing=pairing).first()
    item = _action(_meeting(pairing, agent), agent)
    for url in (
        f"{_base(pairing)}/milestones/{milestone.pk}/done/",
        f"{_base(pairing)}/actions/{item.pk}/done/",
    ):
        response = member.post(url, {"done": "maybe"}, **headers)
        assert response.status_code == 400
        assert "Say whether" in response.content.decode()
    milestone.refresh_from_db()
    item.refresh_from_db()
    assert milestone.done_at is None
    assert not item.done


def test_a_toggle_on_a_finished_pairing_says_why(member, pairing, mentor):
    milestone = Milestone.objects.filter(pairing=pairing).first()
    pairing_services.pairing_end(pairing=pairing, user=mentor, reason="Moved team")
    url = f"{_base(pairing)}/milestones/{milestone.pk}/done/"
    response = member.post(url, {"done": "1"}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ended early: its plan is read-only" in html
    assert "<button" not in html
    assert member.post(url, {"done": "1"}).status_code == 400
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_htmx_ticks_an_action_item_and_updates_the_open_count(member, pairing, agent, mentor):
    meeting = _meeting(pairing, agent)
    item = _action(meeting, agent)
    _action(meeting, mentor, title="Find two calls")
    response = member.post(f"{_base(pairing)}/actions/{item.pk}/done/", {"done": "1"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="action-{item.pk}"' in html
    assert 'aria-pressed="true"' in html
    assert 'hx-swap-oob="innerHTML:#open-actions"' in html
    assert "1 open action item." in html
    item.refresh_from_db()
    assert item.done


# --- The plan as it renders ----------------------------------------------------------------


def _render(pairing, viewer) -> str:
    request = RequestFactory().get(f"{_base(pairing)}/")
    request.user = viewer
    request.htmx = False
    plan = pairing_plan(pairing=pairing, viewer=viewer)
    return render_to_string(
        "mentorship/plans/includes/plan.html", {"plan": plan, "pairing": pairing}, request=request
    )


def test_the_plan_puts_the_next_meeting_first_and_flags_what_is_overdue(pairing, agent, mentor):
    held = _meeting(pairing, agent, days=-3, notes="Good first talk.")
    soon = _meeting(pairing, agent, days=2, agenda="Escalations")
    _meeting(pairing, agent, days=9)
    _action(held, agent, title="Late thing", due_on=date.today() - timedelta(days=2))
    Milestone.objects.filter(pairing=pairing, title="First goals agreed").update(
        due_on=date.today() - timedelta(days=1)
    )
    plan = pairing_plan(pairing=pairing, viewer=mentor)
    assert plan.next_meeting.meeting == soon
    assert [r.meeting.starts_at for r in plan.meetings] == sorted(
        (r.meeting.starts_at for r in plan.meetings), reverse=True
    )
    assert plan.open_actions == 1
    assert plan.overdue_actions == 1
    assert [m.overdue for m in plan.milestones] == [True, False]
    html = _render(pairing, mentor)
    assert html.index("Next meeting") < html.index("Escalations") < html.index("Good first talk")
    assert "1 overdue" in html
    assert "Overdue" in html


def test_a_finished_plan_renders_without_controls(pairing, agent, mentor):
    _action(_meeting(pairing, agent), agent)
    services.goal_add(pairing=pairing, user=agent, data={"title": "Lead a call"})
    pairing_services.pairing_complete(pairing=pairing, user=mentor)
    pairing.refresh_from_db()
    html = _render(pairing, agent)
    assert "its plan is read-only" in html
    assert "Lead a call" in html
    assert "<form" not in html
    assert "/edit/" not in html


def test_the_plan_s_buttons_say_what_they_do_and_to_what(pairing, agent):
    meeting = _meeting(pairing, agent, days=2)
    item = _action(meeting, agent, title="Read the refunds article")
    milestone = Milestone.objects.filter(pairing=pairing).first()
    services.milestone_mark(milestone=milestone, user=agent, done=True)

    html = _render(pairing, agent)

    local = timezone.localtime(meeting.starts_at)
    when = f"{local.day} {local:%B %Y}"
    assert f'Add to calendar<span class="visually-hidden"> (the meeting on {when})</span>' in html
    assert ".ics<" not in html
    # One accessible name whatever the state; the text says "Mark done" or (pressed) "Done".
    assert f'aria-pressed="false" aria-label="Mark done: {item.title}">Mark done</button>' in html
    assert f'aria-pressed="true" aria-label="Mark done: {milestone.title}">Done</button>' in html


def test_anyone_but_the_pair_gets_an_empty_plan(pairing, agent, manager, django_assert_num_queries):
    services.goal_add(pairing=pairing, user=agent, data={"title": "Secret"})
    with django_assert_num_queries(0):
        plan = pairing_plan(pairing=pairing, viewer=manager)
    assert plan.goals == ()
    assert plan.meetings == ()


def _grow(pairing, agent, mentor, editor, n: int) -> None:
    for i in range(n):
        meeting = _meeting(pairing, agent, days=-(i + 1) * 7, notes=f"Notes {i}")
        _action(meeting, agent, title=f"Mine {i}")
        _action(meeting, mentor, title=f"Theirs {i}")
        services.goal_add(pairing=pairing, user=mentor, data={"title": f"Goal {i}"})
    article = make_article(author=editor, title=f"Read {n}", approved_by=editor)
    track = make_track(owner=editor, title=f"Track {n}", articles=[article])
    services.goal_add(pairing=pairing, user=agent, data={"title": f"Linked {n}", "track": track})


def test_the_plan_reads_and_renders_in_constant_queries(
    pairing, agent, mentor, editor, django_assert_max_num_queries
):
    # Goals with their tracks, the mentee's enrolments, milestones, meetings, action items.
    _grow(pairing, agent, mentor, editor, 1)
    with django_assert_max_num_queries(5):
        _render(pairing, mentor)
    _grow(pairing, agent, mentor, editor, 8)
    with django_assert_max_num_queries(5):
        html = _render(pairing, mentor)
    assert "Notes 7" in html
    assert "Theirs 7" in html
    assert "Linked 8" in html


def test_the_form_pages_read_in_constant_queries(
    member, pairing, agent, mentor, editor, django_assert_max_num_queries
):
    _grow(pairing, agent, mentor, editor, 1)
    meeting = Meeting.objects.first()
    goal = Goal.objects.first()
    urls = [
        f"{_base(pairing)}/goals/add/",
        f"{_base(pairing)}/goals/{goal.pk}/edit/",
        f"{_base(pairing)}/meetings/{meeting.pk}/edit/",
        f"{_base(pairing)}/meetings/{meeting.pk}/actions/add/",
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(12) as captured:
            assert member.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    _grow(pairing, agent, mentor, editor, 6)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert member.get(url).status_code == 200


def _snapshot() -> tuple[list, ...]:
    return tuple(
        list(model.objects.order_by("pk").values())
        for model in (Goal, Meeting, ActionItem, Milestone)
    )


@pytest.mark.parametrize(
    "junk",
    [
        {},
        {"title": "x" * 5000, "description": "y" * 50_000, "notes": "z" * 50_000},
        {"starts_at": "9999-12-31T23:59", "duration_minutes": "99999999999999999999"},
        {"starts_at": "0001-01-01T00:00", "due_on": "0001-01-01", "progress": "1e9"},
        {"owner": "-1", "track": "abc", "status": ["met", "won"], "done": ["0", "2"]},
    ],
)
def test_hostile_posts_are_answered_without_changing_anything(member, pairing, agent, junk):
    _, posts = _plan_urls(pairing, agent)
    before = _snapshot()
    for url in posts:
        for headers in ({}, HTMX):
            response = member.post(url, junk, **headers)
            assert response.status_code == 400, (url, response.status_code)
    assert _snapshot() == before


@pytest.mark.browser
@requires_chromium
def test_in_a_browser_the_toggles_keep_the_focus_and_say_what_changed(
    new_page, pairing, agent, mentor
):
    meeting = _meeting(pairing, agent, notes="Went well.")
    item = _action(meeting, agent, due_on=date.today() - timedelta(days=1))
    milestone = Milestone.objects.filter(pairing=pairing).first()
    page = new_page()
    log_in(page, "agent")
    page.goto(f"{_base(pairing)}/")
    violations, report = serious_a11y_violations(page)
    assert not violations, report

    toggle = page.get_by_role("button", name=f"Mark done: {milestone.title}", exact=True)
    expect(toggle).to_have_text("Mark done")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text("Done")  # with a tick drawn before it
    expect(toggle).to_be_focused()  # htmx swapped the row; the button kept the focus
    expect(page.locator("#plan-status")).to_have_text(f"{milestone.title}: done.")

    page.locator(f"#action-toggle-{item.pk}").click()
    expect(page.locator("#open-actions")).to_have_text("None open.")
    expect(page.locator(f"#action-{item.pk}")).to_contain_text("Done")
    assert not page.errors, page.errors
    milestone.refresh_from_db()
    item.refresh_from_db()
    assert milestone.done_at is not None
    assert item.done
