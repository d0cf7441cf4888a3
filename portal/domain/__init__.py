"""The portal's logic, with no request in it: one package per capability.

- `referrals`: workflow definitions, the engine, steps, fields, offers and their timers.
- `matching`: hard filters, candidates, factors, ranking and the match page's data.
- `reports`: the report interface, the catalogue, suppression, SQL pieces, charts, Realia.
- `participants`: registration, consent, identity numbers and retention.
- `notifications`: in-app notifications and the e-mail outbox.
- `plugins`: which plugins an office has enabled where, and start-up checks.
- `accounts`: users and their passwords.
- Shared modules: `access` (who may see and do what: the only place that decides),
  `audit`, `calendar` (Stockholm dates and working days), `errors`, `transactions`,
  `pagination`, `geography`, `vocabulary`, `region_plugins`, and `home` (each role's landing page).

Packages use the shared modules, `portal.models` and `portal.plugins` (the hook relay);
nothing here imports `portal.web` or `portal.cli` (`lint-imports` checks it).
"""

from portal.domain import _moved

_moved.install()
