"""Matching a referral with supervisors: the hard filters in SQL (`filters`), candidates
loaded in one query (`candidates`), scoring factors (`factors`), ranking (`ranking`) and
the match page's data (`page`).

May use: the shared domain modules, `referrals.workflow` and `referrals.transitions`
(which actions a page offers), `portal.plugins` and `portal.models`.
"""

from portal.domain._moved import forwarder

__getattr__ = forwarder(__name__, "filters")
