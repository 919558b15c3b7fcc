"""What the seed's stages share: sizes, the random source, the moment the data ends, and what the
earlier stages made (ids the later ones refer to)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

SIZES = {
    # The company: 20 offices, 100 communities, 150,000 units, 1M complaints over 5 years.
    # The register (entries, the complaints' mirrors included) and the survey rounds per community.
    "large": {
        "offices": 20,
        "communities": 100,
        "units": 150_000,
        "complaints": 1_000_000,
        "years": 5,
        "entries": 2_000_000,
        "rounds": 10,
    },
    "medium": {
        "offices": 20,
        "communities": 100,
        "units": 150_000,
        "complaints": 200_000,
        "years": 5,
        "entries": 400_000,
        "rounds": 10,
    },
    "small": {
        "offices": 6,
        "communities": 12,
        "units": 6_000,
        "complaints": 20_000,
        "years": 2,
        "entries": 40_000,
        "rounds": 4,
    },
    "tiny": {
        "offices": 3,
        "communities": 4,
        "units": 600,
        "complaints": 1_500,
        "years": 1,
        "entries": 3_000,
        "rounds": 2,
    },
}


@dataclass
class Context:
    seed: int
    offices: int
    communities: int
    units: int
    complaints: int
    years: int
    entries: int
    rounds: int
    end: datetime.datetime
    log: Any = print
    rng: random.Random = field(init=False)
    made: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def start(self) -> datetime.datetime:
        return self.end - datetime.timedelta(days=365 * self.years)
