"""Match scores and their breakdowns on hand-built pairs: one programme per factor (its weight
alone) shows each factor's value, and the default weights show the lines adding up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kb.models import Article
from mentorship.matching.features import text_words
from mentorship.matching.scoring import score_pair, score_people, share_out
from mentorship.models.programs import DEFAULT_WEIGHTS, FACTORS
from questions.models import Question
from tests.factories import TeamFactory, UserFactory, make_article
from tests.mentorship.builders import make_profile, make_program
from tests.training.builders import enrol, make_session, make_track

pytestmark = pytest.mark.django_db


def only(factor: str, *, kind: str = "classic"):
    """A programme whose score is `factor` alone."""
    weights = {f: 0 for f in FACTORS}
    weights[factor] = 10
    return make_program(name=f"Only {factor} {kind}", kind=kind, weights=weights)


def line(lines, factor: str):
    return next(x for x in lines if x.factor == factor)


@pytest.fixture
def mentee(team):
    return UserFactory(username="mentee", team=team, experience_level="new")


@pytest.fixture
def guide(other_team):
    return UserFactory(username="guide", team=other_team, experience_level="experienced")


# --- Skills -----------------------------------------------------------------------------


def test_skills_is_the_share_of_wishes_the_mentor_covers(mentee, guide):
    make_profile(mentee, open_to_mentor=False, develop=["refunds", "chargebacks", "disputes"])
    make_profile(guide, topics=["refunds"])
    guide.skills.set(["chargebacks", "tone of voice"])
    score, lines = score_pair(program=only("skills"), mentee=mentee, mentor=guide)
    assert score == 67  # 2 of 3
    skills = line(lines, "skills")
    assert skills.points == 67
    assert skills.text == "Can help with chargebacks and refunds (2 of 3 wanted)."


def test_skills_compare_names_case_insensitively(mentee, guide):
    make_profile(mentee, open_to_mentor=False, develop=["Refunds"])
    guide.skills.set(["refunds"])
    score, _ = score_pair(program=only("skills"), mentee=mentee, mentor=guide)
    assert score == 100


def test_a_mentee_without_wishes_scores_no_skills_and_is_told(mentee, guide):
    make_profile(guide, topics=["refunds"])
    score, lines = score_pair(program=only("skills"), mentee=mentee, mentor=guide)
    assert score == 0
    assert line(lines, "skills").text == "No skills to develop listed yet, so none to match."
    assert "No skills to develop listed" in line(lines, "expertise").text


def test_skills_none_offered(mentee, guide):
    make_profile(mentee, open_to_mentor=False, develop=["refunds", "disputes"])
    make_profile(guide, topics=["onboarding"])
    score, lines = score_pair(program=only("skills"), mentee=mentee, mentor=guide)
    assert score == 0
    assert line(lines, "skills").text == "Offers none of the 2 skills wanted."


# --- Interests and goals ------------------------------------------------------------------


def test_interests_are_shared_over_all_interests_of_both(mentee, guide):
    mentee.interests.set(["hiking", "chess"])
    guide.interests.set(["chess", "cooking", "hiking", "poker"])
    score, lines = score_pair(program=only("interests"), mentee=mentee, mentor=guide)
    assert score == 50  # 2 shared of 4
    assert (
        line(lines, "interests").text
        == "Both interested in chess and hiking (2 of 4 between them)."
    )


def test_no_shared_interests(mentee, guide):
    mentee.interests.set(["hiking"])
    guide.interests.set(["poker"])
    score, lines = score_pair(program=only("interests"), mentee=mentee, mentor=guide)
    assert score == 0
    assert line(lines, "interests").text == "No shared interests."


def test_goals_compare_stemmed_words_and_name_them(mentee, guide):
    mentee.career_goals = "I want to lead a team and handle escalations."
    mentee.save()
    make_profile(mentee, open_to_mentor=False, goals="Coaching skills.")
    guide.job_title = "Team leader"
    guide.career_goals = "Escalation handling and coaching."
    guide.save()
    make_profile(guide, topics=["Refunds"])
    ours = text_words(mentee.career_goals, "Coaching skills.")
    theirs = text_words(guide.job_title, guide.career_goals, "Refunds")
    shared = set(ours) & set(theirs)
    assert {"team", "escal", "handl", "coach"} <= shared  # "leader" is not "lead"
    expected = round(100 * len(shared) / (len(ours) * len(theirs)) ** 0.5)
    score, lines = score_pair(program=only("goals"), mentee=mentee, mentor=guide)
    assert score == expected
    text = line(lines, "goals").text
    assert "“escalations”" in text
    assert "“coaching”" in text
    assert "want" not in text  # a filler word of goals, not shared ground


def test_goals_without_text(mentee, guide):
    guide.career_goals = "Lead a team."
    guide.save()
    score, lines = score_pair(program=only("goals"), mentee=mentee, mentor=guide)
    assert score == 0
    assert line(lines, "goals").text == "No career goals written yet to compare."


# --- Experience -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "mentee_level", "mentor_level", "expected"),
    [
        ("classic", "new", "developing", 100),
        ("classic", "new", "experienced", 100),
        ("classic", "new", "expert", 75),
        ("classic", "developing", "developing", 0),
        ("classic", "expert", "developing", 0),
        # Reverse mentoring inverts the gap: the junior teaches.
        ("reverse", "expert", "developing", 100),
        ("reverse", "expert", "new", 75),
        ("reverse", "developing", "developing", 0),
        ("reverse", "new", "expert", 0),
        # Peers: the same level best, one apart half.
        ("peer", "developing", "developing", 100),
        ("peer", "developing", "experienced", 50),
        ("peer", "new", "experienced", 0),
    ],
)
def test_experience_gap_in_the_programmes_direction(
    mentee, guide, kind, mentee_level, mentor_level, expected
):
    mentee.experience_level = mentee_level
    mentee.save()
    guide.experience_level = mentor_level
    guide.save()
    score, lines = score_pair(program=only("experience", kind=kind), mentee=mentee, mentor=guide)
    assert score == expected
    assert line(lines, "experience").points == expected


def test_experience_lines_say_it_plainly(mentee, guide):
    _, lines = score_pair(program=only("experience"), mentee=mentee, mentor=guide)
    assert line(lines, "experience").text == (
        "Experienced, mentee new: 2 levels more, the right gap."
    )
    _, lines = score_pair(program=only("experience", kind="reverse"), mentee=mentee, mentor=guide)
    assert "reverse mentoring needs that" in line(lines, "experience").text
    mentee.experience_level = "expert"
    mentee.save()
    _, lines = score_pair(
        program=make_program(name="Reverse", kind="reverse"), mentee=mentee, mentor=guide
    )
    assert line(lines, "experience").text.startswith(
        "Experienced, teaching someone expert: in reverse mentoring the junior teaches"
    )


# --- Cross-team -------------------------------------------------------------------------------


def test_cross_team_is_full_for_another_team_and_zero_for_the_same(mentee, guide, mentor):
    program = only("cross_team")
    score, lines = score_pair(program=program, mentee=mentee, mentor=guide)
    assert score == 100
    assert line(lines, "cross_team").text.startswith("Works in Technical Support")
    score, lines = score_pair(program=program, mentee=mentee, mentor=mentor)
    assert score == 0
    assert line(lines, "cross_team").text == (
        "Same team: a mentor from another team widens their network."
    )


# --- Demonstrated expertise -----------------------------------------------------------------


def test_expertise_counts_published_articles_owned_or_verified(mentee, guide, editor):
    make_profile(mentee, open_to_mentor=False, develop=["refunds"])
    program = only("expertise")
    make_article(author=guide, title="Drafted refunds", tags=["refunds"])  # a draft
    assert score_pair(program=program, mentee=mentee, mentor=guide)[0] == 0

    make_article(author=guide, title="Refund steps", tags=["Refunds"], approved_by=editor)
    score, lines = score_pair(program=program, mentee=mentee, mentor=guide)
    assert score == 50  # 1 - 0.5^1
    assert line(lines, "expertise").text == "Owns 1 published article on refunds."

    other = make_article(
        author=editor, title="Chargebacks", tags=["refunds", "chargebacks"], approved_by=editor
    )
    Article.objects.filter(pk=other.pk).update(verified_by=guide)  # checked it last
    score, lines = score_pair(program=program, mentee=mentee, mentor=guide)
    assert score == 75  # 2 items
    assert line(lines, "expertise").text == (
        "Owns 1 published article on refunds; verified 1 published article on refunds."
    )


def test_expertise_ignores_unwished_tags_and_archived_articles(mentee, guide, editor):
    make_profile(mentee, open_to_mentor=False, develop=["refunds"])
    make_article(author=guide, title="Tone", tags=["tone"], approved_by=editor)
    archived = make_article(author=guide, title="Old refunds", tags=["refunds"], approved_by=editor)
    archived.status = "archived"
    archived.save()
    score, _ = score_pair(program=only("expertise"), mentee=mentee, mentor=guide)
    assert score == 0


def test_expertise_counts_sessions_presented_and_tracks_completed(mentee, guide, editor):
    make_profile(mentee, open_to_mentor=False, develop=["refunds", "chargebacks"])
    program = only("expertise")
    held = make_session(organiser=editor, title="Refund clinic", days=-2, presenters=[guide])
    held.skills.set(["chargebacks"])
    cancelled = make_session(organiser=editor, title="Cancelled", days=-3, presenters=[guide],
                             status="cancelled")  # fmt: skip
    cancelled.skills.set(["chargebacks"])
    coming = make_session(organiser=editor, title="Coming", days=2, presenters=[guide])
    coming.skills.set(["chargebacks"])
    done = make_track(owner=editor, title="Refunds basics")
    done.skills.set(["refunds"])
    enrol(guide, done, status="completed", completed_at=timezone.now(), certificate_code="C-1")
    started = make_track(owner=editor, title="Refunds advanced")
    started.skills.set(["refunds"])
    enrol(guide, started)
    score, lines = score_pair(program=program, mentee=mentee, mentor=guide)
    assert score == 75  # the held session and the completed track
    assert line(lines, "expertise").text == (
        "Presented 1 session on chargebacks; completed 1 track on refunds."
    )


def test_one_article_in_two_wished_skills_counts_once(mentee, guide, editor):
    make_profile(mentee, open_to_mentor=False, develop=["refunds", "chargebacks"])
    make_article(author=guide, title="Both", tags=["refunds", "chargebacks"], approved_by=editor)
    score, lines = score_pair(program=only("expertise"), mentee=mentee, mentor=guide)
    assert score == 50
    assert line(lines, "expertise").text == "Owns 1 published article on chargebacks and refunds."


# --- The whole breakdown ------------------------------------------------------------------


def test_lines_follow_the_factors_and_add_up_to_the_score(mentee, guide, editor):
    make_profile(mentee, open_to_mentor=False, develop=["refunds", "chargebacks", "disputes"])
    make_profile(guide, topics=["refunds"])
    mentee.interests.set(["chess", "hiking", "films"])
    guide.interests.set(["chess"])
    make_article(author=guide, title="Refund steps", tags=["refunds"], approved_by=editor)
    program = make_program(name="Default weights")
    assert program.weights == DEFAULT_WEIGHTS
    score, lines = score_pair(program=program, mentee=mentee, mentor=guide)
    assert [x.factor for x in lines] == list(FACTORS)
    assert sum(x.points for x in lines) == score
    assert [x.out_of for x in lines] == [DEFAULT_WEIGHTS[f] for f in FACTORS]
    # skills 1/3 of 30, expertise 1/2 of 25, experience 15, interests 1/3 of 10, cross-team 5
    assert score == round(10 + 12.5 + 15 + 10 / 3 + 5)


def test_share_out_keeps_the_total():
    assert share_out([10.4, 12.5, 15.0, 3.33, 5.0], 46) == [10, 13, 15, 3, 5]
    assert sum(share_out([33.4, 33.3, 33.3], 100)) == 100
    assert share_out([0.0, 0.0], 0) == [0, 0]


def test_scores_read_a_fixed_number_of_queries(
    mentee, team, other_team, editor, django_assert_num_queries
):
    make_profile(mentee, open_to_mentor=False, develop=["refunds"])
    program = make_program(name="Sizes")

    def mentors(prefix: str, size: int) -> list[int]:
        ids = []
        for n in range(size):
            person = UserFactory(username=f"{prefix}{n}", team=TeamFactory(), interests=["chess"])
            make_profile(person, topics=["refunds"])
            person.skills.set(["refunds"])
            make_article(author=person, title=f"{prefix} {n}", tags=["refunds"], approved_by=editor)
            session = make_session(organiser=editor, title=f"{prefix} s{n}", days=-1,
                                   presenters=[person])  # fmt: skip
            session.skills.set(["refunds"])
            ids.append(person.pk)
        return ids

    small, large = mentors("a", 2), mentors("b", 8)
    # Accepted answers are found through their questions' tags, whose content type Django
    # reads once per process: read before counting, as any page before this one would have.
    ContentType.objects.get_for_model(Question)
    # Mentees: people, wishes, interests, goals; mentors: people, skills, topics, interests,
    # articles, accepted answers, sessions, tracks.
    with django_assert_num_queries(12):
        found = score_people(program=program, mentee_ids=[mentee.pk], mentor_ids=small)
    assert found.scores.shape == (1, 2)
    with django_assert_num_queries(12):
        found = score_people(program=program, mentee_ids=[mentee.pk], mentor_ids=small + large)
    assert found.scores.shape == (1, 10)
    assert int(found.evidence_counts[0].min()) == 2


def test_evidence_ignores_sessions_not_yet_started(mentee, guide, editor):
    make_profile(mentee, open_to_mentor=False, develop=["refunds"])
    session = make_session(organiser=editor, days=1, presenters=[guide])
    session.skills.set(["refunds"])
    program = only("expertise")
    assert score_pair(program=program, mentee=mentee, mentor=guide)[0] == 0
    later = timezone.now() + timedelta(days=2)
    assert score_pair(program=program, mentee=mentee, mentor=guide, now=later)[0] == 50
