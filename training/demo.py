"""Demo training for `manage.py seed_demo`: the seeded tracks built from demo articles,
enrolments in every state, sessions with sign-ups, a waitlist and notes, rotations in each
state and some external learning.

Idempotent: tracks and sessions are matched by slug and only created once; the activity
(enrolments, sign-ups, rotations) is made once, when the tracks are first created, through
the same services people use.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kb.models import Article
from kb.services.workflow import article_publish, article_update
from people.models import Team, User
from training.demo_tracks import SESSION_STEPS, SESSIONS, TRACK_SETTINGS, TRACKS
from training.models import (
    Enrolment,
    QuizOption,
    QuizQuestion,
    Rotation,
    Session,
    SessionSignup,
    Track,
    TrackStep,
)
from training.services import assignments, crosstraining, learning, progress, sessions


def seed(*, log=print) -> None:
    if Track.objects.filter(slug__in=TRACKS).exists():
        log("Demo training exists; left as it is.")
        return
    with transaction.atomic():
        people = {user.username: user for user in User.objects.select_related("team")}
        teams = {team.slug: team for team in Team.objects.all()}
        session_rows = _sessions(people, teams)
        tracks = _tracks(people, teams, session_rows)
        _activity(people, teams, tracks, session_rows)
        _crosstraining(people, teams)
    log(f"Demo training: {len(tracks)} tracks, {len(session_rows)} sessions.")


def _sessions(people, teams) -> dict[str, Session]:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = {}
    for slug, spec in SESSIONS.items():
        title, kind, presenter, days, hours, capacity, location, video = spec[:8]
        skills, only_teams, agenda, notes = spec[8:]
        starts = (now + timedelta(days=days)).replace(hour=14)
        session = Session.objects.create(
            slug=slug, title=title, kind=kind, organiser=people[presenter],
            starts_at=starts, ends_at=starts + timedelta(hours=hours), capacity=capacity,
            location=location, video_url=video, agenda=agenda,
            visibility="teams" if only_teams else "everyone",
        )  # fmt: skip
        session.presenters.set([people[presenter]])
        session.teams.set([teams[t] for t in only_teams])
        session.skills.set(skills)
        session._demo_notes = notes
        rows[slug] = session
    return rows


def _tracks(people, teams, session_rows) -> dict[str, Track]:
    articles = {a.slug: a for a in Article.objects.filter(slug__in=_article_slugs())}
    tracks = {}
    for slug, (title, description, skills, minutes, owner, reads, quiz, task) in TRACKS.items():
        track = Track.objects.create(
            slug=slug, title=title, description=description, estimated_minutes=minutes,
            owner=people.get(owner) or people["editor"], status=Track.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=60),
        )  # fmt: skip
        track.skills.set(skills)
        extra = TRACK_SETTINGS.get(slug, {})
        if extra.get("status") == "draft":
            Track.objects.filter(pk=track.pk).update(status=Track.Status.DRAFT, published_at=None)
        if extra.get("visibility"):
            Track.objects.filter(pk=track.pk).update(visibility=extra["visibility"])
            track.teams.set([teams[t] for t in extra["teams"]])
        position = 0
        for article_slug in reads:
            position += 1
            TrackStep.objects.create(
                track=track, position=position, kind="article", article=articles[article_slug]
            )
        for session_slug in SESSION_STEPS.get(slug, []):
            position += 1
            TrackStep.objects.create(
                track=track, position=position, kind="session", session=session_rows[session_slug]
            )
        position += 1
        step = TrackStep.objects.create(
            track=track, position=position, kind="quiz", title="Check what you learned",
            pass_mark=70,
        )  # fmt: skip
        for n, (text, options, explanation) in enumerate(quiz, start=1):
            question = QuizQuestion.objects.create(
                step=step, position=n, text=text, explanation=explanation
            )
            QuizOption.objects.bulk_create(
                QuizOption(question=question, position=m, text=option, is_correct=correct)
                for m, (option, correct) in enumerate(options, start=1)
            )
        task_title, instructions, confirm = task
        TrackStep.objects.create(
            track=track, position=position + 1, kind="task", title=task_title,
            description=instructions, requires_confirmation=confirm,
        )  # fmt: skip
        tracks[slug] = track
    return tracks


def _article_slugs() -> set[str]:
    return {slug for spec in TRACKS.values() for slug in spec[5]}


def _finish(enrolment: Enrolment, *, skip: set[str] = frozenset()) -> None:
    """Do every step of `enrolment` but those of the kinds in `skip`, as the learner would."""
    counted, _ = progress.steps_for_learner(track=enrolment.track, user=enrolment.user)
    for step in counted:
        if step.kind in skip:
            continue
        if step.kind == TrackStep.Kind.QUIZ:
            answers = {
                q.pk: [o.pk for o in q.options.all() if o.is_correct]
                for q in step.questions.prefetch_related("options")
            }
            learning.quiz_attempt_submit(enrolment=enrolment, step=step, answers=answers)
        elif step.kind == TrackStep.Kind.TASK:
            progress.step_complete(
                enrolment=enrolment, step=step, evidence="Done on a real ticket this week."
            )
        elif step.kind != TrackStep.Kind.SESSION:
            progress.step_complete(enrolment=enrolment, step=step)


def _activity(people, teams, tracks, session_rows) -> None:
    today = timezone.localdate()
    manager, agent, mentor = people["manager"], people["agent"], people["mentor"]
    billing = [u for u in people.values() if u.team_id == teams["billing"].pk and u.is_active]
    # Mentor training, completed by the mentors the mentorship programmes will draw on.
    mentors = [mentor, *[u for u in people.values() if u.has_role("Mentor") and u != mentor]]
    for person in mentors[:6]:
        _finish(learning.track_enrol(track=tracks["mentor-training"], user=person))
    # The billing team is assigned product knowledge, due soon: some done, some half-way.
    assigned = assignments.track_assign(
        track=tracks["product-knowledge-billing"], manager=manager, team=teams["billing"],
        due_on=today + timedelta(days=2),
    )  # fmt: skip
    for n, enrolment in enumerate(assigned):
        if n % 3 == 0:
            _finish(enrolment, skip={TrackStep.Kind.SESSION})
        elif n % 3 == 1:
            _finish(enrolment, skip={TrackStep.Kind.QUIZ, TrackStep.Kind.TASK})
    # Overdue: empathy was due last week for two of them.
    assignments.track_assign(
        track=tracks["empathy-and-emotional-intelligence"], manager=manager,
        users=[agent, *billing[1:2]], due_on=today + timedelta(days=1),
    )  # fmt: skip
    Enrolment.objects.filter(track=tracks["empathy-and-emotional-intelligence"]).update(
        due_on=today - timedelta(days=5)  # assigning refuses past dates; time has passed since
    )
    # Completed, then the knowledge base moved on: a step "updated since you completed it".
    listening = learning.track_enrol(track=tracks["active-listening-and-communication"], user=agent)
    _finish(listening)
    _publish_new_revision("active-listening", people["editor"])
    # Not started, and one withdrawn.
    learning.track_enrol(track=tracks["conflict-resolution-and-de-escalation"], user=agent)
    left = learning.track_enrol(track=tracks["mentor-training"], user=people["editor"])
    learning.track_withdraw(enrolment=left, user=people["editor"])
    # A task waiting for its reviewer.
    pending = learning.track_enrol(
        track=tracks["conflict-resolution-and-de-escalation"], user=mentor
    )
    task = pending.track.steps.get(kind="task")
    progress.step_complete(
        enrolment=pending,
        step=task,
        evidence="Sat in on the Acme escalation.",
        awaiting_review=True,
    )
    _session_activity(people, session_rows)


def _publish_new_revision(slug: str, editor: User) -> None:
    article = Article.objects.select_related("latest_revision").get(slug=slug)
    revision = article.latest_revision
    article_update(
        article=article, editor=editor, change_note="Add the two-second pause", meta={},
        content={"title": revision.title, "summary": revision.summary,
                 "body": revision.body + "\nWait two seconds before you answer.\n"},
    )  # fmt: skip
    article_publish(article=article, editor=editor)


def _session_activity(people, session_rows) -> None:
    crowd = [u for u in people.values() if u.is_active and u.username not in ("admin",)]
    full = session_rows["refund-war-stories"]  # 4 seats: 4 signed up, 2 waitlisted
    for person in crowd[:7]:
        if person.pk != full.organiser_id:
            sessions.session_signup(session=full, user=person)
    for person in crowd[6:14]:
        sessions.session_signup(session=session_rows["de-escalation-roundtable"], user=person)
    for slug in ("chargebacks-101", "sso-troubleshooting-clinic"):
        past = session_rows[slug]
        # History: sign-ups for a past session are refused now, so they are written as they
        # were made, the week before.
        signed = [p for p in crowd[2:12] if p.pk != past.organiser_id]
        SessionSignup.objects.bulk_create(
            SessionSignup(session=past, user=person, status=SessionSignup.Status.CONFIRMED,
                          signed_up_at=past.starts_at - timedelta(days=7))
            for person in signed
        )  # fmt: skip
        presenter = past.organiser
        sessions.session_attendance_record(
            session=past, user=presenter, attended_user_ids={p.pk for p in signed[:-2]}
        )
        if past._demo_notes:
            sessions.session_notes_save(session=past, user=presenter, notes=past._demo_notes)


def _crosstraining(people, teams) -> None:
    today = timezone.localdate()
    agent, manager, mentor = (people[n] for n in ("agent", "manager", "mentor"))
    requested = crosstraining.rotation_request(
        participant=agent,
        data={"kind": "rotation", "host_team": teams["escalations"],
              "starts_on": today + timedelta(days=14), "ends_on": today + timedelta(days=18),
              "goals": "See how Escalations handles regulator complaints end to end."},
    )  # fmt: skip
    crosstraining.rotation_decide(rotation=requested, manager=manager, approve=True)
    approved = crosstraining.rotation_request(
        participant=people["editor"],
        data={"kind": "shadowing", "host_team": teams["tech"], "host_person": mentor,
              "starts_on": today + timedelta(days=3), "ends_on": today + timedelta(days=3),
              "goals": "Learn the SSO checks before writing the new article."},
    )  # fmt: skip
    crosstraining.rotation_decide(rotation=approved, manager=manager, approve=True)
    crosstraining.rotation_decide(rotation=approved, manager=mentor, approve=True)
    declined = crosstraining.rotation_request(
        participant=agent,
        data={"kind": "shadowing", "host_team": teams["tech"], "host_person": mentor,
              "starts_on": today + timedelta(days=30), "ends_on": today + timedelta(days=30),
              "goals": "Shadow API troubleshooting."},
    )  # fmt: skip
    crosstraining.rotation_decide(
        rotation=declined, manager=mentor, approve=False,
        reason="That week is our release; pick a day in the week after.",
    )  # fmt: skip
    crosstraining.external_log(
        person=agent, ask_approval=True,
        data={"title": "Customer Service Summit", "kind": "conference", "provider": "CS Europe",
              "starts_on": today + timedelta(days=40), "ends_on": today + timedelta(days=41),
              "hours": Decimal("12"), "url": "https://summit.example/"},
    )  # fmt: skip
    course = crosstraining.external_log(
        person=mentor,
        data={"title": "Coaching skills for team leads", "kind": "course",
              "provider": "Open University", "starts_on": today - timedelta(days=60),
              "ends_on": today - timedelta(days=30), "hours": Decimal("20"),
              "takeaways": "Ask, don't tell: the GROW model works in ten minutes too."},
    )  # fmt: skip
    crosstraining.external_share(entry=course, user=mentor)
    # History: a rotation last month, reflected on and confirmed by the host.
    tech = sorted(
        (
            u
            for u in people.values()
            if u.team_id == teams["tech"].pk and u.is_active and u != mentor
        ),
        key=lambda u: u.username,
    )
    done = Rotation.objects.create(
        participant=tech[0], kind=Rotation.Kind.ROTATION, host_team=teams["billing"],
        starts_on=today - timedelta(days=40), ends_on=today - timedelta(days=36),
        goals="Learn how billing handles refunds, to improve our API error messages.",
        status=Rotation.Status.APPROVED, manager_approved_by=mentor, host_approved_by=manager,
        manager_approved_at=timezone.now() - timedelta(days=50),
        host_approved_at=timezone.now() - timedelta(days=49),
    )  # fmt: skip
    crosstraining.rotation_reflect(
        rotation=done, user=tech[0],
        reflection="Half of the refund tickets start with an unclear API error. We now link "
        "the refund article from the error message.",
    )  # fmt: skip
    crosstraining.rotation_confirm(rotation=done, host=manager)
