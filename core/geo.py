"""Places on the map: how far apart two points are, and the alley nearest a pin."""

from __future__ import annotations

import math
from collections.abc import Iterable

from core.model import Alley

EARTH_RADIUS_METRES = 6_371_000


def distance_metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(h))


def nearest(alleys: Iterable[Alley], where: tuple[float, float], within: float) -> Alley | None:
    """The located alley nearest to `where`, if one lies within `within` metres."""
    best: tuple[float, Alley] | None = None
    for alley in alleys:
        if alley.location is None:
            continue
        metres = distance_metres(where, alley.location)
        if metres <= within and (best is None or metres < best[0]):
            best = (metres, alley)
    return None if best is None else best[1]
