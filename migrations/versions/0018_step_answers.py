"""the answers a workflow step asks for (`Transition.fields`), kept on its timeline entry

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("transition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("transition", schema=None) as batch_op:
        batch_op.drop_column("answers")
