"""A dialogue's data between messages: one dataclass per dialogue, kept as JSON."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

T = TypeVar("T")


class StaleDialogue(Exception):
    """The kept data does not fit the dialogue's dataclass (kept by an older version)."""


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def dump(data: object) -> dict[str, object]:
    """The dataclass as plain JSON values, for the dialogue state in the database."""
    dumped = _adapter(type(data)).dump_python(data, mode="json")
    assert isinstance(dumped, dict)
    return dumped


def load(kind: type[T], kept: dict[str, object]) -> T:
    """The dataclass back from what `dump` kept; each field checked against its type."""
    try:
        loaded: T = _adapter(kind).validate_python(kept)
    except ValidationError as error:
        raise StaleDialogue(f"{kind.__name__}: {error.error_count()} fields do not fit") from None
    return loaded
