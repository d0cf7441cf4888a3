"""Demo data for `portal demo`: a believable Västra Götaland (`data`, with `names`).

Above the domain: it walks referrals through core's default workflow (`portal.builtin`)
with the domain's own functions, as people would through the pages.
"""
