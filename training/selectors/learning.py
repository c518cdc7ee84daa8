"""Reads for taking a track: the track as one learner sees it (each step's state, progress,
steps updated in the knowledge base since they were read), "my training", the practical
tasks a reviewer may confirm, and the results of a quiz attempt. Each is a fixed number of
queries however many steps, learners or enrolments there are.

`progress_percent` and `progress_status` are the one rule for how far along a learner is:
every page that shows progress (the track, my training, the catalogue, the team page) reads
it through them, so the same enrolment never reads differently from one page to the next."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from kb.models import Article
from training.models import (
    Enrolment,
    QuizAttempt,
    Session,
    SessionSignup,
    StepCompletion,
    Track,
    TrackStep,
)
from training.services import progress

DUE_SOON_DAYS = 7
# A revision's text is not needed to name it or to count: only its number and title.
_REVISION_TEXT = ("body", "rendered_html", "toc_html", "body_text")


def _without_revision_text(prefix: str) -> list[str]:
    return [f"{prefix}__{name}" for name in _REVISION_TEXT]


# --- Progress: one rule for every page ----------------------------------------------------

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"
STATUS_LABELS = {NOT_STARTED: "Not started", IN_PROGRESS: "In progress", COMPLETED: "Completed"}


def progress_percent(done: int, total: int) -> int:
    """`done` of `total` steps as a whole percentage, rounded down: 6 of 7 is 85%, and only
    every step done is 100%. No steps is 0%."""
    if total <= 0 or done <= 0:
        return 0
    return min(100, done * 100 // total)


def progress_status(*, completed: bool, started: bool) -> str:
    """`COMPLETED` for a completed enrolment (its certificate was earned), `IN_PROGRESS` once
    the learner did something (a step done, or a task handed in for review), else
    `NOT_STARTED`. The label to show is `STATUS_LABELS[status]`."""
    if completed:
        return COMPLETED
    return IN_PROGRESS if started else NOT_STARTED


def due_flags(enrolment: Enrolment | None, today: date) -> tuple[bool, bool]:
    """(due soon, overdue) for an enrolment: due within `DUE_SOON_DAYS` or past its due
    date, while it is active."""
    if enrolment is None or not enrolment.is_active or enrolment.due_on is None:
        return False, False
    due = enrolment.due_on
    return today <= due <= today + timedelta(days=DUE_SOON_DAYS), due < today


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return progress_percent(self.done, self.total)


class State:
    DONE = "done"
    TODO = "todo"
    AWAITING = "awaiting"
    SKIPPED = "skipped"
    OUTDATED = "outdated"
    # A session step whose session is over and was not attended: it cannot be completed
    # until the owner points the step at a later session.
    SESSION_OVER = "session_over"
    # The session is over and the learner signed up: the presenter has not recorded yet
    # who attended.
    ATTENDANCE_PENDING = "attendance_pending"


@dataclass(frozen=True)
class StepRow:
    """One step as the viewer takes it."""

    step: TrackStep
    number: int
    state: str
    title: str
    completion: StepCompletion | None = None
    # For a step updated since it was read: the revision numbers, and where to see the change.
    read_revision: int | None = None
    current_revision: int | None = None
    compare_url: str = ""

    @property
    def url(self) -> str:
        return reverse("training:step-detail", args=[self.step.track.slug, self.step.pk])

    @property
    def is_skipped(self) -> bool:
        return self.state == State.SKIPPED

    @property
    def is_outdated(self) -> bool:
        return self.state == State.OUTDATED

    @property
    def is_done(self) -> bool:
        return self.state in (State.DONE, State.OUTDATED)

    @property
    def is_session_over(self) -> bool:
        return self.state == State.SESSION_OVER

    @property
    def is_link(self) -> bool:
        """A skipped step is no page to open: lists name it without a link."""
        return not self.is_skipped


def is_outdated(completion: StepCompletion | None, step: TrackStep, enrolment) -> bool:
    """`StepCompletionQuerySet.outdated`'s rule for one completion whose step's article (and
    its published revision id) is loaded."""
    if completion is None or enrolment is None:
        return False
    article = step.article if step.article_id else None
    return (
        completion.status == StepCompletion.Status.DONE
        and step.kind == TrackStep.Kind.ARTICLE
        and article is not None
        and completion.revision_id is not None
        and article.status == Article.Status.PUBLISHED
        and article.published_revision_id is not None
        and completion.revision_id != article.published_revision_id
        and enrolment.status != Enrolment.Status.WITHDRAWN
    )


def compare_url(*, step: TrackStep, old: int, new: int, user) -> str:
    """kb's compare page between the revision the learner read and the current one (readers
    may compare revisions that were published, which both are)."""
    url = reverse("kb:revision-compare", args=[step.article.slug])
    return f"{url}?from={old}&to={new}"


def _hidden_title(step: TrackStep) -> str:
    # A step skipped for the viewer does not name the article or session they may not see.
    if step.title:
        return step.title
    if step.kind == TrackStep.Kind.ARTICLE:
        return "An article you cannot read"
    return "A session you cannot see"


@dataclass(frozen=True)
class TrackPage:
    track: Track
    enrolment: Enrolment | None
    rows: list[StepRow]
    progress: Progress
    skills: list = field(default_factory=list)
    due_soon: bool = False
    overdue: bool = False

    @property
    def status(self) -> str:
        """`progress_status` of the viewer's enrolment; empty when they do not take it."""
        if not self.is_learner:
            return ""
        started = any(row.completion is not None for row in self.rows)
        return progress_status(completed=self.enrolment.is_completed, started=started)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")

    @property
    def is_learner(self) -> bool:
        """Enrolled and not withdrawn: may complete steps."""
        return self.enrolment is not None and self.enrolment.status != Enrolment.Status.WITHDRAWN

    @property
    def outdated(self) -> list[StepRow]:
        return [row for row in self.rows if row.is_outdated]

    @property
    def skipped(self) -> list[StepRow]:
        return [row for row in self.rows if row.is_skipped]

    @property
    def sessions_over(self) -> list[StepRow]:
        """Steps that cannot be completed until the owner points them at a later session."""
        return [row for row in self.rows if row.is_session_over]

    def row_of(self, step_id: int) -> tuple[StepRow | None, StepRow | None, StepRow | None]:
        """(previous, this, next) rows around `step_id`."""
        for index, row in enumerate(self.rows):
            if row.step.pk == step_id:
                before = self.rows[index - 1] if index else None
                after = self.rows[index + 1] if index + 1 < len(self.rows) else None
                return before, row, after
        return None, None, None


def _session_over_states(steps, completions, user, now) -> dict[int, str]:
    """The state of each counted session step that is not done and whose session is over:
    waiting for the presenter's attendance record when `user` signed up and it is not
    recorded yet, else over for good. One query, only when such a step exists."""
    over = [
        step
        for step in steps
        if step.kind == TrackStep.Kind.SESSION
        and step.session is not None
        and step.session.ends_at <= now
        and not (
            (done := completions.get(step.pk)) is not None
            and done.status == StepCompletion.Status.DONE
        )
    ]
    unrecorded = {s.session_id for s in over if s.session.attendance_recorded_at is None}
    signed_up = set()
    if unrecorded:
        signed_up = set(
            SessionSignup.objects.active()
            .filter(user=user, session__in=unrecorded)
            .values_list("session_id", flat=True)
        )
    return {
        step.pk: State.ATTENDANCE_PENDING if step.session_id in signed_up else State.SESSION_OVER
        for step in over
    }


def track_page(
    *, track: Track, user, today: date | None = None, now: datetime | None = None
) -> TrackPage:
    """The track as `user` takes it: every step in order with its state (done, to do,
    waiting for a reviewer, skipped because they cannot read or see it, updated since they
    completed it, a session that is over), and their progress over the steps that count for
    them."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    enrolment = (
        Enrolment.objects.filter(track=track, user=user).select_related("assigned_by").first()
    )
    counted, skipped = progress.steps_for_learner(track=track, user=user)
    completions = {}
    if enrolment is not None:
        completions = {
            c.step_id: c
            for c in enrolment.completions.select_related("revision").defer(
                *_without_revision_text("revision")
            )
        }
    skipped_ids = {s.pk for s in skipped}
    over = _session_over_states(counted, completions, user, now)
    rows = []
    done = 0
    for number, step in enumerate(sorted(counted + skipped, key=lambda s: (s.position, s.pk)), 1):
        step.track = track  # the rows link to the step page by the track's slug
        completion = completions.get(step.pk)
        if step.pk in skipped_ids:
            rows.append(StepRow(step, number, State.SKIPPED, _hidden_title(step), completion))
            continue
        if completion is not None and completion.status == StepCompletion.Status.DONE:
            done += 1
        if is_outdated(completion, step, enrolment):
            old = completion.revision.number
            new = step.article.published_revision.number
            row = StepRow(
                step,
                number,
                State.OUTDATED,
                step.shown_title,
                completion,
                read_revision=old,
                current_revision=new,
                compare_url=compare_url(step=step, old=old, new=new, user=user),
            )
        elif step.pk in over:
            row = StepRow(step, number, over[step.pk], step.shown_title, completion)
        elif completion is None:
            row = StepRow(step, number, State.TODO, step.shown_title)
        elif completion.status == StepCompletion.Status.AWAITING_REVIEW:
            row = StepRow(step, number, State.AWAITING, step.shown_title, completion)
        else:
            row = StepRow(step, number, State.DONE, step.shown_title, completion)
        rows.append(row)
    due_soon, overdue = due_flags(enrolment, today)
    return TrackPage(
        track=track,
        enrolment=enrolment,
        rows=rows,
        progress=Progress(done=done, total=len(counted)),
        skills=list(track.skills.all()),
        due_soon=due_soon,
        overdue=overdue,
    )


# --- My training ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrolmentRow:
    enrolment: Enrolment
    progress: Progress
    started: bool
    due_soon: bool = False
    overdue: bool = False

    @property
    def status(self) -> str:
        return progress_status(completed=self.enrolment.is_completed, started=self.started)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class OutdatedRow:
    completion: StepCompletion
    track: Track
    step: TrackStep
    read_revision: int
    current_revision: int
    compare_url: str


@dataclass(frozen=True)
class MyTraining:
    overdue: list[EnrolmentRow]
    due_soon: list[EnrolmentRow]
    not_started: list[EnrolmentRow]
    in_progress: list[EnrolmentRow]
    completed: list[EnrolmentRow]
    outdated: list[OutdatedRow]
    sessions: list[SessionSignup]

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue
            or self.due_soon
            or self.not_started
            or self.in_progress
            or self.completed
            or self.sessions
        )


def counted_steps(*, track_ids, user) -> tuple[dict[int, set[int]], set[int]]:
    """`progress.steps_for_learner`'s rule for many tracks at once: the ids of the steps that
    count for `user` per track, and the ids of the articles `user` may read among them.
    Three queries at most (the articles and sessions only when there are such steps)."""
    steps = list(
        TrackStep.objects.filter(track__in=track_ids).values_list(
            "pk", "track_id", "kind", "article_id", "session_id"
        )
    )
    article_ids = {s[3] for s in steps if s[2] == TrackStep.Kind.ARTICLE and s[3]}
    session_ids = {s[4] for s in steps if s[2] == TrackStep.Kind.SESSION and s[4]}
    readable, visible = set(), set()
    if article_ids:
        articles = Article.objects.published().visible_to(user).filter(pk__in=article_ids)
        readable = set(articles.values_list("pk", flat=True))
    if session_ids:
        # A cancelled session's step is skipped, as on the track page.
        sessions = Session.objects.visible_to(user).scheduled().filter(pk__in=session_ids)
        visible = set(sessions.values_list("pk", flat=True))
    counted: dict[int, set[int]] = defaultdict(set)
    for pk, track_id, kind, article_id, session_id in steps:
        if kind == TrackStep.Kind.ARTICLE:
            ok = article_id in readable
        elif kind == TrackStep.Kind.SESSION:
            ok = session_id in visible
        else:
            ok = True
        if ok:
            counted[track_id].add(pk)
    return counted, readable


def enrolment_rows(
    *, enrolments: list[Enrolment], counted: dict[int, set[int]], today: date
) -> list[EnrolmentRow]:
    """Each enrolment with its progress over the steps that count for its learner
    (`counted`, from `counted_steps`), whether it is started, and its due-date flags, in the
    order given. One query (none without enrolments)."""
    done: dict[int, set[int]] = defaultdict(set)
    started: set[int] = set()
    if enrolments:
        for enrolment_id, step_id, status in StepCompletion.objects.filter(
            enrolment__in=[e.pk for e in enrolments]
        ).values_list("enrolment_id", "step_id", "status"):
            started.add(enrolment_id)
            if status == StepCompletion.Status.DONE:
                done[enrolment_id].add(step_id)
    rows = []
    for enrolment in enrolments:
        steps = counted.get(enrolment.track_id, set())
        due_soon, overdue = due_flags(enrolment, today)
        rows.append(
            EnrolmentRow(
                enrolment=enrolment,
                progress=Progress(done=len(done[enrolment.pk] & steps), total=len(steps)),
                started=enrolment.pk in started,
                due_soon=due_soon,
                overdue=overdue,
            )
        )
    return rows


def my_training(*, user, today: date | None = None) -> MyTraining:
    """What `user` is learning, by what needs them first: overdue, due within a week, not
    started, in progress and completed tracks (withdrawn ones are left out), the steps
    updated in the knowledge base since they read them, and their upcoming sessions."""
    today = today or timezone.localdate()
    visible_tracks = Track.objects.visible_to(user).values("pk")
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .current()
        # A completed track keeps its certificate even if the track is unpublished since.
        .filter(Q(status=Enrolment.Status.COMPLETED) | Q(track__in=visible_tracks))
        .select_related("track__owner", "assigned_by")
        .order_by("due_on", "-enrolled_at", "pk")
    )
    counted, readable = counted_steps(track_ids={e.track_id for e in enrolments}, user=user)
    sections: dict[str, list[EnrolmentRow]] = defaultdict(list)
    for row in enrolment_rows(enrolments=enrolments, counted=counted, today=today):
        enrolment = row.enrolment
        if enrolment.is_completed:
            sections["completed"].append(row)
        elif row.overdue:
            sections["overdue"].append(row)
        elif row.due_soon:
            sections["due_soon"].append(row)
        elif row.started:
            sections["in_progress"].append(row)
        else:
            sections["not_started"].append(row)
    sections["completed"].sort(key=lambda r: r.enrolment.completed_at, reverse=True)
    return MyTraining(
        overdue=sections["overdue"],
        due_soon=sections["due_soon"],
        not_started=sections["not_started"],
        in_progress=sections["in_progress"],
        completed=sections["completed"],
        outdated=_outdated_rows(user, {e.pk: e for e in enrolments}, readable),
        sessions=_upcoming_signups(user),
    )


def _outdated_rows(user, enrolments: dict[int, Enrolment], readable: set[int]) -> list:
    completions = (
        StepCompletion.objects.outdated()
        .filter(enrolment__in=list(enrolments))
        .select_related("step__article__published_revision", "revision")
        .defer(
            *_without_revision_text("revision"),
            *_without_revision_text("step__article__published_revision"),
        )
        .order_by("enrolment__track__title", "step__position", "pk")
    )
    rows = []
    for completion in completions:
        step = completion.step
        if step.article_id not in readable:
            continue  # no longer theirs to read: the step is skipped, not outdated
        track = enrolments[completion.enrolment_id].track
        step.track = track
        old, new = completion.revision.number, step.article.published_revision.number
        rows.append(
            OutdatedRow(
                completion=completion,
                track=track,
                step=step,
                read_revision=old,
                current_revision=new,
                compare_url=compare_url(step=step, old=old, new=new, user=user),
            )
        )
    return rows


def _upcoming_signups(user, limit: int = 10) -> list[SessionSignup]:
    return list(
        SessionSignup.objects.active()
        .filter(
            user=user,
            session__status=Session.Status.SCHEDULED,
            session__ends_at__gt=timezone.now(),
        )
        .select_related("session")
        .order_by("session__starts_at", "pk")[:limit]
    )


# --- Reviews -------------------------------------------------------------------------------


def reviewable_completions(*, user) -> QuerySet[StepCompletion]:
    """Practical-task completions `user` may confirm, whatever their state: the tasks of the
    tracks they own, of their team members (managers), or any (KB editors); never their own.
    `StepCompletion.can_be_confirmed_by` is the same rule for one completion."""
    completions = StepCompletion.objects.filter(step__kind=TrackStep.Kind.TASK).exclude(
        enrolment__user=user
    )
    if user.is_kb_editor:
        return completions
    return completions.filter(
        Q(step__track__owner=user) | Q(enrolment__user__team__in=user.managed_teams.values("pk"))
    )


def reviews_waiting(*, user) -> QuerySet[StepCompletion]:
    """Evidence waiting for `user`'s confirmation, oldest first."""
    return (
        reviewable_completions(user=user)
        .filter(
            status=StepCompletion.Status.AWAITING_REVIEW,
            enrolment__status=Enrolment.Status.ACTIVE,
        )
        .select_related("enrolment__user__team", "enrolment__track", "step")
        .order_by("completed_at", "pk")
    )


# --- Quiz results --------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionResult:
    text: str
    chosen: bool
    correct: bool


@dataclass(frozen=True)
class QuestionResult:
    number: int
    text: str
    right: bool
    options: list[OptionResult]
    explanation: str

    @property
    def chosen_any(self) -> bool:
        return any(o.chosen for o in self.options)


def attempt_results(*, attempt: QuizAttempt) -> list[QuestionResult]:
    """Each question of the attempt's quiz: whether it was answered right, each option
    marked chosen and/or right, and the explanation. Questions added after the attempt read
    as unanswered. Two queries."""
    answers = {str(k): set(v) for k, v in (attempt.answers or {}).items()}
    results = []
    for number, question in enumerate(attempt.step.questions.prefetch_related("options"), 1):
        chosen = answers.get(str(question.pk), set())
        options = [
            OptionResult(text=o.text, chosen=o.pk in chosen, correct=o.is_correct)
            for o in question.options.all()
        ]
        right_ids = {o.pk for o in question.options.all() if o.is_correct}
        results.append(
            QuestionResult(
                number=number,
                text=question.text,
                right=chosen == right_ids,
                options=options,
                explanation=question.explanation,
            )
        )
    return results
