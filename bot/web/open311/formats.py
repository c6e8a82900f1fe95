"""GeoReport v2's two formats: a JSON list of objects, or XML with a root and one element each."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

from starlette.responses import Response

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
Item = Mapping[str, Any]


class Open311Error(Exception):
    """A request the API refuses, answered in the specification's error format."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def stamp(instant: datetime) -> str:
    """ISO 8601 with its zone, as the specification asks (UTC here)."""
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def answer(
    fmt: str, root: str, element: str, items: Sequence[Item], status: int = 200
) -> Response:
    """The items as a JSON list, or as `<root><element>…</element>…</root>`."""
    if fmt == "json":
        return _json(list(items), status)
    tree = ElementTree.Element(root)
    for item in items:
        _fill(ElementTree.SubElement(tree, element), item)
    return _xml(tree, status)


def one(fmt: str, root: str, item: Item) -> Response:
    """A single object (the discovery document, a service definition): not wrapped in a list."""
    if fmt == "json":
        return _json(item, 200)
    tree = ElementTree.Element(root)
    _fill(tree, item)
    return _xml(tree, 200)


def error(fmt: str, problem: Open311Error) -> Response:
    detail = {"code": problem.status, "description": problem.description}
    return answer(fmt if fmt in FORMATS else "json", "errors", "error", [detail], problem.status)


def _fill(parent: ElementTree.Element, item: Item) -> None:
    for name, value in item.items():
        child = ElementTree.SubElement(parent, name)
        if isinstance(value, Mapping):
            _fill(child, value)
        elif isinstance(value, list):
            singular = name.removesuffix("s")
            for part in value:
                grandchild = ElementTree.SubElement(child, singular)
                if isinstance(part, Mapping):
                    _fill(grandchild, part)
                else:
                    grandchild.text = _text(part)
        else:
            child.text = _text(value)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json(body: object, status: int) -> Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status_code=status, media_type=FORMATS["json"])


def _xml(tree: ElementTree.Element, status: int) -> Response:
    body = ElementTree.tostring(tree, encoding="utf-8", xml_declaration=True)
    return Response(body, status_code=status, media_type=FORMATS["xml"])
