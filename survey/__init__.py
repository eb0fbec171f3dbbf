"""The Wetterau survey platform: `create_app()` builds the Flask application without side effects
(no database access, no migrations); those run from the CLI or the Procfile's release step."""

from __future__ import annotations

from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from . import cli, config, db, delivery, errors, fragments, i18n, questionnaires, security, sessions, vault
    from .accounts import sealing as account_sealing
    from .accounts import views as account_views
    from .evaluation import views as evaluation_views
    from .fieldwork import review_views
    from .fieldwork import views as fieldwork_views
    from .interview import views as interview_views
    from .offline import views as offline_views
    from .research import views as research_views
    from .respond import views as respond_views

    app = Flask(__name__, instance_path=config.instance_path(), instance_relative_config=True)
    config.init_app(app, test_config)
    sessions.init_app(app)
    db.init_app(app)
    vault.init_app(app)
    account_sealing.init_app(app)
    i18n.init_app(app)
    fragments.init_app(app)
    security.init_app(app)
    delivery.init_app(app)
    questionnaires.init_app(app)
    errors.init_app(app)
    app.register_blueprint(account_views.blueprint)
    app.register_blueprint(evaluation_views.blueprint)
    app.register_blueprint(interview_views.blueprint)
    app.register_blueprint(offline_views.blueprint)
    app.register_blueprint(research_views.blueprint)
    app.register_blueprint(fieldwork_views.blueprint)
    app.register_blueprint(review_views.blueprint)
    app.register_blueprint(respond_views.blueprint)
    cli.init_app(app)
    return app
