"""People who sign in: creating users and checking passwords (`users`).

May use: the shared domain modules and `portal.models`.
"""
