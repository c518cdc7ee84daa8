"""Programmes: the list (open ones first, with their facts and the viewer's place), a
programme's page (milestones, weights in words, the viewer's status; participants for its
managers, their own people for team managers), joining and leaving (a closed programme or a
running pairing is a clear 400), and its settings (programme managers and admins only)."""

from __future__ import annotations

import pytest

from mentorship.models import MilestoneTemplate, Participation, Program
from mentorship.models.programs import DEFAULT_WEIGHTS, FACTORS
from mentorship.selectors.programs import weights_in_words
from mentorship.services import pairings as services
from people.models import Role
from tests.factories import TeamFactory, UserFactory
from tests.mentorship.builders import make_pairing, make_profile, make_program
from tests.search.pages import parse
from tests.training.builders import enrol, make_track

LIST = "/mentorship/programmes/"


def detail(program) -> str:
    return f"/mentorship/programmes/{program.slug}/"


def _trained(person, track):
    return enrol(
        person,
        track,
        status="completed",
        completed_at=track.published_at,
        certificate_code=f"MT-{person.pk}",
    )


def edit(program) -> str:
    return f"/mentorship/programmes/{program.slug}/edit/"


def _page_of(client, user, url) -> str:
    client.force_login(user)
    return client.get(url).content.decode()


# --- The list ------------------------------------------------------------------------------


def test_the_list_puts_open_programmes_first_with_their_facts(agent_client, agent, editor):
    track = make_track(owner=editor, title="Mentor training")
    make_program(name="Alpha closed", is_open=False)
    onboarding = make_program(
        name="Onboarding mentoring", duration_weeks=12, cadence_days=14, required_track=track
    )
    make_program(name="Peer mentoring", kind="peer")
    services.participation_join(program=onboarding, mentee=agent)
    services.participation_join(program=onboarding, mentee=UserFactory())

    page = parse(agent_client.get(LIST))
    cards = page.find_all("li", class_="program-card")
    names = [card.find("h2").text().strip() for card in cards]
    assert names == ["Onboarding mentoring", "Peer mentoring", "Alpha closed"]
    first = " ".join(cards[0].text().split())
    assert "Classic mentoring" in first
    assert "12 weeks" in first
    assert "meeting every 14 days" in first
    assert "mentors complete “Mentor training”" in first
    assert "2 mentees" in first
    assert "You take part" in first
    leave = cards[0].find("form", action=f"{detail(onboarding)}leave/")
    # Leaving reads quieter than "Find a mentor" beside it: a link, not a button.
    assert leave.find("button").attrs["class"] == "link-button small"
    assert cards[0].find("a", href=f"{detail(onboarding)}suggestions/").attrs["class"] == (
        "button small"
    )
    assert cards[1].find("form", action="/mentorship/programmes/peer-mentoring/join/")
    assert "no mentor training required" in cards[1].text()
    # A closed programme cannot be joined.
    assert cards[2].find("form") is None


def test_joining_from_the_list_comes_back_to_it(agent_client, agent):
    program = make_program()
    response = agent_client.post(f"{detail(program)}join/", {"next": "list"})
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert Participation.objects.filter(program=program, mentee=agent).exists()


def test_an_empty_list_says_programmes_come_from_the_administrators(agent_client):
    html = agent_client.get(LIST).content.decode()
    assert "There are no mentoring programmes yet." in html


# --- Joining and leaving ---------------------------------------------------------------------


def test_joining_and_leaving(agent_client, agent):
    program = make_program()
    response = agent_client.post(f"{detail(program)}join/")
    assert response.status_code == 302
    assert response["Location"] == detail(program)
    assert Participation.objects.filter(program=program, mentee=agent).count() == 1
    agent_client.post(f"{detail(program)}join/")  # twice changes nothing
    assert Participation.objects.filter(program=program, mentee=agent).count() == 1

    assert agent_client.post(f"{detail(program)}leave/").status_code == 302
    assert not Participation.objects.filter(program=program, mentee=agent).exists()


def test_a_closed_programme_cannot_be_joined(agent_client, agent):
    program = make_program(is_open=False)
    response = agent_client.post(f"{detail(program)}join/")
    assert response.status_code == 400
    assert "This programme is closed" in response.content.decode()
    assert not Participation.objects.exists()


def test_leaving_with_a_running_pairing_is_refused(agent_client, agent, mentor):
    program = make_program()
    make_pairing(program=program, mentor=mentor, mentee=agent)
    response = agent_client.post(f"{detail(program)}leave/")
    assert response.status_code == 400
    assert "End or withdraw your pairing" in response.content.decode()
    assert Participation.objects.filter(program=program, mentee=agent).exists()


@pytest.mark.parametrize("action", ["join", "leave"])
def test_join_and_leave_take_only_posts_of_known_programmes(agent_client, action):
    program = make_program()
    assert agent_client.get(f"{detail(program)}{action}/").status_code == 405
    assert agent_client.post(f"/mentorship/programmes/nope/{action}/").status_code == 404


# --- The programme's page --------------------------------------------------------------------


def test_the_page_shows_milestones_and_the_weights_in_words(agent_client):
    program = make_program(
        description="Your first months, with a guide.",
        milestones=[("Mid-point review", 42), ("Kick-off", 0)],
    )
    page = parse(agent_client.get(detail(program)))
    text = " ".join(page.text().split())
    assert "Your first months, with a guide." in text
    items = [
        " ".join(li.text().split())
        for li in page.find("ol", class_="milestone-templates").find_all("li")
    ]
    assert items == ["Day 0 Kick-off", "Day 42 Mid-point review"]
    rows = page.find("table", class_="weights-table").find("tbody").find_all("tr")
    assert [r.find("th").text() for r in rows] == list(FACTORS.values())
    assert "up to 30" in rows[0].text()


def test_weights_are_shares_of_100_points_and_reverse_inverts_experience():
    program = Program(
        name="Reverse",
        kind="reverse",
        weights={**dict.fromkeys(FACTORS, 0), "skills": 1, "experience": 3},
    )
    lines = {line.factor: line for line in weights_in_words(program)}
    assert lines["skills"].points == 25
    assert lines["experience"].points == 75
    assert lines["interests"].points == 0
    assert "less experienced" in lines["experience"].explanation
    classic = {line.factor: line for line in weights_in_words(Program(weights=DEFAULT_WEIGHTS))}
    assert sum(line.points for line in classic.values()) == 100
    assert "more experienced" in classic["experience"].explanation


def test_a_mentee_sees_their_status_and_find_a_mentor(agent_client, agent, mentor):
    program = make_program()
    page = parse(agent_client.get(detail(program)))
    assert page.find("form", action=f"{detail(program)}join/") is not None

    services.participation_join(program=program, mentee=agent)
    page = parse(agent_client.get(detail(program)))
    assert page.find("a", href=f"{detail(program)}suggestions/") is not None
    assert page.find("form", action=f"{detail(program)}leave/") is not None

    pairing = make_pairing(program=program, mentor=mentor, mentee=agent)
    page = parse(agent_client.get(detail(program)))
    assert f"Mentored by {mentor.name}" in page.text()
    assert page.find("a", href=f"/mentorship/pairings/{pairing.pk}/") is not None
    assert page.find("a", href=f"{detail(program)}suggestions/") is None


def test_a_mentor_without_the_training_is_told_which_track(client, mentor, editor):
    track = make_track(owner=editor, title="Mentor training")
    program = make_program(required_track=track)
    client.force_login(mentor)
    assert "To mentor here, complete" in client.get(detail(program)).content.decode()
    _trained(mentor, track)
    assert "To mentor here, complete" not in client.get(detail(program)).content.decode()


def test_programme_managers_see_the_participants_and_links_to_run_it(client, agent, mentor):
    boss = UserFactory(username="boss", team=TeamFactory(slug="hq"))
    program = make_program(name="Onboarding mentoring", managers=[boss])
    waiting = UserFactory(username="waiting", display_name="Wanda Waiting")
    services.participation_join(program=program, mentee=waiting)
    make_pairing(program=program, mentor=mentor, mentee=agent)
    client.force_login(boss)
    page = parse(client.get(detail(program)))
    head = page.find("div", class_="page-head")
    for link in ("cohort/", "report/", "edit/"):
        assert head.find("a", href=f"{detail(program)}{link}") is not None
    section = page.find("section", aria_labelledby="participants-h")
    text = " ".join(section.text().split())
    assert "2 mentees: 1 matched, 1 waiting for a mentor." in text
    rows = section.find("tbody").find_all("tr")
    # Who still needs a mentor first, with a link to their suggestions.
    assert "Wanda Waiting" in rows[0].text()
    assert rows[0].find("a", href=f"{detail(program)}suggestions/waiting/") is not None
    assert f"Mentored by {mentor.name}" in rows[1].text()
    # "Find a mentor" stays on one line, in a cell of its own.
    assert (
        "nowrap"
        in rows[0].find("a", href=f"{detail(program)}suggestions/waiting/").parent.attrs["class"]
    )


def test_what_a_manager_acts_on_comes_before_the_programme_itself(client, manager, agent):
    program = make_program(managers=[manager], milestones=[("Start", 0)])
    html = _page_of(client, manager, detail(program))
    headings = ("facts-h", "participants-h", "team-h", "mine-h", "milestones-h", "weights-h")
    order = [html.index(f'id="{heading}"') for heading in headings]
    assert order == sorted(order)
    # How mentors are scored is folded away under its heading.
    scoring = parse(html).find("section", aria_labelledby="weights-h")
    assert scoring.find("details").find("summary").find("h2") is not None


def test_your_team_leaves_out_those_already_among_the_participants(client, manager, team, mentor):
    """A manager who runs the programme sees each of their people once: among the
    participants when they joined, under "Your team" otherwise."""
    program = make_program(managers=[manager])
    joined = UserFactory(team=team, display_name="Jo Joined")
    services.participation_join(program=program, mentee=joined)
    UserFactory(team=team, display_name="Nat Notyet")
    page = parse(_page_of(client, manager, detail(program)))
    participants = page.find("section", aria_labelledby="participants-h").text()
    yours = page.find("section", aria_labelledby="team-h").text()
    assert "Jo Joined" in participants
    assert "Jo Joined" not in yours
    assert "Nat Notyet" in yours
    assert "Nat Notyet" not in participants


def test_colleagues_do_not_see_the_participants(agent_client, mentor, team):
    program = make_program()
    make_pairing(program=program, mentor=mentor, mentee=UserFactory(username="pat", team=team))
    page = parse(agent_client.get(detail(program)))
    assert page.find("section", aria_labelledby="participants-h") is None
    assert page.find("a", href=f"{detail(program)}edit/") is None
    assert "pat" not in page.find("main").text()


def test_team_managers_see_their_people_with_find_a_mentor(
    client, manager, agent, mentor, outsider
):
    program = make_program()
    client.force_login(manager)
    page = parse(client.get(detail(program)))
    section = page.find("section", aria_labelledby="team-h")
    assert section.find("a", href=f"{detail(program)}suggestions/agent/") is not None
    assert section.find("a", href=f"{detail(program)}suggestions/mentor/") is not None
    assert outsider.name not in section.text()  # another team's
    assert page.find("section", aria_labelledby="participants-h") is None
    assert page.find("a", href=f"{detail(program)}edit/") is None

    make_pairing(program=program, mentor=mentor, mentee=agent)
    section = parse(client.get(detail(program))).find("section", aria_labelledby="team-h")
    assert section.find("a", href=f"{detail(program)}suggestions/agent/") is None
    assert f"Mentored by {mentor.name}" in section.text()


def test_a_closed_programme_offers_no_join_nor_find_a_mentor(client, manager):
    program = make_program(is_open=False)
    client.force_login(manager)
    page = parse(client.get(detail(program)))
    assert "Closed" in page.text()
    assert page.find("form", action=f"{detail(program)}join/") is None
    assert page.find("a", href=f"{detail(program)}suggestions/agent/") is None


def test_an_unknown_programme_is_404(agent_client):
    assert agent_client.get("/mentorship/programmes/nope/").status_code == 404
    assert agent_client.get("/mentorship/programmes/nope/edit/").status_code == 404


# --- Settings --------------------------------------------------------------------------------


def _valid(program, **changes) -> dict:
    data = {
        "description": "Guides for newcomers.",
        "duration_weeks": "10",
        "cadence_days": "7",
        "accept_window_days": "5",
        "is_open": "on",
        "required_track": "",
        "milestones": "0: Kick-off\n30: Mid-point review\n",
        **{f"weight_{factor}": str(weight) for factor, weight in DEFAULT_WEIGHTS.items()},
    }
    data.update(changes)
    return data


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", team=TeamFactory(slug="hq"))


@pytest.fixture
def program(boss):
    return make_program(name="Onboarding mentoring", managers=[boss], milestones=[("Start", 0)])


def test_a_programme_manager_changes_settings_weights_and_milestones(client, boss, program, editor):
    track = make_track(owner=editor, title="Mentor training")
    client.force_login(boss)
    page = parse(client.get(edit(program)))
    assert page.find("textarea", name="milestones").text().strip() == "0: Start"
    assert page.find("input", name="weight_skills").attrs["value"] == "30"

    data = _valid(program, required_track=str(track.pk), weight_interests="0", weight_skills="50")
    response = client.post(edit(program), data)
    assert response.status_code == 302
    assert response["Location"] == detail(program)
    program.refresh_from_db()
    assert program.duration_weeks == 10
    assert program.cadence_days == 7
    assert program.accept_window_days == 5
    assert program.required_track == track
    assert program.weights["skills"] == 50
    assert program.weights["interests"] == 0
    assert [(m.offset_days, m.title) for m in program.milestones.all()] == [
        (0, "Kick-off"),
        (30, "Mid-point review"),
    ]


def test_closing_a_programme(client, boss, program):
    client.force_login(boss)
    data = _valid(program)
    del data["is_open"]
    assert client.post(edit(program), data).status_code == 302
    program.refresh_from_db()
    assert not program.is_open


def test_only_programme_managers_and_admins_edit(client, program, agent, manager, boss):
    for person in (agent, manager):
        client.force_login(person)
        assert client.get(edit(program)).status_code == 403
        assert client.post(edit(program), _valid(program, duration_weeks="3")).status_code == 403
    program.refresh_from_db()
    assert program.duration_weeks == 12
    admin = UserFactory(is_superuser=True, roles=[Role.ADMIN])
    client.force_login(admin)
    assert client.get(edit(program)).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({f"weight_{f}": "0" for f in FACTORS}, None),
        ({"weight_skills": "101"}, "weight_skills"),
        ({"weight_goals": "-1"}, "weight_goals"),
        ({"weight_goals": "lots"}, "weight_goals"),
        ({"weight_goals": "2.5"}, "weight_goals"),
        ({"weight_expertise": ""}, "weight_expertise"),
        ({"duration_weeks": "0"}, "duration_weeks"),
        ({"cadence_days": "365"}, "cadence_days"),
        ({"accept_window_days": "0"}, "accept_window_days"),
        ({"milestones": "Kick-off on day one"}, "milestones"),
        ({"milestones": "0: Kick-off\n: no day"}, "milestones"),
        ({"milestones": "100: After the end"}, "milestones"),
        ({"milestones": "9999: Far away"}, "milestones"),
        ({"milestones": f"1: {'x' * 250}"}, "milestones"),
        ({"required_track": "999999"}, "required_track"),
    ],
)
def test_bad_settings_are_form_errors_and_nothing_changes(client, boss, program, changes, field):
    client.force_login(boss)
    response = client.post(edit(program), _valid(program, **changes))
    assert response.status_code == 400
    page = parse(response)
    if field is None:
        assert page.find("div", role="alert") is not None
    else:
        assert page.find("ul", id=f"id_{field}_error") is not None, field
    program.refresh_from_db()
    assert program.duration_weeks == 12
    assert program.weights == DEFAULT_WEIGHTS
    assert [m.title for m in program.milestones.all()] == ["Start"]


def test_a_milestone_line_error_names_the_line(client, boss, program):
    client.force_login(boss)
    response = client.post(edit(program), _valid(program, milestones="0: Start\nsoon: Review"))
    assert "Line 2:" in response.content.decode()


def test_a_draft_track_cannot_become_the_prerequisite(client, boss, program, editor):
    draft = make_track(owner=editor, title="Draft training", published=False)
    client.force_login(boss)
    response = client.post(edit(program), _valid(program, required_track=str(draft.pk)))
    assert response.status_code == 400
    program.refresh_from_db()
    assert program.required_track is None


def test_peer_mentoring_has_no_prerequisite(client, boss, editor):
    track = make_track(owner=editor, title="Mentor training")
    peer = make_program(name="Peer mentoring", kind="peer", managers=[boss])
    client.force_login(boss)
    page = parse(client.get(edit(peer)))
    assert "disabled" in page.find("select", name="required_track").attrs
    response = client.post(edit(peer), _valid(peer, required_track=str(track.pk)))
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.required_track is None


def test_templates_change_only_pairings_that_start_later(client, boss, program, agent, mentor):
    running = make_pairing(program=program, mentor=mentor, mentee=agent)
    client.force_login(boss)
    client.post(edit(program), _valid(program, milestones="7: First week"))
    assert [m.title for m in running.milestones.all()] == ["Start"]
    assert list(
        MilestoneTemplate.objects.filter(program=program).values_list("title", flat=True)
    ) == ["First week"]


# --- Query counts ------------------------------------------------------------------------------

# Measured: session, user, roles (3); the programmes with their counts and the viewer's place (1).
LIST_QUERIES = 4
# Measured: session, user, roles (3); the programme and its managers (2); the viewer's pairings,
# participation and training (3); the participants and their pairings (2); the manager's teams'
# people, their participation and pairings (3); the templates (1); the required track (1).
DETAIL_QUERIES = 15


@pytest.mark.parametrize("size", [1, 8])
def test_the_list_query_count_is_constant(agent_client, size, django_assert_max_num_queries):
    for n in range(size):
        program = make_program(name=f"Programme {n}")
        services.participation_join(program=program, mentee=UserFactory())
    with django_assert_max_num_queries(LIST_QUERIES):
        response = agent_client.get(LIST)
    assert len(parse(response).find_all("li", class_="program-card")) == size


@pytest.mark.parametrize("size", [1, 8])
def test_the_page_query_count_is_constant(
    client, manager, editor, team, size, django_assert_max_num_queries
):
    track = make_track(owner=editor, title="Mentor training")
    program = make_program(
        managers=[manager], required_track=track, milestones=[("Start", 0), ("End", 60)]
    )
    for n in range(size):
        mentor = UserFactory(team=TeamFactory(slug=f"mentors-{n}"))
        make_profile(mentor)
        _trained(mentor, track)
        make_pairing(program=program, mentor=mentor, mentee=UserFactory(team=team))
        services.participation_join(program=program, mentee=UserFactory(team=team))
    client.force_login(manager)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(detail(program))
    page = parse(response)
    rows = page.find("section", aria_labelledby="participants-h").find("tbody").find_all("tr")
    assert len(rows) == 2 * size
