"""The matching pages from outside: a mentee's suggestions and a manager's view of them,
"why not X?", asking a mentor, assigning one, and the cohort proposal; who may open them, bad
input answered with a 4xx and a message (nothing saved), and pinned query counts."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mentorship.models import MentoringProfile, Pairing, Participation
from mentorship.models.programs import FACTORS
from questions.models import Question
from tests.factories import TeamFactory, UserFactory, make_article
from tests.mentorship.builders import make_pairing, make_profile, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    """A programme manager from elsewhere in the organisation."""
    return UserFactory(username="lead", team=TeamFactory(name="People", slug="people"))


@pytest.fixture
def program(lead):
    return make_program(name="Onboarding", managers=[lead])


@pytest.fixture
def mentee(agent):
    make_profile(agent, open_to_mentor=False, develop=["refunds", "chargebacks"])
    return agent


@pytest.fixture
def guides(other_team):
    """Three mentors from another team, the first the best fit."""
    people = []
    for name, topics in (("ann", ["refunds", "chargebacks"]), ("bob", ["refunds"]),
                         ("cy", []),):  # fmt: skip
        person = UserFactory(username=name, display_name=name.title(), team=other_team,
                             experience_level="experienced")  # fmt: skip
        make_profile(person, topics=topics)
        people.append(person)
    return people


def url(name: str, program, *args) -> str:
    from django.urls import reverse

    return reverse(f"mentorship:{name}", args=[program.slug, *args])


def login(client, user):
    client.force_login(user)
    return client


# --- The suggestion page ------------------------------------------------------------------


def test_my_suggestions_show_scores_breakdowns_load_and_ask_links(client, program, mentee, guides):
    response = login(client, mentee).get(url("suggestions", program))
    assert response.status_code == 200
    html = response.content.decode()
    # By the cards' ids: the other people have random names ("Bobby" in the page's header).
    assert html.index('id="mentor-ann"') < html.index('id="mentor-bob"')
    assert "Can help with chargebacks and refunds (2 of 2 wanted)." in html
    assert "0 of 2 places taken" in html
    assert "Ask to be my mentor" in html
    assert url("request", program, "ann") in html
    assert "fewest current mentees" in html  # the rotation rule, stated
    assert 'name="mentor"' not in html  # no assign buttons for oneself
    assert "Propose as mentor" not in html


def test_each_card_leads_with_its_strongest_reasons_and_folds_the_rest(
    client, program, mentee, guides
):
    html = login(client, mentee).get(url("suggestions", program)).content.decode()
    ann = html[html.index('id="mentor-ann"') : html.index('id="mentor-bob"')]
    reasons = ann[ann.index('class="match-reasons"') : ann.index("</ul>")]
    assert reasons.count("<li>") <= 3
    assert "+30</span> Can help with chargebacks and refunds (2 of 2 wanted)." in reasons
    # The full breakdown is one click away, open on the first card only.
    assert '<details class="match-why" open>' in ann
    score = re.search(r'class="match-score"><strong>(\d+)</strong>', ann)[1]
    assert f"<summary>Why {score} points" in ann
    assert html.count('<details class="match-why" open>') == 1
    assert html.count('<details class="match-why"') == 3


def test_the_page_says_what_the_mentee_asked_for(client, program, mentee, guides, manager):
    mentee.career_goals = "Join the escalations team."
    mentee.save()
    MentoringProfile.objects.filter(user=mentee).update(
        goals="Handle chargebacks alone.", preferred_format="video"
    )
    html = login(client, manager).get(url("suggestions-for", program, "agent")).content.decode()
    summary = html[html.index('class="card match-mentee"') : html.index('id="suggested-h"')]
    assert f"About {mentee.name}" in summary
    assert mentee.team.name in summary
    assert mentee.get_experience_level_display() in summary
    assert '<span class="tag">chargebacks</span>' in summary
    assert '<span class="tag">refunds</span>' in summary
    assert "Handle chargebacks alone." in summary
    assert "Video call" in summary
    assert "Join the escalations team." in summary
    own = login(client, mentee).get(url("suggestions", program)).content.decode()
    assert "What you asked for" in own


def test_a_higher_score_below_a_lower_one_says_why(client, mentee, team, other_team):
    """Two mentors 5 points apart (cross-team is worth 5 here): the busier one scores more but
    is listed second, and its card says why."""
    weights = {factor: 0 for factor in FACTORS} | {"skills": 19, "cross_team": 1}
    program = make_program(name="Weighted", weights=weights)
    busy = UserFactory(username="busy", display_name="Busy", team=other_team)
    make_profile(busy, topics=["refunds", "chargebacks"], capacity=3)
    make_pairing(program=make_program(name="Other"), mentor=busy, mentee=UserFactory())
    free = UserFactory(username="free", display_name="Free", team=team)
    make_profile(free, topics=["refunds", "chargebacks"])
    html = login(client, mentee).get(url("suggestions", program)).content.decode()
    assert html.index('id="mentor-free"') < html.index('id="mentor-busy"')
    busy_card = html[html.index('id="mentor-busy"') :]
    assert "Within 5 points of Free above, who has fewer current mentees." in busy_card
    free_card = html[html.index('id="mentor-free"') : html.index('id="mentor-busy"')]
    assert "match-rotated" not in free_card


def test_the_page_records_its_top_pick(client, program, mentee, guides):
    extra = UserFactory(username="dee", team=guides[0].team)
    make_profile(extra)
    html = login(client, mentee).get(url("suggestions", program)).content.decode()
    stamped = list(
        MentoringProfile.objects.filter(last_suggested_at__isnull=False).values_list(
            "user__username", flat=True
        )
    )
    assert len(stamped) == 1
    top = min(("ann", "bob", "dee"), key=lambda name: html.find(f"mentor-{name}") % 10**9)
    assert stamped == [top]


def test_repeated_views_rotate_the_top_pick(client, program, mentee, other_team):
    for name in ("p1", "p2", "p3"):
        make_profile(UserFactory(username=name, display_name=name, team=other_team),
                     topics=["refunds"])  # fmt: skip
    login(client, mentee)
    tops = set()
    for _ in range(3):
        html = client.get(url("suggestions", program)).content.decode()
        tops.add(min(("p1", "p2", "p3"), key=lambda name, html=html: html.index(f"mentor-{name}")))
    assert tops == {"p1", "p2", "p3"}


def test_unknown_programme_is_404(client, mentee):
    login(client, mentee)
    assert client.get("/mentorship/programmes/nope/suggestions/").status_code == 404
    assert client.get("/mentorship/programmes/nope/suggestions/agent/").status_code == 404
    assert client.get("/mentorship/programmes/nope/request/agent/").status_code == 404
    assert client.post("/mentorship/programmes/nope/assign/", {}).status_code == 404
    assert client.get("/mentorship/programmes/nope/cohort/").status_code == 404


def test_a_closed_programme_says_so_and_offers_nothing(client, program, mentee, guides):
    program.is_open = False
    program.save()
    response = login(client, mentee).get(url("suggestions", program))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This programme is closed." in html
    assert "Ask to be my mentor" not in html
    assert not MentoringProfile.objects.filter(last_suggested_at__isnull=False).exists()


def test_a_live_pairing_is_shown_without_actions(client, program, mentee, guides):
    make_pairing(program=program, mentor=guides[1], mentee=mentee)
    html = login(client, mentee).get(url("suggestions", program)).content.decode()
    assert "already have Bob as mentor" in html
    assert "Ask to be my mentor" not in html


def test_manager_sees_propose_buttons_with_a_note(client, program, mentee, guides, manager):
    response = login(client, manager).get(url("suggestions-for", program, mentee.username))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{url("assign", program)}"' in html
    assert 'name="mentee" value="agent"' in html
    assert (
        'Propose<span class="visually-hidden"> Ann</span> as mentor'
        f'<span class="visually-hidden"> of {mentee.name}</span>'
    ) in html
    assert "<summary>Add a note for Ann</summary>" in html
    assert '<label for="note-ann">Note for Ann' in html
    assert html.count('name="message"') == 3
    assert "Ask to be my mentor" not in html


@pytest.mark.parametrize("who", ["lead", "admin", "agent"])
def test_programme_managers_admins_and_the_mentee_open_their_page(
    client, program, mentee, guides, lead, who
):
    viewer = {"lead": lead, "agent": mentee}.get(who) or UserFactory(is_superuser=True)
    response = login(client, viewer).get(url("suggestions-for", program, mentee.username))
    assert response.status_code == 200


def test_others_get_404(client, program, mentee, guides, outsider, other_team):
    other_manager = UserFactory(username="boss2", team=other_team, roles=["Manager"])
    other_team.managers.add(other_manager)
    for viewer in (outsider, other_manager, guides[0]):
        response = login(client, viewer).get(url("suggestions-for", program, mentee.username))
        assert response.status_code == 404
    assert client.get(url("suggestions-for", program, "nobody")).status_code == 404


def test_why_not_shows_the_reasons(client, program, mentee, guides, manager):
    make_profile(manager, topics=["refunds"])
    response = login(client, mentee).get(url("suggestions", program), {"person": "manager"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not suggested for you" in html
    assert f"{mentee.name}&#x27;s own manager." in html
    assert not MentoringProfile.objects.filter(last_suggested_at__isnull=False).exists()


def test_a_why_not_answer_comes_before_the_list(client, program, mentee, guides, manager):
    make_profile(manager, topics=["refunds"])
    html = (
        login(client, mentee)
        .get(url("suggestions", program), {"person": "manager"})
        .content.decode()
    )
    assert html.count('id="why-not"') == 1
    assert html.index('class="card match-mentee"') < html.index("is not suggested for you")
    assert html.index("is not suggested for you") < html.index('id="mentor-ann"')
    # Without a question the section waits below the list.
    html = client.get(url("suggestions", program)).content.decode()
    assert html.count('id="why-not"') == 1
    assert html.index('id="mentor-cy"') < html.index('id="why-not"')


def test_the_why_not_field_is_labelled_and_offers_names(client, program, mentee, guides):
    html = login(client, mentee).get(url("suggestions", program)).content.decode()
    assert '<label for="id_person">Why is this colleague not suggested?</label>' in html
    assert 'list="mentor-pool"' in html
    assert '<option value="ann" label="Ann"></option>' in html


def test_why_not_an_eligible_mentor_gives_rank_score_and_breakdown(client, program, mentee, guides):
    html = (
        login(client, mentee).get(url("suggestions", program), {"person": "bob"}).content.decode()
    )
    assert "Bob</a> may mentor you: ranked 2 of 3" in html


def test_why_not_an_unknown_username_is_a_form_error(client, program, mentee, guides):
    response = login(client, mentee).get(url("suggestions", program), {"person": "zz" * 100})
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
    response = client.get(url("suggestions", program), {"person": "ghost"})
    assert "Nobody has that username." in response.content.decode()


def test_why_not_with_htmx_answers_with_the_section(client, program, mentee, guides):
    response = login(client, mentee).get(
        url("suggestions", program), {"person": "cy"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<section")
    assert "may mentor you" in html
    assert "<html" not in html


# --- Asking a mentor ----------------------------------------------------------------------


def test_request_form_shows_the_fit(client, program, mentee, guides):
    response = login(client, mentee).get(url("request", program, "ann"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ask Ann to mentor you" in html
    assert "Can help with chargebacks and refunds" in html
    assert 'name="message"' in html


def test_a_request_is_sent_and_redirects_to_the_pairing(client, program, mentee, guides):
    response = login(client, mentee).post(
        url("request", program, "ann"), {"message": "  Refund calls scare me.  "}
    )
    pairing = Pairing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pairing.get_absolute_url()
    assert (pairing.mentor, pairing.mentee, pairing.source) == (guides[0], mentee, "request")
    assert pairing.request.message == "Refund calls scare me."
    assert pairing.score is not None
    assert pairing.score > 0


def test_a_too_long_message_is_refused(client, program, mentee, guides):
    response = login(client, mentee).post(url("request", program, "ann"), {"message": "x" * 2001})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not Pairing.objects.exists()


def test_a_refused_request_is_shown_beside_the_form(client, program, mentee, guides):
    closed = UserFactory(username="closed", display_name="Closed")
    make_profile(closed, open_to_mentor=False)
    response = login(client, mentee).post(url("request", program, "closed"), {"message": "hi"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Closed is not open to mentoring." in html
    assert 'name="message"' in html
    assert not Pairing.objects.exists()


def test_the_request_page_says_what_stands_in_the_way(client, program, mentee, guides, manager):
    make_profile(manager, topics=["refunds"])
    html = login(client, mentee).get(url("request", program, "manager")).content.decode()
    assert "You cannot send this request." in html
    assert "own manager" in html
    assert 'name="message"' not in html


def test_a_closed_programme_takes_no_request(client, program, mentee, guides):
    program.is_open = False
    program.save()
    login(client, mentee)
    assert "This programme is closed" in client.get(url("request", program, "ann")).content.decode()
    response = client.post(url("request", program, "ann"), {"message": ""})
    assert response.status_code == 400
    assert not Pairing.objects.exists()


def test_request_to_nobody_is_404(client, program, mentee):
    assert login(client, mentee).get(url("request", program, "ghost")).status_code == 404


# --- Assigning ------------------------------------------------------------------------------


def test_the_manager_proposes_with_a_note(client, program, mentee, guides, manager):
    response = login(client, manager).post(
        url("assign", program),
        {"mentee": "agent", "mentor": "ann", "message": "  Ann knows our refund rules.  "},
    )
    pairing = Pairing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pairing.get_absolute_url()
    assert (pairing.source, pairing.request.requested_by) == ("manager", manager)
    assert pairing.request.message == "Ann knows our refund rules."


def test_the_note_is_optional(client, program, mentee, guides, manager):
    login(client, manager).post(url("assign", program), {"mentee": "agent", "mentor": "bob"})
    assert Pairing.objects.get().request.message == ""


def test_assign_is_post_only(client, program, manager):
    assert login(client, manager).get(url("assign", program)).status_code == 405


def test_a_refused_assignment_shows_the_suggestions_with_the_reason(
    client, program, mentee, guides, manager
):
    full = guides[0]
    MentoringProfile.objects.filter(user=full).update(capacity=1)
    make_pairing(program=make_program(name="Other"), mentor=full, mentee=UserFactory())
    before = Pairing.objects.count()
    response = login(client, manager).post(
        url("assign", program), {"mentee": "agent", "mentor": "ann", "message": "Keep me"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "At capacity: 1 of 1 mentees." in html
    assert "Mentors for" in html  # the suggestions, to pick another
    assert Pairing.objects.count() == before
    # Ann is no longer suggested (she is full), so the note is shown to copy.
    assert "Your note was not sent" in html
    assert "<p>Keep me</p>" in html


def test_a_too_long_note_is_refused_and_kept(client, program, mentee, guides, manager):
    data = {"mentee": "agent", "mentor": "bob", "message": "x" * 2001}
    response = login(client, manager).post(url("assign", program), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 2000 characters" in html
    # The note comes back in the card of the mentor it was written for, open.
    bob = html[html.index('id="mentor-bob"') : html.index('id="mentor-cy"')]
    assert f"{'x' * 2001}</textarea>" in bob
    assert '<details class="match-note" open>' in bob
    assert html.count("x" * 2001) == 1
    assert "Your note was not sent" not in html
    assert not Pairing.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mentee": "agent", "mentor": "ghost"}, "No mentor has that username."),
        ({"mentee": "agent"}, "This field is required."),
        ({"mentor": "ann"}, "Say whom the mentor is for."),
        ({"mentee": "agent", "mentor": "agent"}, "two different people"),
    ],
)
def test_bad_assignments_are_400_with_a_message(
    client, program, mentee, guides, manager, data, message
):
    make_profile(mentee, develop=["refunds"])  # open: only "themselves" stops it
    response = login(client, manager).post(url("assign", program), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Pairing.objects.exists()


def test_assigning_from_outside_is_refused(client, program, mentee, guides, outsider, other_team):
    other_manager = UserFactory(username="boss2", team=other_team, roles=["Manager"])
    other_team.managers.add(other_manager)
    data = {"mentee": "agent", "mentor": "ann"}
    for viewer in (outsider, other_manager):
        assert login(client, viewer).post(url("assign", program), data).status_code == 404
    # The mentee may open their own page, but not assign themselves a mentor.
    assert login(client, mentee).post(url("assign", program), data).status_code == 403
    assert not Pairing.objects.exists()


# --- The cohort -----------------------------------------------------------------------------


@pytest.fixture
def cohort(program, team, guides):
    people = []
    for n in range(3):
        person = UserFactory(username=f"new{n}", display_name=f"New {n}", team=team)
        make_profile(person, open_to_mentor=False, develop=["refunds"])
        Participation.objects.create(program=program, mentee=person)
        people.append(person)
    return people


def test_programme_managers_see_the_proposal_and_nothing_is_saved(
    client, program, cohort, guides, lead
):
    response = login(client, lead).get(url("cohort", program))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Total fit of these pairs: <strong>" in html
    assert "matching one by one, best first, would reach" in html
    assert html.count('type="checkbox" name="pair"') == 3
    assert html.count(" checked>") == 3
    assert "weak match" not in html
    assert "<details>" in html
    for person in (*cohort, guides[0]):
        assert f'<a href="{person.get_absolute_url()}">{person.name}</a>' in html
    assert not Pairing.objects.exists()


def test_weak_matches_are_flagged_and_left_unticked(client, program, cohort, guides, lead):
    """Mentors who offer nothing wanted: what is left is level and team, under 30 points."""
    for guide in guides:
        guide.mentoring_profile.topics.clear()
        guide.skills.clear()
    html = login(client, lead).get(url("cohort", program)).content.decode()
    assert html.count('type="checkbox" name="pair"') == 3
    assert html.count(" checked>") == 0
    assert html.count('<span class="pill warn">weak match</span>') == 4  # the note and 3 rows
    assert "Pairs under 30 points have little in common" in html


@pytest.mark.parametrize("who", ["agent", "manager", "ann"])
def test_others_may_not_open_the_cohort(client, program, cohort, mentee, manager, guides, who):
    viewer = {"agent": mentee, "manager": manager, "ann": guides[0]}[who]
    login(client, viewer)
    assert client.get(url("cohort", program)).status_code == 403
    assert client.post(url("cohort", program), {"pair": "1:2"}).status_code == 403


def test_admins_open_the_cohort(client, program, cohort, guides):
    admin = UserFactory(is_superuser=True)
    assert login(client, admin).get(url("cohort", program)).status_code == 200


def test_approving_the_kept_pairs(client, program, cohort, guides, lead):
    kept = [f"{cohort[0].pk}:{guides[0].pk}", f"{cohort[1].pk}:{guides[1].pk}"]
    response = login(client, lead).post(url("cohort", program), {"pair": kept})
    assert response.status_code == 302
    made = Pairing.objects.order_by("mentee__username")
    assert [(p.mentee, p.mentor, p.source) for p in made] == [
        (cohort[0], guides[0], "cohort"),
        (cohort[1], guides[1], "cohort"),
    ]
    assert all(p.score is not None for p in made)
    html = client.get(response["Location"]).content.decode()
    assert "Proposed 2 pairings." in html
    assert html.count('type="checkbox" name="pair"') == 1  # the one left


@pytest.mark.parametrize(
    "values",
    [
        ["x:y"],
        ["1:2:3"],
        [" 1:2"],
        ["99999999999999999999:1"],
        [],
        ["{a}:{g}", "{a}:{h}"],  # one mentee twice
        ["{outside}:{g}"],  # not in the cohort
        ["{a}:{outside}"],  # not open to mentoring
    ],
)
def test_bad_approvals_are_400_and_save_nothing(
    client, program, cohort, guides, lead, outsider, values
):
    ids = {"a": cohort[0].pk, "g": guides[0].pk, "h": guides[1].pk, "outside": outsider.pk}
    data = {"pair": [v.format(**ids) for v in values]}
    response = login(client, lead).post(url("cohort", program), data)
    assert response.status_code == 400
    assert "Nothing was approved." in response.content.decode()
    assert not Pairing.objects.exists()


def test_a_closed_programme_has_no_cohort_to_approve(client, program, cohort, guides, lead):
    program.is_open = False
    program.save()
    login(client, lead)
    assert "This programme is closed." in client.get(url("cohort", program)).content.decode()
    data = {"pair": [f"{cohort[0].pk}:{guides[0].pk}"]}
    response = client.post(url("cohort", program), data)
    assert response.status_code == 400
    assert not Pairing.objects.exists()


# --- Query counts ---------------------------------------------------------------------------

# Measured, the same at both sizes. Every page: the session, the viewer and the programme with
# its managers (4); the pool (1); mentee features (4: person, wishes, interests, goals) and
# mentor features (8: people, skills, topics, interests, articles, accepted answers, sessions,
# tracks); hard constraints (4); the live pairing (1); the mentee's profile for their summary
# (1); the record of the top picks (1); the viewer's roles for the tabs (1). A manager's view
# adds the mentee (1) and whether they manage the mentee's team (1).
LIMITS = {"mentee": 25, "manager": 27}


@pytest.mark.parametrize("size", [2, 12])
def test_suggestion_page_query_count_is_constant(
    client, program, mentee, manager, editor, size, django_assert_max_num_queries
):
    for n in range(size):
        person = UserFactory(username=f"m{n}", team=TeamFactory(), interests=["chess"])
        person.skills.set(["refunds", f"skill {n}"])
        make_profile(person, topics=["chargebacks"], capacity=3)
        make_article(author=person, title=f"Refunds {n}", tags=["refunds"], approved_by=editor)
        if n % 3 == 0:
            make_pairing(program=make_program(name=f"Other {n}"), mentor=person,
                         mentee=UserFactory())  # fmt: skip
    MentoringProfile.objects.update(last_suggested_at=timezone.now())
    # Accepted answers are found through their questions' tags, whose content type Django
    # reads once per process: read before counting, as any page before this one would have.
    ContentType.objects.get_for_model(Question)
    for viewer, path, limit in (
        (mentee, url("suggestions", program), LIMITS["mentee"]),
        (manager, url("suggestions-for", program, mentee.username), LIMITS["manager"]),
    ):
        login(client, viewer)
        with django_assert_max_num_queries(limit):
            response = client.get(path)
        assert response.status_code == 200
        assert response.content.decode().count('class="card match"') == min(size, 10)


def test_asking_oneself_is_explained(client, program, mentee):
    html = login(client, mentee).get(url("request", program, mentee.username)).content.decode()
    assert "You cannot be your own mentor" in html
    assert 'name="message"' not in html
