"""The template filters that write a length of time the same way on every training page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from training.templatetags.training_format import breakable_url, duration, hours


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 min"),
        (1, "1 min"),
        (45, "45 min"),
        (60, "1 h"),
        (90, "1 h 30 min"),
        (75, "1 h 15 min"),
        (120, "2 h"),
        (10_000, "166 h 40 min"),
        ("90", "1 h 30 min"),
    ],
)
def test_duration_writes_minutes_as_hours_and_minutes(minutes, text):
    assert duration(minutes) == text


@pytest.mark.parametrize("value", [None, "", "soon", -5, object()])
def test_duration_of_nonsense_is_empty(value):
    assert duration(value) == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.0"), "12 h"),
        (Decimal("12"), "12 h"),
        (Decimal("1.5"), "1.5 h"),
        (Decimal("0.0"), "0 h"),
        (Decimal("2.25"), "2.3 h"),  # to a tenth, half up, as the hours are added up
        (Decimal("2.04"), "2 h"),
        (1.5, "1.5 h"),
        (3, "3 h"),
        ("4.0", "4 h"),
        (Decimal("1000.5"), "1000.5 h"),
    ],
)
def test_hours_never_ends_in_a_point_zero(value, text):
    assert hours(value) == text


@pytest.mark.parametrize("value", [None, "", "many", Decimal("NaN"), Decimal("Infinity")])
def test_hours_of_nonsense_is_empty(value):
    assert hours(value) == ""


def test_breakable_url_wraps_after_slashes_and_escapes():
    html = breakable_url("https://huddle.example/training/certificates/AB12-CD34/?a=<b>")
    assert html == (
        '<span class="url-part">https://huddle.example/</span><wbr>'
        '<span class="url-part">training/</span><wbr>'
        '<span class="url-part">certificates/</span><wbr>'
        '<span class="url-part">AB12-CD34/</span><wbr>'
        '<span class="url-part">?a=&lt;b&gt;</span>'
    )


def test_the_filters_load_in_a_template():
    template = Template(
        "{% load training_format %}{{ m|duration }} · {{ h|hours }} · {{ u|breakable_url }}"
    )
    text = template.render(Context({"m": 45, "h": Decimal("7.0"), "u": "/a/b/"}))
    assert text == (
        '45 min · 7 h · <span class="url-part">/</span><wbr><span class="url-part">a/</span>'
        '<wbr><span class="url-part">b/</span>'
    )
