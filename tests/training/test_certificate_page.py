"""Certificates: only for completed tracks, found by their code, printable and shareable."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import UserFactory
from tests.search.pages import parse
from tests.training.builders import enrol, make_track
from training.models import Enrolment
from training.services.progress import step_complete


def _complete(enrolment):
    for step in enrolment.track.steps.all():
        step_complete(enrolment=enrolment, step=step)
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def completed(agent, track):
    track.skills.set(["listening", "refunds"])
    return _complete(enrol(agent, track))


def test_the_certificate_says_who_what_when_and_how_to_check_it(agent_client, agent, completed):
    url = f"/training/certificates/{completed.certificate_code}/"
    response = agent_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert agent.name in html
    assert completed.track.title in html
    assert completed.completed_at.strftime("%-d %B %Y") in html
    assert "listening" in html
    assert "refunds" in html
    assert completed.certificate_code in html
    assert "Huddle" in html
    # Print and copy-link buttons come alive with JavaScript from static files only.
    assert "data-print hidden" in html
    assert "js/print-button.js" in html
    assert "data-copy-link" in html
    assert f"http://testserver{url}" in html
    assert "<script>" not in html


def test_anyone_signed_in_with_the_link_can_check_it(client, outsider, completed):
    client.force_login(outsider)
    assert client.get(f"/training/certificates/{completed.certificate_code}/").status_code == 200


def test_there_is_no_certificate_for_an_incomplete_track(agent_client, agent, track):
    enrolment = enrol(agent, track)
    step_complete(enrolment=enrolment, step=track.steps.first())
    enrolment.refresh_from_db()
    assert enrolment.certificate_code is None
    html = agent_client.get(f"/training/tracks/{track.slug}/").content.decode()
    assert "/training/certificates/" not in html


@pytest.mark.parametrize("code", ["NOPE-NOPE-NOPE", "x" * 300, "a%20b"])
def test_unknown_codes_are_404(agent_client, completed, code):
    assert agent_client.get(f"/training/certificates/{code}/").status_code == 404


def test_a_withdrawn_enrolment_has_no_certificate(agent_client, agent, completed):
    # A certificate exists exactly for a completed enrolment (a database constraint).
    other = enrol(UserFactory(), completed.track, status=Enrolment.Status.WITHDRAWN)
    assert other.certificate_code is None


def test_the_print_stylesheet_prints_the_certificate_alone_on_a4_landscape():
    css = (Path(settings.BASE_DIR) / "static/css/huddle.css").read_text()
    assert "@page certificate { size: A4 landscape;" in css
    assert ".certificate { page: certificate;" in css
    print_rules = css[css.index("@media print {") :]
    assert ".site-header, .site-footer" in print_rules
    assert "button" in print_rules


@pytest.mark.parametrize("size", [2, 12])
def test_certificate_query_count_is_constant(
    client, agent, editor, article, size, django_assert_max_num_queries
):
    track = make_track(owner=editor, title="Skills", articles=[article])
    track.skills.set([f"skill {n}" for n in range(size)])
    enrolment = _complete(enrol(agent, track))
    client.force_login(agent)
    # session, user, roles (3); the enrolment with its user and track (1); the skills (1).
    with django_assert_max_num_queries(5):
        assert client.get(enrolment.get_certificate_url()).status_code == 200


def test_the_learner_gets_a_way_back_to_the_track(client, agent, outsider, completed):
    url = f"/training/certificates/{completed.certificate_code}/"
    client.force_login(agent)
    crumbs = parse(client.get(url)).find("nav", class_="breadcrumbs")
    assert crumbs.find("a", href=completed.track.get_absolute_url()) is not None
    # Someone the link was shared with may not open the track: no breadcrumb for them.
    client.force_login(outsider)
    assert parse(client.get(url)).find("nav", class_="breadcrumbs") is None


def test_the_code_stays_on_one_line_and_the_link_wraps_after_its_slashes(agent_client, completed):
    response = agent_client.get(f"/training/certificates/{completed.certificate_code}/")
    page = parse(response)
    code = page.find("strong", class_="certificate-code")
    assert code.text() == completed.certificate_code
    parts = [p.text() for p in page.find("p", class_="certificate-url").find_all("span")]
    assert parts == [
        "http://testserver/", "training/", "certificates/", f"{completed.certificate_code}/"
    ]  # fmt: skip
    assert b"<wbr>" in response.content
    css = (Path(settings.BASE_DIR) / "static/css/huddle.css").read_text()
    assert ".certificate-code { white-space: nowrap; }" in css


def test_print_and_copy_link_are_the_same_size(agent_client, completed):
    page = parse(agent_client.get(f"/training/certificates/{completed.certificate_code}/"))
    actions = page.find("div", class_="certificate-actions")
    sizes = {"small" in button.attrs["class"].split() for button in actions.find_all("button")}
    assert sizes == {False}


def test_the_estimate_reads_in_hours_and_minutes(agent_client, completed):
    completed.track.estimated_minutes = 60
    completed.track.save()
    html = agent_client.get(f"/training/certificates/{completed.certificate_code}/").content
    assert b"Estimated learning time: 1 h<" in html
