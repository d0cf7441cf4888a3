"""The minimal endpoint `bench.pages` compares the portal's pages with: a bare Flask app
that runs exactly the SQL statements a page ran (recorded by `bench.pages`, replayed
with the same parameters in one transaction) and answers a line of text.

What the portal does beyond this (sessions and the user, Babel, plugin hooks, the ORM's
objects, templates) is what the ratio measures. Served by gunicorn with the same
configuration as the portal: `gunicorn -c deploy/gunicorn.conf.py bench.minimal:app`,
with `BENCH_DATABASE_URL` and `BENCH_STATEMENTS` (the recorded statements) set.
"""

from __future__ import annotations

import os
import pickle

from flask import Flask
from sqlalchemy import create_engine

from portal import deadlines

app = Flask(__name__)
_engine = create_engine(
    os.environ["BENCH_DATABASE_URL"],
    connect_args=deadlines.connect_args(
        {"DATABASE_STATEMENT_TIMEOUT": 30, "DATABASE_CONNECT_TIMEOUT": 2, "DATABASE_JIT": False}
    ),
)
with open(os.environ["BENCH_STATEMENTS"], "rb") as file:  # written by bench.pages on this machine
    _STATEMENTS = pickle.load(file)  # noqa: S301


@app.get("/health")
def health():
    return "ok"


@app.get("/page/<name>")
def page(name: str):
    rows = 0
    with _engine.begin() as connection:
        for statement, parameters in _STATEMENTS[name]:
            result = connection.exec_driver_sql(statement, parameters or None)
            if result.returns_rows:
                rows += len(result.fetchall())
    return f"{rows} rows"
