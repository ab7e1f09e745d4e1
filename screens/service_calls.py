"""The one way a screen, dialog or pane calls the services: in a worker thread,
never on the UI thread, with the answer handed back as Textual's
`Worker.StateChanged` message and handled in one place.

A refusal the user should read (a `ServiceError`) comes back as a value, not
as the worker's error, so it is shown beside the form or as a notice; any
other exception stays an error and reaches the app's crash handling, as a bug.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from keywork_tui.services import ServiceError, database

T = TypeVar("T")
# What `done` returns is not used: a dialog's dismiss, say, may be handed back.
Done = Callable[[Any], object]
Refused = Callable[[ServiceError], None]


class _Refusal(NamedTuple):
    """A service's refusal, carried back from the worker thread."""

    error: ServiceError


class _Waiting(NamedTuple):
    """What to call when a service call's answer comes back."""

    done: Done
    refused: Refused | None


# Each call's handlers until its worker finishes; only the UI thread touches it.
# Weak keys: a worker cancelled with its screen before it reported leaves nothing.
_WAITING: weakref.WeakKeyDictionary[Worker[Any], _Waiting] = weakref.WeakKeyDictionary()


def _in_thread(job: Callable[[], T]) -> Callable[[], T | _Refusal]:
    def run() -> T | _Refusal:
        try:
            return job()
        except ServiceError as exc:
            return _Refusal(exc)
        finally:
            # Pool threads come and go: a connection left open on one would
            # never be closed.
            database.close()

    return run


async def answer(job: Callable[[], T]) -> T:
    """The same call for code that is no part of the screen (a command palette
    provider gathers its finds in a coroutine of its own): awaited, and a
    refusal raised as the ServiceError it is."""
    result = await asyncio.to_thread(_in_thread(job))
    if isinstance(result, _Refusal):
        raise result.error
    return result


if TYPE_CHECKING:
    _Node = DOMNode
else:
    # A plain mixin when running: Textual takes a class's inherited styles from
    # its first DOMNode base, so a DOMNode mixin listed first would hide the
    # screen's or widget's own (a modal's dimmed backdrop among them).
    _Node = object


class ServiceCalls(_Node):
    """Mixed into the bases of screens, dialogs and workspace panes; Textual
    finds its handler through the class's MRO like any other."""

    def call_service(
        self,
        job: Callable[[], T],
        done: Callable[[T], object],
        *,
        refused: Refused | None = None,
        group: str = "service",
        exclusive: bool = True,
    ) -> Worker[Any]:
        """Run `job` (a service call) in a thread; then, on the UI thread,
        `done(result)`, or `refused(error)` (a notice unless given). An
        exclusive call replaces an unfinished one of its group, whose answer
        is dropped."""
        worker = self.run_worker(_in_thread(job), thread=True, group=group, exclusive=exclusive)
        _WAITING[worker] = _Waiting(done, refused)
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        waiting = _WAITING.pop(event.worker, None)
        if waiting is None or event.state is not WorkerState.SUCCESS or not self.is_attached:
            return  # not a service call, superseded, failed as a bug, or gone
        result = event.worker.result
        if isinstance(result, _Refusal):
            (waiting.refused or self.show_refusal)(result.error)
        else:
            waiting.done(result)

    def show_refusal(self, error: ServiceError) -> None:
        self.app.notify(str(error), severity="error")
