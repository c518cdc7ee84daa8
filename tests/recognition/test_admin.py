"""Recognition in the admin: every model has pages that load in a constant number of queries;
what people did changes only through the services: moderating a reported kudos, deciding a
redemption or a nomination, as list actions or as the one field of the row's page. A kudos's
recipients and points are never edited. (Settings: test_admin_settings.py.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from recognition.models import (
    APPROVERS_GROUP,
    Award,
    Badge,
    BadgeAward,
    Kudos,
    KudosComment,
    KudosRecipient,
    Nomination,
    Praise,
    Reaction,
    Redemption,
    Reward,
    SuccessStory,
    Value,
    Wallet,
)
from recognition.selectors.accounts import points_balance
from recognition.services import nominations, rewards
from tests.factories import TeamFactory, UserFactory
from tests.recognition.builders import make_kudos, make_praise

MODELS = [
    Value, Kudos, Reaction, KudosComment, Wallet, Praise, SuccessStory, Reward, Redemption,
    Badge, BadgeAward, Award, Nomination,
]  # fmt: skip
# Session and user, then the list's own reads: the count, the total count, the rows with what
# their columns show, the filters' choices. Measured, the same at both sizes.
LIST_LIMITS = {
    Value: 5, Kudos: 10, Reaction: 7, KudosComment: 7, Wallet: 5, Praise: 9, SuccessStory: 7,
    Reward: 5, Redemption: 8, Badge: 5, BadgeAward: 8, Award: 5, Nomination: 9,
}  # fmt: skip
# A change page: session and user, the row with the names it shows, its inline rows and
# the admin's log. Measured: at most 7.
CHANGE_LIMIT = 8
MADE_ON_THE_SITE = [Kudos, Reaction, KudosComment, Praise, SuccessStory, Redemption,
                    BadgeAward, Nomination, Badge]  # fmt: skip


def url(model, action: str = "changelist", *args) -> str:
    return reverse(f"admin:recognition_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def act(client, model, action: str, objs) -> list[str]:
    """Run an admin action on `objs` from the list page; the messages it left."""
    response = client.post(
        url(model), {"action": action, "_selected_action": [obj.pk for obj in objs]}, follow=True
    )
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def _inline_data(client, model, obj) -> dict:
    """What the row's page sends besides its fields: each inline's management form and the
    ids of its rows, as a browser would."""
    page = client.get(url(model, "change", obj.pk))
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for form in formset.initial_forms:
            data[form.add_prefix(formset.model._meta.pk.name)] = form.instance.pk
            data[form.add_prefix(formset.fk.name)] = obj.pk
    return data


def decide(client, model, obj, **data) -> list[str]:
    """Post the row's page with a decision; the messages it left."""
    data = {**_inline_data(client, model, obj), **data}
    response = client.post(url(model, "change", obj.pk), data, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def _redemption(person, reward) -> Redemption:
    return rewards.reward_redeem(person=person, reward=reward)


@pytest.fixture
def populate(team, manager):
    """`populate(n)`: n of everything, each made as on the site."""
    serial = iter(range(10_000))
    award = Award.objects.get()

    def make(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            giver = UserFactory(username=f"giver{i}", team=team)
            person = UserFactory(username=f"person{i}", team=TeamFactory())
            kudos = make_kudos(giver, [person, manager], points=50, ticket_ref=f"ZD-{i}")
            Reaction.objects.create(kudos=kudos, user=manager, kind="clap")
            KudosComment.objects.create(kudos=kudos, author=person, body="Thank you!")
            make_kudos(giver, person, status=Kudos.Status.REPORTED, message="Not nice")
            Wallet.objects.create(user=giver, monthly_allowance=150)
            praise = make_praise([person, giver], recorded_by=manager, csat=5)
            SuccessStory.objects.create(
                praise=praise, title=f"A story {i}", learned="Listen first.",
                pinned_from=timezone.localdate(), pinned_until=timezone.localdate(),
                created_by=manager,
            )  # fmt: skip
            reward = Reward.objects.create(name=f"Reward {i}", slug=f"reward-{i}", price=20,
                                           stock=3)  # fmt: skip
            _redemption(person, reward)
            BadgeAward.objects.create(badge=Badge.objects.order_by("pk")[i % 5], user=person)
            nominations.nomination_create(
                nominated_by=manager, nominee=person, award=award, reason="Great quarter."
            )

    return make


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_list_page_loads_with_a_constant_number_of_queries(
    admin_client, populate, model, size, django_assert_max_num_queries
):
    populate(size)
    with django_assert_max_num_queries(LIST_LIMITS[model]):
        response = admin_client.get(url(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_change_page_loads(admin_client, populate, model, django_assert_max_num_queries):
    populate(3)
    obj = model.objects.order_by("pk").last()
    with django_assert_max_num_queries(CHANGE_LIMIT):
        response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MADE_ON_THE_SITE, ids=lambda m: m.__name__)
def test_what_the_site_makes_cannot_be_added_here(admin_client, populate, model):
    populate(1)
    assert admin_client.get(url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", [Kudos, Reaction, Redemption, Nomination, BadgeAward, Badge])
def test_records_cannot_be_deleted_here(admin_client, populate, model):
    populate(1)
    obj = model.objects.first()
    assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_a_value_or_reward_in_use_cannot_be_deleted_but_an_unused_one_can(admin_client, populate):
    populate(1)
    used = Value.objects.get(slug="went-the-extra-mile")
    unused = Value.objects.get(slug="proactive-service")
    assert admin_client.post(url(Value, "delete", used.pk), {"post": "yes"}).status_code == 403
    response = admin_client.post(url(Value, "delete", unused.pk), {"post": "yes"})
    assert response.status_code == 302
    assert list(Value.objects.filter(pk__in=[used.pk, unused.pk])) == [used]
    reward = Reward.objects.get()
    assert admin_client.post(url(Reward, "delete", reward.pk), {"post": "yes"}).status_code == 403


# --- Kudos: read-only, moderated through the services -----------------------------------------


def test_the_reported_waiting_filter_lists_reported_kudos_only(admin_client, populate):
    populate(2)
    response = admin_client.get(url(Kudos), {"moderation": "waiting"})
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert len(listed) == 2
    assert {k.status for k in listed} == {"reported"}
    assert "Reported, waiting" in response.content.decode()


def test_restore_shows_a_reported_kudos_again_and_remove_keeps_it_hidden(
    admin_client, populate, agent, root
):
    populate(2)
    first, second = Kudos.objects.filter(status="reported").order_by("pk")
    assert not Kudos.objects.visible_to(agent).filter(pk=first.pk).exists()

    notes = act(admin_client, Kudos, "restore", [first])
    assert notes == ["1 kudos restored: shown again."]
    first.refresh_from_db()
    assert (first.status, first.decided_by) == ("visible", root)
    assert Kudos.objects.visible_to(agent).filter(pk=first.pk).exists()

    notes = act(admin_client, Kudos, "remove", [second])
    assert notes == ["1 kudos removed."]
    assert Kudos.objects.get(pk=second.pk).status == "removed"
    assert not Kudos.objects.visible_to(agent).filter(pk=second.pk).exists()


def test_a_decision_on_the_kudos_page_goes_through_the_service(admin_client, populate, root):
    populate(1)
    kudos = Kudos.objects.get(status="reported")
    page = admin_client.get(url(Kudos, "change", kudos.pk)).content.decode()
    assert "Restore (show again)" in page
    assert "Remove (uphold the report)" in page
    notes = decide(admin_client, Kudos, kudos, decision="restore")
    assert "1 kudos restored: shown again." in notes
    kudos.refresh_from_db()
    assert (kudos.status, kudos.decided_by) == ("visible", root)


def test_a_kudoss_recipients_points_and_message_cannot_be_edited(admin_client, populate):
    populate(1)
    kudos = Kudos.objects.filter(status="visible").get()
    before = Kudos.objects.values().get(pk=kudos.pk)
    rows = list(KudosRecipient.objects.filter(kudos=kudos).values())
    admin_client.post(
        url(Kudos, "change", kudos.pk),
        {"points": "999", "message": "Forged", "status": "removed", "giver": "1",
         "recipient_rows-TOTAL_FORMS": "1", "recipient_rows-INITIAL_FORMS": "0",
         "recipient_rows-0-recipient": "1", "recipient_rows-0-points": "999"},
    )  # fmt: skip
    assert Kudos.objects.values().get(pk=kudos.pk) == before
    assert list(KudosRecipient.objects.filter(kudos=kudos).values()) == rows


def test_an_unknown_decision_is_a_form_error_and_changes_nothing(admin_client, populate):
    populate(1)
    kudos = Kudos.objects.get(status="reported")
    inlines = _inline_data(admin_client, Kudos, kudos)
    for bad in ("erase", "x" * 10_000, "restore\x00"):
        response = admin_client.post(url(Kudos, "change", kudos.pk), {**inlines, "decision": bad})
        if "\x00" in bad:  # the site refuses a NUL character before any view reads it
            assert response.status_code == 400
        else:
            assert response.status_code == 200
            assert response.context["errors"]
        assert Kudos.objects.get(pk=kudos.pk).status == "reported"


def test_staff_who_are_not_admins_are_refused_with_a_message(client, populate):
    populate(1)
    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.user_permissions.add(*_permissions("view_kudos", "change_kudos"))
    client.force_login(staff)
    kudos = Kudos.objects.get(status="reported")
    notes = act(client, Kudos, "restore", [kudos])
    assert notes == [f"{kudos}: Only admins decide on reported kudos."]
    assert Kudos.objects.get(pk=kudos.pk).status == "reported"
    notes = decide(client, Kudos, kudos, decision="remove")
    assert notes == ["Only admins decide on reported kudos."]
    assert Kudos.objects.get(pk=kudos.pk).status == "reported"


def _permissions(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="recognition", codename__in=codenames)


# --- Redemptions ----------------------------------------------------------------------------


def test_approve_and_decline_go_through_the_service(admin_client, populate):
    populate(2)
    first, second = Redemption.objects.order_by("pk").select_related("person")
    person = second.person
    before = points_balance(person)

    assert act(admin_client, Redemption, "approve", [first]) == ["1 redemption(s) approved."]
    assert Redemption.objects.get(pk=first.pk).status == "approved"

    notes = act(admin_client, Redemption, "decline", [second])
    assert notes == ["1 redemption(s) declined; the points are back in the balance."]
    second.refresh_from_db()
    assert (second.status, second.reason) == ("declined", "Declined by an admin in the admin site.")
    assert points_balance(person) == before + second.points
    # A second decision is refused, and the points come back once.
    notes = act(admin_client, Redemption, "decline", [second])
    assert notes[0].startswith(f"{second}: This redemption was already decided")
    assert points_balance(person) == before + second.points


def test_a_decline_on_the_redemptions_page_says_why(admin_client, populate):
    populate(1)
    redemption = Redemption.objects.get()
    notes = decide(admin_client, Redemption, redemption, decision="decline",
                   decision_note="Out of stock until March, sorry.")  # fmt: skip
    assert "1 redemption(s) declined; the points are back in the balance." in notes
    redemption.refresh_from_db()
    assert (redemption.status, redemption.reason) == (
        "declined",
        "Out of stock until March, sorry.",
    )


def test_a_reason_too_long_is_refused_and_changes_nothing(admin_client, populate):
    populate(1)
    redemption = Redemption.objects.get()
    notes = decide(admin_client, Redemption, redemption, decision="decline",
                   decision_note="x" * 5000)  # fmt: skip
    assert any("Keep why you decline it to 1,000 characters" in note for note in notes)
    assert Redemption.objects.get(pk=redemption.pk).status == "pending"


# --- Nominations ----------------------------------------------------------------------------


def test_approve_and_reject_go_through_the_service(admin_client, populate):
    populate(2)
    first, second = Nomination.objects.order_by("pk")
    assert act(admin_client, Nomination, "approve", [first]) == ["1 nomination(s) approved."]
    assert Nomination.objects.get(pk=first.pk).status == "approved"
    notes = decide(admin_client, Nomination, second, decision="reject",
                   decision_note="Let us see next quarter.")  # fmt: skip
    assert "1 nomination(s) rejected." in notes
    second.refresh_from_db()
    assert (second.status, second.decision_comment) == ("rejected", "Let us see next quarter.")


def test_reject_from_the_list_uses_a_fixed_comment(admin_client, populate):
    populate(1)
    nomination = Nomination.objects.get()
    assert act(admin_client, Nomination, "reject", [nomination]) == ["1 nomination(s) rejected."]
    nomination.refresh_from_db()
    assert nomination.decision_comment == "Not approved by an admin in the admin site."


def test_an_admin_cannot_decide_their_own_nomination(client, populate, manager):
    populate(1)
    Group.objects.get_or_create(name=APPROVERS_GROUP)[0].user_set.add(manager)
    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(*_permissions("view_nomination", "change_nomination"))
    client.force_login(manager)
    nomination = Nomination.objects.get()
    notes = act(client, Nomination, "approve", [nomination])
    assert len(notes) == 1
    assert notes[0].startswith(f"{nomination}: ")
    assert Nomination.objects.get(pk=nomination.pk).status == "pending"
