"""Alembic environment: the connection comes from `survey.cli` (never from alembic.ini)."""

from alembic import context

from survey import audit as _audit  # noqa: F401  (registers tables)
from survey.accounts import models as _account_models  # noqa: F401
from survey.db import Base
from survey.interview import models as _interview_models  # noqa: F401
from survey.participants import models as _participant_models  # noqa: F401
from survey.research import models as _research_models  # noqa: F401
from survey.respond import models as _respond_models  # noqa: F401
from survey.vault import models as _vault_models  # noqa: F401

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
