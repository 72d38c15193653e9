"""The locust users of bench/dashboard: each opens the county overview again and again, with
the session cookie of the bench's county approver (BENCH_SESSION)."""

import os

from locust import HttpUser, constant, task


class Supervisor(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", os.environ["BENCH_SESSION"])

    @task
    def overview(self) -> None:
        with self.client.get(
            "/dashboard/?period=2026", name="overview", catch_response=True
        ) as response:
            if response.status_code != 200 or b'id="figures"' not in response.content:
                response.failure(f"status {response.status_code}")
