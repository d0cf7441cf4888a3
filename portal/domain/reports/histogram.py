"""Count, mean and percentiles from a histogram: values with how often each occurs.

A report that needs a median asks the database for ``GROUP BY group, value`` with a count
instead of an ordered-set aggregate: PostgreSQL can run that grouping in parallel workers
and by hashing, over as few groups as there are distinct values, where
``percentile_cont`` sorts every row of a group in one process (bench/README.md). The
figures are the same: the percentile is interpolated between the two values at its
position as ``percentile_cont`` does, in the same floating-point steps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple


class Summary(NamedTuple):
    count: int
    mean: object  # the values' own type (Decimal from PostgreSQL's numeric, float from SQLite)
    percentiles: dict[int, float]  # {percent: value}


def summarise(histogram: Iterable[tuple[object, int]], percents=(50,)) -> Summary | None:
    """The count, mean and `percents` of the values in `histogram` ((value, count) pairs,
    any order; None values left out); None when there is no value."""
    pairs = sorted((value, count) for value, count in histogram if value is not None and count)
    total = sum(count for _value, count in pairs)
    if not total:
        return None
    mean = sum(value * count for value, count in pairs) / total
    return Summary(total, mean, {percent: _percentile(pairs, total, percent / 100) for percent in percents})


def _percentile(pairs, total: int, fraction: float) -> float:
    """``percentile_cont(fraction)``: the value at position fraction × (total − 1), counted
    from 0, interpolated linearly between the values at its floor and ceiling."""
    position = fraction * (total - 1)
    first, second = math.floor(position), math.ceil(position)
    low, high = _at(pairs, first), _at(pairs, second)
    return low if first == second else low + (high - low) * (position - first)


def _at(pairs, rank: int) -> float:
    """The value at 0-based `rank` among the values in order."""
    for value, count in pairs:
        if rank < count:
            return float(value)
        rank -= count
    raise IndexError(rank)
