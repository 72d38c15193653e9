"""The users of the load bench (bench/load.py): caseworkers searching, opening households and
saving forms, reviewers working their queue, finance on the payroll pages (one of them
generating a payroll), all at once. Sample ids, the roles' weights and sessions logged in
before the run come from the file LOAD_SAMPLE names."""

from __future__ import annotations

import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

SAMPLE: dict[str, Any] = json.loads(open(os.environ["LOAD_SAMPLE"]).read())  # noqa: SIM115
INPUT = re.compile(r"<input\b[^>]*>")
NAME = re.compile(r'\bname="([^"]+)"')
VALUE = re.compile(r'\bvalue="([^"]*)"')
SELECTED = re.compile(r'<select[^>]*name="([^"]+)".*?<option value="([^"]*)"[^>]*selected', re.S)


def _login(user: HttpUser, username: str) -> None:
    """Take one of the sessions bench/load.py logged in before the run."""
    for name, value in SAMPLE["sessions"][username].pop().items():
        user.client.cookies.set(name, value)


def _form_fields(html: str) -> dict[str, Any]:
    """The fields a browser would send back unchanged (inputs and selected options)."""
    fields: dict[str, Any] = {}
    for tag in INPUT.findall(html):
        name, value = NAME.search(tag), VALUE.search(tag)
        if name and ("checkbox" not in tag or "checked" in tag):
            fields[name.group(1)] = value.group(1) if value else ""
    fields.update(dict(SELECTED.findall(html)))
    return fields


class Caseworker(HttpUser):
    weight = SAMPLE["weights"]["caseworker_a"]
    wait_time = between(1, 3)

    def on_start(self) -> None:
        _login(self, "caseworker_a")

    @task(4)
    def search_households_by_name(self) -> None:
        self.client.get(
            f"/relief/?q={random.choice(SAMPLE['surnames'])}", name="/relief/?q=[surname]"
        )

    @task(3)
    def search_people_by_id_number(self) -> None:
        self.client.get(
            f"/people/?q={random.choice(SAMPLE['id_numbers'])}", name="/people/?q=[id number]"
        )

    @task(4)
    def open_household(self) -> None:
        self.client.get(
            f"/relief/households/{random.choice(SAMPLE['households'])}/",
            name="/relief/households/[id]/",
        )

    @task(1)
    def save_person_form(self) -> None:
        pk = random.choice(SAMPLE["people"])
        page = self.client.get(f"/people/{pk}/edit/", name="/people/[id]/edit/")
        fields = _form_fields(page.text)
        fields.pop("id_number", None)  # disabled: a browser does not send it
        fields["phone"] = f"139{random.randrange(10**8):08d}"
        self.client.post(f"/people/{pk}/edit/", fields, name="/people/[id]/edit/ (save)")


class Reviewer(HttpUser):
    weight = SAMPLE["weights"]["reviewer_a"]
    wait_time = between(1, 3)

    def on_start(self) -> None:
        _login(self, "reviewer_a")

    @task(3)
    def approval_queue(self) -> None:
        self.client.get("/relief/approvals/", name="/relief/approvals/")

    @task(2)
    def open_application(self) -> None:
        if SAMPLE["applications"]:
            pk = random.choice(SAMPLE["applications"])
            self.client.get(f"/relief/applications/{pk}/", name="/relief/applications/[id]/")

    @task(1)
    def due_reviews(self) -> None:
        self.client.get("/relief/reviews/", name="/relief/reviews/")


class Approver(HttpUser):
    weight = SAMPLE["weights"]["approver"]
    wait_time = between(1, 3)

    def on_start(self) -> None:
        _login(self, "approver")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(2)
    def entitlements(self) -> None:
        self.client.get("/relief/entitlements/", name="/relief/entitlements/")

    @task(1)
    def warnings(self) -> None:
        self.client.get("/crosscheck/warnings/", name="/crosscheck/warnings/")


class Finance(HttpUser):
    weight = SAMPLE["weights"]["finance"]
    wait_time = between(1, 3)
    generated = False

    def on_start(self) -> None:
        _login(self, "finance")

    @task(3)
    def payrolls(self) -> None:
        self.client.get("/payments/", name="/payments/")

    @task(1)
    def generate_once(self) -> None:
        # one payroll for the whole run: the first finance user to get here starts it
        if Finance.generated or not SAMPLE["generate_month"]:  # --no-payroll
            return
        Finance.generated = True
        page = self.client.get("/payments/generate/", name="/payments/generate/")
        fields = _form_fields(page.text)
        fields["month"] = SAMPLE["generate_month"]
        fields["programs"] = SAMPLE["programs"]
        fields["areas"] = [SAMPLE["county_id"]]
        self.client.post("/payments/generate/", fields, name="/payments/generate/ (post)")
