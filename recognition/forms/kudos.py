"""The give form: who, what for, how many points, and optionally the work it was for.

The form reads what was typed into rows (usernames into people, slugs into values, a pasted
link into an article); the rules (not yourself, nobody inactive, what is left of the
allowance, one piece of work at most) are the service's, whose refusals the view puts back
beside these fields.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cached_property
from urllib.parse import urlsplit

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from kb.models import Article
from mentorship.models import Pairing
from people.models import User
from people.validators import validate_single_line
from recognition.models import Kudos, Value
from recognition.models.kudos import MESSAGE_MAX, POINTS_MAX
from recognition.services.kudos import MAX_RECIPIENTS
from training.models import Session

USERNAME_MAX = User._meta.get_field("username").max_length
TICKET_MAX = Kudos._meta.get_field("ticket_ref").max_length
# Longer than any link to an article; a longer paste is not one.
ARTICLE_REF_MAX = 500
# Sessions offered in the list: those that ended in the last 90 days or start in the next 14
# (a kudos for older work is still accepted when prefilled from its page).
SESSION_PAST_DAYS = 90
SESSION_AHEAD_DAYS = 14
_SEPARATORS = re.compile(r"[\s,;]+")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,120}$")
_PK = re.compile(r"^[0-9]{1,18}$")

# The same words for a piece of work that does not exist and one the giver may not see, so a
# refusal never tells that a hidden article or session exists (the service says the same).
NO_ARTICLE = "Choose a published article you can open."
NO_SESSION = "Choose a session you can see."
NO_PAIRING = "Choose a mentorship you are part of."


def split_usernames(text: str) -> list[str]:
    """Usernames typed as "maria, @tom ana": separated by commas, semicolons or spaces, an
    @ in front allowed, each once (in the order typed, ignoring case)."""
    seen, names = set(), []
    for token in _SEPARATORS.split(text or ""):
        name = token.strip().lstrip("@")
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


class RecipientsInput(forms.TextInput):
    """One text box of comma-separated usernames, or (with the picker's script) one hidden
    `recipients` input per chosen colleague: both arrive as a list of strings."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        if value is None:
            return []
        return list(value) if isinstance(value, list | tuple) else [value]

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data

    def format_value(self, value):
        if isinstance(value, list | tuple):
            value = ", ".join(str(item) for item in value)
        return super().format_value(value)


class RecipientsField(forms.Field):
    """The usernames of the colleagues thanked (`split_usernames` over every value sent)."""

    widget = RecipientsInput

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value or ""]
        names = split_usernames(",".join(str(item) for item in values))
        if len(names) > MAX_RECIPIENTS:
            raise forms.ValidationError(f"Choose at most {MAX_RECIPIENTS} colleagues.")
        too_long = [name for name in names if len(name) > USERNAME_MAX]
        if too_long:
            raise forms.ValidationError("No colleague has a username that long.")
        return names


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session: Session) -> str:
        starts = timezone.localtime(session.starts_at)
        return f"{session.title} ({date_format(starts, 'j M Y')})"


class PairingChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, giver: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.giver = giver

    def label_from_instance(self, pairing: Pairing) -> str:
        if pairing.mentor_id == self.giver.pk:
            who = f"Mentoring {pairing.mentee.name}"
        else:
            who = f"Mentored by {pairing.mentor.name}"
        return f"{who} · {pairing.program.name} ({pairing.get_status_display().lower()})"


class KudosForm(forms.Form):
    recipients = RecipientsField(
        label="To",
        help_text="Usernames of the colleagues you thank, separated by commas.",
        error_messages={"required": "Choose at least one colleague."},
    )
    message = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What they did and why it mattered. Links become clickable.",
        error_messages={
            "required": "Write a message.",
            "max_length": "Keep the message to %(limit_value)s characters (%(show_value)s now).",
        },
    )
    values = forms.ModelMultipleChoiceField(
        label="Values",
        queryset=Value.objects.filter(is_active=True),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one value.",
            "invalid_choice": "“%(value)s” is not one of the values offered.",
            "invalid_pk_value": "“%(pk)s” is not one of the values offered.",
        },
    )
    points = forms.IntegerField(
        label="Points for each colleague",
        initial=10,
        min_value=0,
        max_value=POINTS_MAX,
        error_messages={
            "required": "Say how many points each colleague gets (0 is fine).",
            "invalid": "Write the points as a whole number.",
            "min_value": "Points cannot be negative.",
            "max_value": f"Give at most {POINTS_MAX:,} points to each colleague.",
        },
    )
    article = forms.CharField(
        label="A knowledge base article",
        required=False,
        max_length=ARTICLE_REF_MAX,
        help_text="Paste the article's link (or the last part of it).",
        error_messages={"max_length": NO_ARTICLE},
    )
    session = SessionChoiceField(
        label="A training session",
        required=False,
        queryset=Session.objects.none(),
        empty_label="None",
        error_messages={"invalid_choice": NO_SESSION},
    )
    pairing = PairingChoiceField(
        label="A mentorship",
        required=False,
        queryset=Pairing.objects.none(),
        empty_label="None",
        giver=None,
        error_messages={"invalid_choice": NO_PAIRING},
    )
    ticket_ref = forms.CharField(
        label="Ticket reference",
        required=False,
        max_length=TICKET_MAX,
        validators=[validate_single_line],
    )
    customer_quote = forms.CharField(
        label="What the customer said (optional)",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": "Keep the quote to %(limit_value)s characters (%(show_value)s now).",
        },
    )

    TARGETS = ("article", "session", "pairing", "ticket_ref", "customer_quote")

    def __init__(self, *args, giver: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.giver = giver
        now = timezone.now()
        window = Q(
            ends_at__gte=now - timedelta(days=SESSION_PAST_DAYS),
            starts_at__lte=now + timedelta(days=SESSION_AHEAD_DAYS),
        ) & ~Q(status=Session.Status.CANCELLED)
        chosen = self._chosen_pk("session")
        if chosen is not None:
            window |= Q(pk=chosen)  # prefilled from an older session's page, or posted back
        self.fields["session"].queryset = (
            Session.objects.visible_to(giver).filter(window).order_by("-starts_at", "-pk")
        )
        pairing = self.fields["pairing"]
        pairing.giver = giver
        pairing.queryset = (
            Pairing.objects.filter(Q(mentor=giver) | Q(mentee=giver))
            .filter(status__in=[Pairing.Status.ACTIVE, Pairing.Status.COMPLETED])
            .select_related("program", "mentor", "mentee")
        )

    def _chosen_pk(self, name: str) -> int | None:
        raw = self.data.get(name) if self.is_bound else self.initial.get(name)
        raw = str(raw or "")
        return int(raw) if _PK.match(raw) else None

    # --- cleaning ------------------------------------------------------------------------

    def clean_recipients(self) -> list[User]:
        names = self.cleaned_data["recipients"]
        if not names:
            raise forms.ValidationError(self.fields["recipients"].error_messages["required"])
        found = _people_by_username(names)
        missing = [name for name in names if name.lower() not in found]
        if missing:
            shown = ", ".join(f"“{name}”" for name in missing[:5])
            raise forms.ValidationError(
                f"No colleague has the username {shown}. Choose from the list, or check "
                "the spelling."
            )
        return [found[name.lower()] for name in names]

    def clean_message(self) -> str:
        # A browser counts a line break as one character and sends two (CR LF).
        return self.cleaned_data["message"].replace("\r\n", "\n")

    def clean_customer_quote(self) -> str:
        return self.cleaned_data["customer_quote"].replace("\r\n", "\n")

    def clean_article(self) -> Article | None:
        text = self.cleaned_data["article"].strip()
        if not text:
            return None
        slug = article_slug(text)
        article = None
        if slug is not None:
            article = (
                Article.objects.published()
                .visible_to(self.giver)
                .select_related("published_revision")
                .filter(slug=slug)
                .first()
            )
        if article is None:
            raise forms.ValidationError(NO_ARTICLE)
        return article

    def service_arguments(self) -> dict:
        """What `recognition.services.kudos.kudos_give` takes, from a valid form."""
        data = self.cleaned_data
        return {
            "recipients": data["recipients"],
            "message": data["message"],
            "values": list(data["values"]),
            "points": data["points"],
            "article": data["article"],
            "session": data["session"],
            "pairing": data["pairing"],
            "ticket_ref": data["ticket_ref"],
            "customer_quote": data["customer_quote"],
        }

    # --- what the template shows ---------------------------------------------------------

    @cached_property
    def chosen_people(self) -> list[User]:
        """The colleagues the form holds now (prefilled or posted), known ones only: the
        picker's chips. One query, none when nobody is chosen."""
        cleaned = getattr(self, "cleaned_data", {}).get("recipients")
        if isinstance(cleaned, list) and all(isinstance(p, User) for p in cleaned):
            return cleaned
        names = split_usernames(self.recipients_text)
        if len(names) > MAX_RECIPIENTS:
            return []
        # A name no account can have is left out unread (it is refused beside the box).
        names = [name for name in names if len(name) <= USERNAME_MAX]
        if not names:
            return []
        found = _people_by_username(names)
        return [found[name.lower()] for name in names if name.lower() in found]

    @property
    def recipients_text(self) -> str:
        """The "To" box's text: the usernames prefilled or posted, separated by commas."""
        value = self["recipients"].value()
        return ", ".join(value) if isinstance(value, list | tuple) else str(value or "")

    @cached_property
    def value_options(self) -> list[tuple[Value, bool]]:
        """Each value offered, with whether it is ticked (one query)."""
        raw = self["values"].value() or []
        items = raw if isinstance(raw, list | tuple) else [raw]
        ticked = {getattr(item, "slug", None) or str(item) for item in items}
        return [(value, value.slug in ticked) for value in self.fields["values"].queryset]

    @cached_property
    def prefilled_article(self) -> Article | None:
        """The article a fresh form is prefilled with (`?article=`), if the giver may open it:
        its title shows beside the field."""
        if self.is_bound:
            return None
        slug = article_slug(str(self.initial.get("article") or ""))
        if slug is None:
            return None
        return (
            Article.objects.published()
            .visible_to(self.giver)
            .select_related("published_revision")
            .filter(slug=slug)
            .first()
        )

    @property
    def has_target(self) -> bool:
        """Whether the "what was it for" part holds something (it opens when it does)."""
        if self.is_bound:
            return any(str(self.data.get(name, "")).strip() for name in self.TARGETS)
        return any(self.initial.get(name) for name in self.TARGETS)


def _people_by_username(names: list[str]) -> dict[str, User]:
    """People (active or not: the service explains an inactive one) by lower-cased username;
    an exact spelling wins over one that differs in case only."""
    match = Q()
    for name in names:
        match |= Q(username__iexact=name)
    found: dict[str, User] = {}
    for person in User.objects.filter(match).select_related("team"):
        key = person.username.lower()
        if key not in found or person.username in names:
            found[key] = person
    return found


def article_slug(text: str) -> str | None:
    """The slug in a pasted article link ("https://huddle.example.com/kb/a/refunds/" or a
    path of the article's pages), or the text itself when it is a slug; None otherwise.
    Any host is accepted: the same article has one slug whichever address it was copied
    from."""
    text = text.strip()
    if _SLUG.match(text):
        return text
    prefix = reverse("kb:article-detail", args=["slug"]).removesuffix("slug/")
    try:
        path = urlsplit(text).path
    except ValueError:
        return None
    if not path.startswith(prefix):
        return None
    slug = path[len(prefix) :].split("/", 1)[0]
    return slug if _SLUG.match(slug) else None
