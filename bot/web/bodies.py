"""Request bodies read with care: capped in size, and only a JSON object of modest depth."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

MAX_BODY = 1024 * 1024  # 1 MB: a platform's update is a few kilobytes
MAX_DEPTH = 32  # an update nests about 6 deep


class Refused(Exception):
    """The body is not one to read: answer with `status` (413 too large, 400 not an object)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def json_object(
    request: Request, limit: int = MAX_BODY, depth: int = MAX_DEPTH
) -> dict[str, Any]:
    """The body as a JSON object, never holding more than `limit` bytes of it."""
    body = await _capped(request, limit)
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # not JSON (or not UTF-8), or nested past the stack
        raise Refused(400) from None
    if not isinstance(value, dict) or _depth(value) > depth:
        raise Refused(400)
    return value


async def fields(request: Request, limit: int = MAX_BODY) -> dict[str, str]:
    """A form's fields (URL-encoded, as Open311 posts them) or a JSON object's, as text."""
    if request.headers.get("content-type", "").startswith("application/json"):
        found = await json_object(request, limit)
        return {k: str(v) for k, v in found.items() if isinstance(v, str | int | float)}
    body = await _capped(request, limit)
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, max_num_fields=100)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400) from None
    return dict(pairs)


async def _capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Refused(413)  # refused unread
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(413)
    return bytes(body)


def _depth(value: Any) -> int:
    """How deep objects and lists nest, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest
