"""Forms of the track editor and the catalogue's filters. Limits, labels and help come from
the models' fields (`formfield()`), so the form and the model never disagree."""

from __future__ import annotations

import hashlib

from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from kb.models import Article
from people.forms import VocabularyField
from people.models import Team
from training.models import QuizOption, QuizQuestion, Session, Track, TrackStep
from training.services import tracks

_track = Track._meta.get_field
_step = TrackStep._meta.get_field
_question = QuizQuestion._meta.get_field


class TrackForm(forms.Form):
    """A track's settings; its address (slug) is made from the title."""

    title = _track("title").formfield()
    description = _track("description").formfield(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who it is for and what they will be able to do afterwards.",
    )
    skills = VocabularyField(
        required=False,
        label="Skills it builds",
        help_text="The skills people list on their profiles, separated by commas.",
    )
    visibility = forms.ChoiceField(choices=Track.Visibility.choices, label="Who can take it")
    teams = _track("teams").formfield(
        queryset=Team.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    estimated_minutes = _track("estimated_minutes").formfield(
        label="Estimated time (minutes)",
        min_value=1,
        max_value=10_000,
        help_text="How long the whole track takes, from 1 to 10,000 minutes.",
    )

    def clean(self):
        data = super().clean()
        if data.get("visibility") == Track.Visibility.TEAMS and not data.get("teams"):
            self.add_error("teams", "Choose at least one team, or make it open to everyone.")
        return data

    @classmethod
    def initial_for(cls, track: Track) -> dict:
        """Reads `skills` and `teams` (prefetch them)."""
        return {
            "title": track.title,
            "description": track.description,
            "skills": list(track.skills.all()),
            "visibility": track.visibility,
            "teams": list(track.teams.all()),
            "estimated_minutes": track.estimated_minutes,
        }

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        if data["visibility"] == Track.Visibility.EVERYONE:
            data["teams"] = []
        return data


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters. A bad value is shown beside its field and not applied."""

    q = forms.CharField(
        label="Title contains",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "class": "input"}),
    )
    skill = forms.SlugField(required=False, max_length=100, widget=forms.HiddenInput)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "skill": ""}
        return {
            "q": " ".join(self.cleaned_data["q"].split()),
            "skill": self.cleaned_data["skill"],
        }


# --- Steps ---------------------------------------------------------------------------------

DESCRIPTION_LABELS = {
    TrackStep.Kind.ARTICLE: ("What to look for", "Optional: what to pay attention to."),
    TrackStep.Kind.EXTERNAL: ("Description", "What the resource is and why it matters."),
    TrackStep.Kind.TASK: ("Instructions", "What the learner does, and what evidence to hand in."),
    TrackStep.Kind.QUIZ: ("Introduction", "Optional: shown before the questions."),
    TrackStep.Kind.SESSION: ("What to prepare", "Optional."),
}
TITLE_OPTIONAL = {TrackStep.Kind.ARTICLE, TrackStep.Kind.SESSION}


class _GroupedArticles(forms.models.ModelChoiceIterator):
    """Articles grouped by their category (an <optgroup> each), by title within it, so a
    long list reads as the knowledge base is browsed."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for article in self.queryset:
            groups.setdefault(str(article.category), []).append(self.choice(article))
        for name in sorted(groups, key=str.casefold):
            yield (name, sorted(groups[name], key=lambda choice: choice[1].casefold()))


def _plain_choices(choices) -> tuple:
    """Choices as nested tuples of strings: what the rendered options are made of."""
    return tuple(
        (str(value), _plain_choices(label) if isinstance(label, (list, tuple)) else str(label))
        for value, label in choices
    )


class ArticlePickerSelect(forms.Select):
    """The article picker lists every article the editor may read, and rendering its options
    through the widget templates was most of the editor page's time. Its HTML is a function of
    the choices (ids and labels, which carry the article's title and state), the current
    value and the attributes only, so it is cached under a digest of exactly those: a renamed,
    archived or hidden article changes the choices and so the key, and editors who may read
    different articles never share an entry."""

    KEY_VERSION = 1  # raise when the picker's markup changes
    TIMEOUT = 60 * 60

    def render(self, name, value, attrs=None, renderer=None):
        # One query, reused by the render below; iter() first, as list() of the choice
        # iterator would ask its len(), a COUNT query.
        choices = list(iter(self.choices))
        final_attrs = self.build_attrs(self.attrs, attrs)
        source = repr(
            (
                self.KEY_VERSION,
                name,
                str(self.format_value(value)),
                sorted((key, str(item)) for key, item in final_attrs.items()),
                _plain_choices(choices),
            )
        )
        key = "training:article-picker:" + hashlib.sha256(source.encode()).hexdigest()
        if (html := cache.get(key)) is not None:
            return mark_safe(html)
        self.choices = choices
        html = super().render(name, value, attrs, renderer)
        cache.set(key, str(html), self.TIMEOUT)
        return html


class ArticleChoiceField(forms.ModelChoiceField):
    iterator = _GroupedArticles
    widget = ArticlePickerSelect

    def label_from_instance(self, article: Article) -> str:
        notes = []
        if article.status == Article.Status.ARCHIVED:
            notes.append("archived")
        elif article.status != Article.Status.PUBLISHED:
            notes.append("not published")
        if article.visibility == Article.Visibility.TEAMS:
            notes.append("only some teams")
        return f"{article.title} ({', '.join(notes)})" if notes else article.title


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session: Session) -> str:
        when = date_format(timezone.localtime(session.starts_at), "D j M Y, H:i")
        notes = " (only some teams)" if session.visibility == Session.Visibility.TEAMS else ""
        return f"{session.title} · {when}{notes}"


class StepForm(forms.Form):
    """One step of the given kind; only that kind's fields are kept. `user` is the editor:
    the article and session lists hold what they may read and see (and the step's current
    target, which may since have been archived or cancelled)."""

    kind = forms.ChoiceField(choices=TrackStep.Kind.choices, widget=forms.HiddenInput)
    article = ArticleChoiceField(
        queryset=Article.objects.none(),
        label="Article to read",
        empty_label="Choose an article",
        help_text=(
            "Published articles you can read. If it is only for some teams, or is archived "
            "later, learners who cannot read it skip this step."
        ),
    )
    session = SessionChoiceField(
        queryset=Session.objects.none(),
        label="Session to attend",
        empty_label="Choose a session",
        help_text="Upcoming sessions you can see. Attending it completes the step.",
    )
    url = _step("url").formfield(label="Link", assume_scheme="https")
    title = _step("title").formfield()
    description = _step("description").formfield(widget=forms.Textarea(attrs={"rows": 4}))
    requires_confirmation = _step("requires_confirmation").formfield(
        label="A reviewer confirms",
        help_text="The learner's evidence counts once a reviewer confirms it.",
    )
    pass_mark = _step("pass_mark").formfield(
        min_value=1,
        max_value=100,
        initial=80,
        required=True,
        error_messages={
            "min_value": "The pass mark is a percentage from 1 to 100.",
            "max_value": "The pass mark is a percentage from 1 to 100.",
        },
        help_text="The score in percent a learner needs to pass, from 1 to 100.",
    )

    def __init__(self, *args, kind: str, user, step: TrackStep | None = None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{kind}_%s")
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["kind"].initial = kind
        for name in list(self.fields):
            if name != "kind" and name not in tracks.STEP_FIELDS[kind]:
                del self.fields[name]
        if step is not None:  # a step keeps the kind it was added as
            del self.fields["kind"]
        if kind == TrackStep.Kind.EXTERNAL:
            self.fields["url"].required = True
        label, help_text = DESCRIPTION_LABELS[kind]
        self.fields["description"].label = label
        self.fields["description"].help_text = help_text
        self.fields["description"].required = kind == TrackStep.Kind.TASK
        title = self.fields["title"]
        title.required = kind not in TITLE_OPTIONAL
        if kind == TrackStep.Kind.ARTICLE:
            title.help_text = "Leave empty to use the article's title."
            self.fields["article"].queryset = self._articles(user, step)
        elif kind == TrackStep.Kind.SESSION:
            title.help_text = "Leave empty to use the session's title."
            self.fields["session"].queryset = self._sessions(user, step)
        else:
            title.help_text = ""
        if step is not None and not self.is_bound:
            self.initial.update({name: getattr(step, name) for name in tracks.STEP_FIELDS[kind]})
            for name in ("article", "session"):
                if name in self.fields:
                    self.initial[name] = getattr(step, f"{name}_id")

    @staticmethod
    def _articles(user, step):
        readable = Article.objects.published().visible_to(user).values("pk")
        rule = Q(pk__in=readable)
        if step is not None and step.article_id:
            rule |= Q(pk=step.article_id)
        # The labels need titles only: leave the revisions' texts in the database.
        texts = ("body", "rendered_html", "toc_html", "body_text", "requested_settings")
        return (
            Article.objects.filter(rule)
            .select_related("category__parent", "published_revision", "latest_revision")
            .defer(
                *(f"{rev}__{f}" for rev in ("published_revision", "latest_revision") for f in texts)
            )
        )

    @staticmethod
    def _sessions(user, step):
        upcoming = Session.objects.visible_to(user).scheduled().upcoming().values("pk")
        rule = Q(pk__in=upcoming)
        if step is not None and step.session_id:
            rule |= Q(pk=step.session_id)
        return Session.objects.filter(rule).order_by("starts_at", "pk")

    def data_for_service(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in self.fields}


class QuestionForm(forms.Form):
    """A multiple-choice question with up to eight options; empty option rows are ignored.
    The options' problems (too few, none correct) are the form's own errors, shown beside
    the options."""

    OPTION_ROWS = tracks.MAX_OPTIONS
    SHOWN_ROWS = 4  # the rest wait behind "More options"

    text = _question("text").formfield(widget=forms.Textarea(attrs={"rows": 2}), label="Question")
    explanation = _question("explanation").formfield(
        widget=forms.Textarea(attrs={"rows": 2}), label="Explanation (optional)"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_q_%s")
        super().__init__(*args, **kwargs)
        option = QuizOption._meta.get_field("text")
        for n in range(1, self.OPTION_ROWS + 1):
            self.fields[f"option_{n}"] = option.formfield(required=False, label=f"Option {n}")
            self.fields[f"correct_{n}"] = forms.BooleanField(
                required=False, label=f"Option {n} is correct"
            )

    @classmethod
    def initial_of(cls, question) -> dict:
        """The form's initial values for editing `question`."""
        initial = {"text": question.text, "explanation": question.explanation}
        for n, option in enumerate(question.options.all(), start=1):
            initial[f"option_{n}"], initial[f"correct_{n}"] = option.text, option.is_correct
        return initial

    def option_rows(self) -> list[tuple]:
        """(text field, correct field) per row, for the template."""
        return [(self[f"option_{n}"], self[f"correct_{n}"]) for n in range(1, self.OPTION_ROWS + 1)]

    def shown_rows(self) -> list[tuple]:
        return self.option_rows()[: self.SHOWN_ROWS]

    def more_rows(self) -> list[tuple]:
        return self.option_rows()[self.SHOWN_ROWS :]

    def more_open(self) -> bool:
        """Whether "More options" starts open: something was typed (or refused) there."""
        return any(
            text.value() or correct.value() or text.errors for text, correct in self.more_rows()
        )

    def clean(self):
        data = super().clean()
        rows = [
            (data.get(f"option_{n}") or "", bool(data.get(f"correct_{n}")))
            for n in range(1, self.OPTION_ROWS + 1)
        ]
        if any(f"option_{n}" in self.errors for n in range(1, self.OPTION_ROWS + 1)):
            return data
        try:
            data["options"] = tracks.options_validate(rows)
        except forms.ValidationError as error:
            self.add_error(None, error.messages)
        return data
