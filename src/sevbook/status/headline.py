"""The page's top-level status: Statuspage's rule, in one place.

`status.json`'s `indicator` and `description`, the banner's heading, icon and colour, and
`badge.svg` all come from the one `PageStatus` made here, so they cannot disagree.

The rule (Atlassian's "Top-level status and incident impact calculations", checked against
the real captures in `tests/data/statuspage/`):

* The components decide. Take the worst state any component is in now
  (major outage > partial outage > degraded performance > under maintenance):
  - a page with one component: major outage → critical "Major System Outage", partial
    outage → major "Partial System Outage", degraded → minor "Partially Degraded Service";
  - every component (two or more) in that state: critical "Major System Outage", major
    "Partial System Outage", minor "Degraded System Service";
  - some components: major outage → major "Partial System Outage", partial outage →
    minor "Minor Service Outage" (GitHub, 2022-11-25: one of 11 components in partial
    outage, with an open major-impact incident, said minor / "Minor Service Outage"),
    degraded → minor "Partially Degraded Service";
  - under maintenance: maintenance "Service Under Maintenance".
* Only when every component is operational do open incidents count: the worst impact of
  the unresolved incidents, in its own words (minor "Minor Service Outage", major "Partial
  System Outage", critical "Major System Outage"); impact none leaves the page at none.
* Otherwise none, "All Systems Operational".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model.vocab import ComponentStatus, Impact


@dataclass(frozen=True)
class PageStatus:
    indicator: Impact
    description: str

    @property
    def state(self) -> ComponentStatus:
        """The component state that shows this status (icon, colour)."""
        return ComponentStatus(self.indicator.state)


def page_status(states: Sequence[ComponentStatus],
                open_impacts: Iterable[Impact]) -> PageStatus:
    """The top-level status of a page whose components are in `states` now, with open
    incidents of `open_impacts` (maintenance is counted through its components)."""
    worst = ComponentStatus.worst(states)
    if worst != ComponentStatus.OPERATIONAL:
        if len(states) == 1:
            word, text = worst.page_one
        elif all(s == worst for s in states):
            word, text = worst.page_all
        else:
            word, text = worst.page_some
        return PageStatus(Impact(word), text)
    impact = max(open_impacts, key=lambda i: i.rank, default=Impact.NONE)
    return PageStatus(impact, impact.description)
