"""The referral loop: workflows as data (`workflow`), the engine that fires transitions
(`transitions`), core's guards and actions (`steps`), drafts, offers and answers
(`actions`), regional referral fields (`fields`), the referral page's data (`page`),
stranded referrals (`stranded`), offer expiry and reminders (`offer_timers`) and the
workflow pictures (`diagram`).

May use: the shared domain modules, `matching` (the ranking beside a referral),
`portal.plugins` and `portal.models`.
"""

from portal.domain._moved import forwarder

__getattr__ = forwarder(__name__, "actions")
