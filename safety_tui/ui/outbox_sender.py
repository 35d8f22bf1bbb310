"""The council outbox, sent by itself while the app runs: a send in a thread when one is due.

The worker says when the next is due (backoff with jitter while the server is away); what the
councillor must be told (a publication set aside, a state sent again) is shown as a notice.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

from safety_tui.common.text import printable
from safety_tui.ui.app_base import SafetyAppBase

NOT_CONFIGURED_RECHECK = 5.0  # seconds: opting in to a council later is noticed within this


class OutboxSender:
    """Part of the app: ``tick`` on a timer starts a send in a thread worker when one is due."""

    def __init__(self, app: SafetyAppBase) -> None:
        self.app = app
        self.busy = False
        self.due = 0.0  # time.monotonic() of the next send

    def tick(self) -> None:
        if self.busy or time.monotonic() < self.due or not self.app.has_store:
            return
        from safety_tui.council.config import SETTING_URL, configured_url

        url = configured_url(self.app.store.setting(SETTING_URL))
        if not url:
            self.due = time.monotonic() + NOT_CONFIGURED_RECHECK
            return
        self.busy = True
        self.app.run_worker(
            partial(self.send, self.app.store.path.parent, url),
            thread=True,
            exclusive=True,
            group="council-outbox",
            exit_on_error=False,
            description="send the outbox to the council",  # never the URL: it may hold a password
        )

    def send(self, directory: Path, url: str) -> None:
        from safety_tui.council.hook import deliver

        try:
            delivery = deliver(directory, url)
        finally:
            self.busy = False
        self.due = time.monotonic() + delivery.retry_in
        for notice in delivery.notices:
            self.app.call_from_thread(
                self.app.notify, printable(notice), title="Duty desk", severity="warning", timeout=20, markup=False
            )
