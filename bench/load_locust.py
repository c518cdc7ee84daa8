"""Locust traffic for `bench/load.py` (not run on its own): colleagues who search, read
articles, give kudos and sign up for sessions, and editors who edit and publish. Each simulated
person logs in through the login form; the plan (usernames, article and session slugs, search
words, values, password) comes as JSON in the file named by LOAD_PLAN."""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
from html.parser import HTMLParser

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
_next = {role: itertools.cycle(names) for role, names in PLAN["people"].items()}


class FormFields(HTMLParser):
    """The fields a browser would send for the first form whose action ends with `action`
    (inputs, checked boxes, textareas, selected options)."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        # A form without an action posts to the page it is on.
        action = a.get("action") or self.action
        if tag == "form" and not self.fields and action.endswith(self.action):
            self.inside = True
        if not self.inside or (not a.get("name") and tag not in ("option",)):
            return
        kind = (a.get("type") or "text").lower()
        if tag == "input" and kind not in ("submit", "button", "file", "image"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
            self.fields.append(("", ""))  # the form is done: later forms are ignored
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str, action: str) -> dict[str, list[str]]:
    parser = FormFields(action)
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        if name:
            fields.setdefault(name, []).append(value)
    return fields


class Person(HttpUser):
    abstract = True
    role = "agents"

    def on_start(self):
        self.username = next(_next[self.role])
        self.client.get("/accounts/login/", name="log in")
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PLAN["password"]},
            headers=self.csrf(),
            name="log in",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"log-in as {self.username} refused")

    def csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    def get(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if "/accounts/login/" in response.url:
                response.failure("sent to the log-in page")
            return response

    def post(self, url: str, data, name: str):
        with self.client.post(
            url, data=data, headers=self.csrf(), name=name, catch_response=True
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure("sent to the log-in page")
            return response

    @task(10)
    def search(self):
        self.get(f"/search/?q={random.choice(PLAN['words'])}", "search")

    @task(12)
    def article_view(self):
        self.get(f"/kb/a/{random.choice(PLAN['articles'])}/", "article view")


class Colleague(Person):
    weight = 8
    wait_time = between(0.5, 2)
    role = "agents"

    @task(2)
    def kudos(self):
        page = self.get("/kudos/give/", "kudos form")
        fields = form_fields(page.text, "/kudos/give/")
        colleague = random.choice([p for p in PLAN["people"]["agents"] if p != self.username])
        fields.update(
            recipients=[colleague],
            message=[f"Thanks for the help with ticket {secrets.token_hex(3)}."],
            values=[random.choice(PLAN["values"])],
            points=[str(random.choice([5, 10, 20]))],
        )
        self.post("/kudos/give/", fields, "kudos give")

    @task(2)
    def signup(self):
        slug = random.choice(PLAN["sessions"])
        self.get(f"/training/sessions/{slug}/", "session view")
        self.post(f"/training/sessions/{slug}/signup/", {}, "session sign-up")


class Editor(Person):
    weight = 1
    wait_time = between(1, 3)
    role = "editors"

    @task(4)
    def edit_and_publish(self):
        slug = random.choice(PLAN["editable"])
        page = self.get(f"/kb/a/{slug}/edit/", "article edit form")
        fields = form_fields(page.text, f"/kb/a/{slug}/edit/")
        if "body" not in fields:
            return
        fields["body"] = [
            fields["body"][0].rstrip() + f"\n\nChecked again ({secrets.token_hex(4)})."
        ]
        fields["change_note"] = ["Checked under load"]
        self.post(f"/kb/a/{slug}/edit/", fields, "article edit")
        self.post(f"/kb/a/{slug}/submit/", {}, "article submit")
        self.post(f"/kb/a/{slug}/approve/", {}, "article publish")
