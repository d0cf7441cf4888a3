"""The offices' plugins: which plugins are enabled in which region (`enabling`) and the
checks of what plugins declare when the portal starts (`startup`).

May use: the shared domain modules, `referrals` (workflows, fields), `portal.plugins`
and `portal.models`.
"""
