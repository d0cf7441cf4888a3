"""the supervisor's and the cooperative's codes copied onto their own rows, for matching

Ranking read the five code sets matching compares (the supervisor's specialties,
languages and accessibility, the cooperative's trades and accessibility) with one index
probe per set and candidate; a municipality's referral spent most of its statement's
extra reads there (bench/README.md). Each set is copied, comma-separated (in any order:
matching reads a set), into a column of its owner's row, kept in step by
`models.base.keep_code_copies`, and filled here for existing rows. The code tables stay
the record: filters, forms and reports use them.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

COPIES = {  # owner table: {copy column: code table}
    "supervisor": {
        "specialty_codes": "supervisor_specialty",
        "language_codes": "supervisor_language",
        "accessibility_codes": "supervisor_accessibility",
    },
    "cooperative": {"trade_codes": "cooperative_trade", "accessibility_codes": "cooperative_accessibility"},
}


def upgrade():
    for owner, copies in COPIES.items():
        with op.batch_alter_table(owner, schema=None) as batch_op:
            for column in copies:
                batch_op.add_column(sa.Column(column, sa.Text(), nullable=True))
        owner_table = sa.table(owner, sa.column("id"), *(sa.column(column) for column in copies))
        op.execute(
            owner_table.update().values(
                {column: _joined(owner_table, code_table) for column, code_table in copies.items()}
            )
        )


def _joined(owner_table, code_table: str):
    """The owner's codes in `code_table`, comma-separated; NULL for none."""
    owner_column = f"{owner_table.name}_id"
    codes = sa.table(code_table, sa.column(owner_column), sa.column("code"))
    return (
        sa.select(sa.func.aggregate_strings(codes.c.code, ","))
        .where(codes.c[owner_column] == owner_table.c.id)
        .scalar_subquery()
    )


def downgrade():
    for owner, copies in reversed(COPIES.items()):
        with op.batch_alter_table(owner, schema=None) as batch_op:
            for column in reversed(copies):
                batch_op.drop_column(column)
