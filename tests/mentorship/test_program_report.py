"""The programme report and its CSV: participation, match and completion rates, ratings,
meeting frequency, request outcomes, end reasons and feedback; programme managers and admins
only; one CSV row per pairing with no notes, goal titles or feedback comments, formulas
written as text; constant queries."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mentorship.models import ActionItem, Goal, Meeting, Pairing
from mentorship.selectors.report import program_report
from mentorship.services import pairings
from mentorship.views.team import CSV_HEADER
from tests.browser import log_in, serious_a11y_violations
from tests.conftest import requires_chromium
from tests.factories import UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.training.builders import enrol, make_track

SIZES = [2, 10]
# Measured, the same at both sizes: the session, the user and their roles (3), the programme
# and its managers (2), who joined, the pairings with their health and the people they name
# (one query, joined), the feedback, and the mentor pool (one aggregate). The CSV, with no
# page around it, does not read the viewer's roles.
PAGE_QUERIES = 9
CSV_QUERIES = 8


def _url(program, name="mentorship:report"):
    return reverse(name, args=[program.slug])


def _read(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _started(pairing: Pairing, days_ago: int) -> Pairing:
    start = timezone.localdate() - timedelta(days=days_ago)
    Pairing.objects.filter(pk=pairing.pk).update(
        started_on=start, ends_on=start + timedelta(weeks=12)
    )
    pairing.refresh_from_db()
    return pairing


def _meet(pairing: Pairing, days_ago: int, **fields) -> Meeting:
    return Meeting.objects.create(
        pairing=pairing, starts_at=timezone.now() - timedelta(days=days_ago), **fields
    )


def _figure_card(body: str, name: str) -> str:
    """The headline card holding a figure: the figure, its explanation and its link."""
    start = body.index(f'data-figure="{name}">')
    return body[start : body.index("</div>", start)]


def _figure(body: str, name: str) -> str:
    start = body.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
    return body[start : body.index("</dd>", start)]


@pytest.fixture
def program_manager(db):
    return UserFactory(display_name="Pat Programme")


@pytest.fixture
def program(program_manager):
    return make_program(name="Onboarding mentoring", cadence_days=14, managers=[program_manager])


@pytest.fixture
def pm_client(client, program_manager):
    client.force_login(program_manager)
    return client


@pytest.fixture
def history(program, team, agent, outsider, mentor):
    """A programme with a pairing in every state, meetings, goals, feedback and a mentee
    who joined and was never matched."""
    person = {name: UserFactory(team=team, display_name=name) for name in (
        "Cleo Completed", "Eddie Ended", "Dana Declined", "Ezra Expired", "Will Withdrawn",
        "Wanda Waiting", "Ida Idle")}  # fmt: skip
    mentors = [UserFactory(display_name=f"Mentor {i}") for i in range(5)]

    active = _started(make_pairing(program=program, mentor=outsider, mentee=agent), 30)
    meeting = _meet(active, 20, agenda="SECRET-AGENDA", notes="SECRET-NOTE")
    _meet(active, 5)
    _meet(active, -3)  # next week: not held yet
    ActionItem.objects.create(meeting=meeting, title="SECRET-ACTION", owner=agent)
    Goal.objects.create(pairing=active, title="SECRET-GOAL", progress=40)

    completed = _started(make_pairing(program=program, mentor=mentor,
                                      mentee=person["Cleo Completed"]), 60)  # fmt: skip
    for days in (50, 35, 15):
        _meet(completed, days)
    completed = pairings.pairing_complete(pairing=completed, user=mentor,
                                          now=timezone.now() - timedelta(days=10))  # fmt: skip
    pairings.feedback_give(pairing=completed, author=person["Cleo Completed"], rating=5,
                           comments="A patient listener.")  # fmt: skip
    pairings.feedback_give(pairing=completed, author=mentor, rating=4, comments="Keen learner.")

    ended = _started(make_pairing(program=program, mentor=mentors[0],
                                  mentee=person["Eddie Ended"]), 20)  # fmt: skip
    pairings.pairing_end(pairing=ended, user=person["Eddie Ended"],
                         reason="Moved to the night shift.")  # fmt: skip

    declined = make_pairing(program=program, mentor=mentors[1], mentee=person["Dana Declined"],
                            active=False)  # fmt: skip
    pairings.pairing_decline(pairing=declined, mentor=mentors[1], reason="Too busy.")
    make_pairing(program=program, mentor=mentors[2], mentee=person["Ezra Expired"], active=False)
    pairings.requests_expire(now=timezone.now() + timedelta(days=program.accept_window_days + 1))
    withdrawn = make_pairing(program=program, mentor=mentors[3],
                             mentee=person["Will Withdrawn"], active=False)  # fmt: skip
    pairings.pairing_withdraw(pairing=withdrawn, user=person["Will Withdrawn"])
    make_pairing(program=program, mentor=mentors[4], mentee=person["Wanda Waiting"],
                 active=False)  # fmt: skip
    pairings.participation_join(program=program, mentee=person["Ida Idle"])
    return {"active": active, "completed": completed, "ended": ended, **person}


def test_an_agent_gets_403(agent_client, program):
    assert agent_client.get(_url(program)).status_code == 403
    assert agent_client.get(_url(program, "mentorship:report-csv")).status_code == 403


def test_the_mentees_team_manager_gets_403(manager_client, program, history):
    """A line manager sees their people's pairings on the team page, not the programme's
    report (nor its feedback)."""
    assert manager_client.get(_url(program)).status_code == 403
    assert manager_client.get(_url(program, "mentorship:report-csv")).status_code == 403


def test_a_manager_of_another_programme_gets_403(pm_client, program_manager, program):
    other = make_program(name="Reverse mentoring", kind="reverse")
    assert pm_client.get(_url(other)).status_code == 403
    assert pm_client.get(_url(other, "mentorship:report-csv")).status_code == 403


def test_an_unknown_programme_is_404(pm_client, program):
    assert pm_client.get("/mentorship/programmes/no-such-thing/report/").status_code == 404
    assert pm_client.get("/mentorship/programmes/no-such-thing/report.csv").status_code == 404


def test_an_admin_reads_every_report(client, program):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(_url(program)).status_code == 200
    assert client.get(_url(program, "mentorship:report-csv")).status_code == 200


def test_only_get_is_allowed(pm_client, program):
    assert pm_client.post(_url(program)).status_code == 405
    assert pm_client.post(_url(program, "mentorship:report-csv")).status_code == 405


def test_the_figures(program, history):
    report = program_report(program=program)
    # Joined: the eight mentees above (Ida only joined); matched: a pairing started for 3.
    assert (report.mentees_joined, report.mentees_matched, report.match_rate) == (8, 3, 38)
    # Waiting for a mentor, as the cohort counts them: no live or completed pairing here
    # (ended, declined, expired, withdrawn, or never paired).
    assert report.mentees_waiting == 5
    assert report.mentors_taking_part == 3
    assert (report.active, report.at_risk, report.waiting) == (1, 0, 1)
    assert (report.completed, report.ended, report.completion_rate) == (1, 1, 50)
    assert (report.accepted, report.declined, report.expired, report.withdrawn) == (3, 1, 1, 1)
    assert (report.rating_count, report.rating_average) == (2, 4.5)
    # Meetings held: 2 + 3 + 0 over 30 + 50 + 20 days of pairing.
    assert report.meetings_held == 5
    assert report.days_between_meetings == 20
    assert report.meetings_per_month == 1.5
    assert report.expected_per_month == 2.2
    assert [h.pairing.pk for h in report.end_reasons] == [history["ended"].pk]
    assert sorted((f.side, f.rating) for f in report.feedback) == [("Mentee", 5), ("Mentor", 4)]
    assert len(report.rows) == 7


def test_the_page_shows_the_figures_reasons_and_feedback(pm_client, program, history):
    response = pm_client.get(_url(program))
    body = response.content.decode()
    assert response.status_code == 200
    assert _figure(body, "mentees-joined") == "8"
    assert _figure(body, "match-rate").startswith("38%")
    assert "3 of 8 mentees who joined had a pairing start" in body
    assert _figure(body, "completion-rate").startswith("50%")
    assert _figure(body, "rating").startswith("4.5 of 5")
    assert "from 2 ratings" in body
    assert _figure(body, "meetings-per-month").startswith("1.5 a month")
    assert "about one every 20 days" in body
    assert "meetings per pairing-month" in body  # the measure is defined on the page
    for name, count in (("accepted", 3), ("declined", 1), ("expired", 1), ("withdrawn", 1),
                        ("waiting", 1)):  # fmt: skip
        assert _figure(body, name) == str(count)
    assert "Moved to the night shift." in body
    assert "A patient listener." in body
    assert "Keen learner." in body
    assert 'aria-current="page">Programmes</a>' in body


def test_nothing_the_pairs_wrote_in_their_plan_shows(pm_client, program, history):
    body = pm_client.get(_url(program)).content.decode()
    rows = _read(pm_client.get(_url(program, "mentorship:report-csv")))
    text = "\n".join(",".join(r) for r in rows)
    for secret in ("SECRET-NOTE", "SECRET-AGENDA", "SECRET-GOAL", "SECRET-ACTION"):
        assert secret not in body
        assert secret not in text
    # Feedback comments are for the page (programme managers), never for a file.
    assert "A patient listener." not in text
    assert "Keen learner." not in text


def test_the_csv_has_one_row_per_pairing(pm_client, program, history, agent, outsider):
    response = pm_client.get(_url(program, "mentorship:report-csv"))
    assert response["Content-Disposition"].startswith(
        'attachment; filename="mentoring-onboarding-mentoring-'
    )
    rows = _read(response)
    assert rows[0] == CSV_HEADER
    assert len(rows) == 8
    by_mentee = {r[0]: dict(zip(CSV_HEADER, r, strict=True)) for r in rows[1:]}
    active = by_mentee[agent.name]
    started = history["active"].started_on
    assert active["Mentor"] == outsider.name
    assert active["Mentee's team"] == "Billing Support"
    assert (active["Status"], active["At risk"], active["Source"]) == (
        "Active", "no", "Requested by the mentee"
    )  # fmt: skip
    assert active["Started on"] == started.isoformat()
    assert active["Ends on"] == (started + timedelta(weeks=12)).isoformat()
    assert active["Meetings held"] == "2"
    assert active["Meetings per month"] == "2.0"  # 2 meetings in 30 days
    assert (active["Goals met"], active["Goals"], active["Average goal progress %"]) == (
        "0", "1", "40"
    )  # fmt: skip
    done = by_mentee["Cleo Completed"]
    assert (done["Status"], done["Ratings"], done["Average rating"]) == ("Completed", "2", "4.5")
    assert done["Finished on"] == (timezone.localdate() - timedelta(days=10)).isoformat()
    assert by_mentee["Eddie Ended"]["End reason"] == "Moved to the night shift."
    assert by_mentee["Dana Declined"]["Status"] == "Declined by the mentor"
    assert by_mentee["Wanda Waiting"]["Started on"] == ""


def test_csv_formulas_are_written_as_text(pm_client, program, team):
    sneaky = UserFactory(team=team, display_name='=HYPERLINK("http://evil.example","x")')
    adder = UserFactory(display_name="+1 mentor")
    pairing = make_pairing(program=program, mentor=adder, mentee=sneaky)
    pairings.pairing_end(pairing=pairing, user=sneaky, reason="@SUM(A1) moved on")
    (row,) = _read(pm_client.get(_url(program, "mentorship:report-csv")))[1:]
    line = dict(zip(CSV_HEADER, row, strict=True))
    assert line["Mentee"] == '\'=HYPERLINK("http://evil.example","x")'
    assert line["Mentor"] == "'+1 mentor"
    assert line["End reason"] == "'@SUM(A1) moved on"


def test_the_match_rate_leads_to_matching_the_waiting_mentees(pm_client, program, history):
    body = pm_client.get(_url(program)).content.decode()
    cohort = reverse("mentorship:cohort", args=[program.slug])
    assert f'<a href="{cohort}">Match the 5 waiting mentees</a>' in _figure_card(body, "match-rate")

    program.is_open = False  # a closed programme takes no new pairings
    program.save()
    assert cohort not in pm_client.get(_url(program)).content.decode()


def test_at_risk_links_to_the_pairings_at_risk(pm_client, program, history, agent, outsider):
    body = pm_client.get(_url(program)).content.decode()
    assert 'href="#at-risk"' not in body  # none at risk: nothing to list
    assert 'id="at-risk"' not in body

    active = history["active"]
    Meeting.objects.filter(pairing=active).update(starts_at=timezone.now() - timedelta(days=40))
    body = pm_client.get(_url(program)).content.decode()
    assert 'href="#at-risk"' in _figure(body, "at-risk")
    section = body.split('id="at-risk"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<tr class="pairing-row at-risk">(.*?)</tr>', section, re.S)
    assert len(rows) == 1
    assert agent.name in rows[0]
    assert outsider.name in rows[0]
    assert f'href="{active.get_absolute_url()}"' in rows[0]
    for secret in ("SECRET-NOTE", "SECRET-AGENDA", "SECRET-GOAL", "SECRET-ACTION"):
        assert secret not in body


def test_an_empty_programme_reads_as_such(pm_client, program):
    body = pm_client.get(_url(program)).content.decode()
    assert _figure(body, "match-rate").startswith("—")
    assert _figure(body, "completion-rate").startswith("—")
    assert "No pairing ended early." in body
    assert "No feedback yet." in body
    assert len(_read(pm_client.get(_url(program, "mentorship:report-csv")))) == 1


def test_the_pool_counts_open_trained_mentors_and_their_free_slots(program_manager, editor):
    track = make_track(owner=editor, title="Mentor training")
    trained = make_program(name="Classic", required_track=track, managers=[program_manager])
    elsewhere = make_program(name="Elsewhere")
    full, free, untrained, closed = (UserFactory() for _ in range(4))
    gone = UserFactory(is_active=False)
    for person in (full, free, closed, gone):
        enrol(person, track, status="completed", completed_at=timezone.now(),
              certificate_code=f"C-{person.pk}")  # fmt: skip
    make_profile(full, capacity=1)
    make_profile(free, capacity=2)
    make_profile(untrained)
    make_profile(closed, open_to_mentor=False)
    make_profile(gone)
    make_pairing(program=elsewhere, mentor=full, mentee=UserFactory())  # full everywhere
    report = program_report(program=trained)
    assert (report.mentors_open, report.mentors_with_room) == (2, 1)
    # Without a prerequisite, the untrained mentor counts too.
    assert (program_report(program=elsewhere).mentors_open) == 3


def _grow(program, team, other_team, size):
    for i in range(size):
        mentee = UserFactory(team=team)
        mentor = UserFactory(team=other_team)
        make_profile(mentor, capacity=3)
        pairing = _started(make_pairing(program=program, mentor=mentor, mentee=mentee), 10 + i)
        _meet(pairing, i)
        Goal.objects.create(pairing=pairing, title=f"Goal {i}", progress=5 * i)
        if i % 2:
            pairing = pairings.pairing_complete(pairing=pairing, user=mentor)
            pairings.feedback_give(pairing=pairing, author=mentee, rating=4, comments="Fine.")
        make_pairing(program=program, mentor=mentor, mentee=UserFactory(team=team), active=False)
        pairings.participation_join(program=program, mentee=UserFactory(team=team))


@pytest.mark.parametrize("size", SIZES)
def test_report_query_count_is_constant(
    pm_client, program, team, other_team, size, django_assert_max_num_queries
):
    _grow(program, team, other_team, size)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = pm_client.get(_url(program))
    assert response.status_code == 200
    assert _figure(response.content.decode(), "mentees-joined") == str(3 * size)


@pytest.mark.parametrize("size", SIZES)
def test_csv_query_count_is_constant(
    pm_client, program, team, other_team, size, django_assert_max_num_queries
):
    _grow(program, team, other_team, size)
    with django_assert_max_num_queries(CSV_QUERIES):
        response = pm_client.get(_url(program, "mentorship:report-csv"))
    assert len(_read(response)) == 2 * size + 1


@pytest.mark.browser
@requires_chromium
def test_in_a_browser_the_report_passes_axe(new_page, program_manager, program, history):
    page = new_page()
    log_in(page, program_manager.username)
    page.goto(_url(program))
    expect(
        page.get_by_role("heading", level=1, name="Report: Onboarding mentoring")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
    violations, report = serious_a11y_violations(page)
    assert not violations, report
    assert page.errors == []
