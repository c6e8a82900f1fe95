"""Sending a payload in parts, again from the first part that did not arrive last time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from core.model import PARTS_SENT, Delivery, Outcome

E = TypeVar("E", bound=Exception)


async def send_parts(
    payload: Mapping[str, Any],
    parts: Sequence[Callable[[], Awaitable[object]]],
    errors: type[E] | tuple[type[E], ...],
    outcome_of: Callable[[E], Delivery],
) -> Delivery:
    """Send the parts not sent before (the payload's PARTS_SENT says how many were), in
    order; on one of `errors`, how it ended and how many parts arrived this time."""
    sent = 0
    try:
        for part in parts[int(payload.get(PARTS_SENT, 0)) :]:
            await part()
            sent += 1
    except errors as error:
        return replace(outcome_of(error), parts_sent=sent)
    return Delivery(Outcome.SENT)
