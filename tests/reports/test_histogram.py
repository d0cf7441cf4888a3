"""Count, mean and percentiles from a histogram (value, count): the percentiles are
PostgreSQL's `percentile_cont` over the same values one row each, to the last bit."""

from __future__ import annotations

import statistics
from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import text

from portal.domain.reports.histogram import summarise

CASES = [
    [3.0],
    [1.0, 2.0, 3.0, 4.0],
    [0.0, 0.0, 0.0, 7.5, 7.5, 12.041666666666666, 30.958333333333332],
    [float(n) / 7 for n in (3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9)],
]


@pytest.mark.parametrize("values", CASES)
def test_summary_of_a_histogram_is_percentile_cont_of_the_rows(session, values):
    summary = summarise(Counter(values).items(), percents=(50, 90))
    assert summary.count == len(values)
    assert summary.percentiles[50] == pytest.approx(statistics.median(values))
    assert summary.mean == pytest.approx(statistics.fmean(values))
    if session.get_bind().dialect.name == "postgresql":
        expected = session.execute(
            text(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v), percentile_cont(0.9) WITHIN GROUP (ORDER BY v)"
                " FROM unnest(CAST(:values AS double precision[])) AS v"
            ),
            {"values": values},
        ).one()
        assert (summary.percentiles[50], summary.percentiles[90]) == (expected[0], expected[1])


def test_decimal_values_give_a_decimal_mean_and_no_values_no_summary():
    summary = summarise([(Decimal("1.5"), 2), (Decimal("4"), 1), (None, 5)])
    assert summary == (3, Decimal("7") / 3, {50: 1.5})
    assert summarise([(None, 3)]) is None
