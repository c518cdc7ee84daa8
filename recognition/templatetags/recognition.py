"""Template filters shared by recognition's pages: `{% load recognition %}`."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kb.templatetags.kb_time import ago
from people.fragments import cached_fragments, csrf_placeholder, fragment_key, with_csrf
from recognition.rendering import render_message

register = template.Library()


@register.filter
def kudos_text(text: str) -> SafeString:
    """A kudos message, comment-free quote or praise as safe HTML: escaped, links clickable,
    in paragraphs (`recognition.rendering.render_message`)."""
    return render_message(text or "")


CARD_TEMPLATE = "recognition/includes/kudos_card.html"
_CARD_PREFIX = "recognition:card:1"  # bump the number when the card changes what it shows


@register.simple_tag(takes_context=True)
def kudos_card(context, kudos, detail=False, hide_report=False, next="") -> SafeString:
    """A kudos card (`recognition/includes/kudos_card.html` says what it shows), cached under
    a digest of everything it shows (`people.fragments`): its text and people, the viewer's
    rights and reactions (`kudos.card`), the viewer's time zone and how long ago it was given.
    A wall of twenty cards rendered through templates was a quarter of the wall's time."""
    viewer = context["user"]
    back = next or context["request"].get_full_path()
    inputs = (
        kudos.pk, kudos.status, kudos.points, kudos.message, kudos.comment_count,
        kudos.created_at.isoformat(), timezone.get_current_timezone_name(),
        ago(kudos.created_at),
        (kudos.giver_id, kudos.giver.name, kudos.giver.get_absolute_url()),
        tuple(
            (row.recipient_id, row.recipient.name, row.recipient.get_absolute_url())
            for row in kudos.recipient_rows.all()
        ),
        tuple((v.slug, v.name, v.emoji, v.description) for v in kudos.values.all()),
        kudos.card,  # the work it was for as this viewer may see it, reactions, rights
        kudos.giver_id == viewer.pk, bool(detail), bool(hide_report), back,
    )  # fmt: skip

    context_of_card = {
        "kudos": kudos, "user": viewer, "detail": detail, "hide_report": hide_report,
        "next": back, "csrf_token": csrf_placeholder(),
    }  # fmt: skip

    def render(_):
        return get_template(CARD_TEMPLATE).render(context_of_card)

    [html] = cached_fragments([fragment_key(_CARD_PREFIX, inputs)], render)
    return with_csrf(html, context.get("csrf_token"))


@register.simple_tag(takes_context=True)
def reaction_bar(context, kudos, next="", error="") -> SafeString:
    """A kudos's reactions bar (`recognition/includes/reactions.html` says what it shows).
    Built here rather than in template tags: a page of twenty cards has a hundred buttons,
    each its own form, and the template loop was most of the wall's time."""
    card = kudos.card
    csrf = context.get("csrf_token")
    csrf_input = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf)
        if csrf and csrf != "NOTPROVIDED"
        else ""
    )
    # One reverse per card: the kind is the URL's last segment.
    react_base = reverse("recognition:kudos-react", args=[kudos.pk, "-"])[:-2]
    items = []
    for r in card.reactions:
        who = ", ".join(r.who)
        label = format_html(
            '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>{}',
            r.emoji,
            r.label,
            format_html(' <span class="reaction-count">{}</span>', r.count) if r.count else "",
        )
        if card.open:
            url = f"{react_base}{r.kind}/"
            described = (
                format_html(' title="{}" aria-describedby="react-who-{}-{}"', who, kudos.pk, r.kind)
                if r.count
                else ""
            )
            control = format_html(
                '<form method="post" action="{url}" hx-post="{url}" hx-target="#reactions-{pk}"'
                ' hx-swap="outerHTML">{csrf}<input type="hidden" name="on" value="{on}">'
                '<input type="hidden" name="next" value="{next}">'
                '<button type="submit" class="reaction{mine}" id="react-{pk}-{kind}"'
                ' aria-pressed="{pressed}"{described}>{label}</button></form>',
                url=url,
                pk=kudos.pk,
                csrf=csrf_input,
                on="0" if r.mine else "1",
                next=next,
                mine=" mine" if r.mine else "",
                kind=r.kind,
                pressed="true" if r.mine else "false",
                described=described,
                label=label,
            )
        else:
            title = format_html(' title="{}"', who) if r.count else ""
            control = format_html('<span class="reaction"{}>{}</span>', title, label)
        who_note = (
            format_html(
                '<span class="visually-hidden" id="react-who-{}-{}">{} from {}</span>',
                kudos.pk,
                r.kind,
                r.label,
                who,
            )
            if r.count
            else ""
        )
        items.append(format_html("<li>{}{}</li>", control, who_note))
    return format_html(
        '<div class="kudos-reactions" id="reactions-{}"><ul class="reaction-bar"'
        ' aria-label="Reactions">{}</ul>{}</div>',
        kudos.pk,
        mark_safe("".join(items)),
        format_html('<p class="notice warn small" role="alert">{}</p>', error) if error else "",
    )
