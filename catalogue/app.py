"""The application factory: ``create_app(settings)`` builds one Litestar app from settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from sqlalchemy.orm import Session

from catalogue.db import Database
from catalogue.settings import ROOT, Settings
from catalogue.web import filters
from catalogue.web.errors import exception_handlers
from catalogue.web.health import health
from catalogue.web.shop import ShopController

TEMPLATES = ROOT / "templates"
STATIC = Path(__file__).parent / "static"


def provide_db(state: State) -> Database:
    db: Database = state.db
    return db


def provide_session(state: State) -> Iterator[Session]:
    """A read session for one request; writes go through ``Database.writing()``."""
    session = state.db.session()
    try:
        yield session
    finally:
        session.close()


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def _template_engine() -> JinjaTemplateEngine:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters.register(environment)
    return JinjaTemplateEngine.from_environment(environment)


def create_app(settings: Settings) -> Litestar:
    settings.check()
    db = Database(settings.database_url)
    return Litestar(
        route_handlers=[
            health,
            ShopController,
            create_static_files_router(path="/static", directories=[STATIC]),
        ],
        dependencies={
            "db": Provide(provide_db, sync_to_thread=False),
            "session": Provide(provide_session),
            "settings": Provide(provide_settings, sync_to_thread=False),
        },
        template_config=TemplateConfig(engine=_template_engine()),
        exception_handlers=exception_handlers(),
        state=State({"db": db, "settings": settings}),
        on_shutdown=[db.dispose],
        debug=settings.debug,
    )


def app_from_env() -> Litestar:
    """Entry point for ``uvicorn --factory catalogue.app:app_from_env``."""
    return create_app(Settings.from_env())
