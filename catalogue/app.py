"""The application factory: ``create_app(settings)`` builds one Litestar app from settings."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from catalogue.accounts import password_hasher
from catalogue.browse.cache import CountCache
from catalogue.data.db import Database, is_sqlite
from catalogue.data.version_watch import VersionWatch
from catalogue.media.storage import MediaStore
from catalogue.settings import ROOT, Settings
from catalogue.web import filters, guards
from catalogue.web.admin import admin_handlers
from catalogue.web.areas import AreasController
from catalogue.web.auth import AuthController
from catalogue.web.claims_api import claims_api_handlers
from catalogue.web.deps import DEPENDENCIES
from catalogue.web.edge import refuse_hostile_input
from catalogue.web.errors import exception_handlers
from catalogue.web.finder import FinderController
from catalogue.web.health import health
from catalogue.web.media import media_file, provide_media
from catalogue.web.password_links import PasswordLinkController
from catalogue.web.qa import QAController
from catalogue.web.qa_queue import ReviewQueueController
from catalogue.web.rates import RatesController
from catalogue.web.rule_editor import RuleEditorController
from catalogue.web.security import add_security_headers
from catalogue.web.sessions import CSRF_EXEMPT, session_config, session_store
from catalogue.web.shop import ShopController

TEMPLATES = ROOT / "templates"
STATIC = Path(__file__).parent / "static"


def provide_counts(state: State) -> CountCache:
    cache: CountCache = state.count_cache
    return cache


def start_version_watch(app: Litestar) -> None:
    """In each app process (after ``catalogue serve`` forks): follow PostgreSQL's
    announcements of the catalogue version. SQLite has none; its requests read it."""
    db: Database = app.state.db
    if not is_sqlite(db.url):
        app.state.version_watch = VersionWatch(db.url).start()


def stop_version_watch(app: Litestar) -> None:
    watch: VersionWatch | None = app.state.version_watch
    if watch is not None:
        watch.stop()
        app.state.version_watch = None


def _template_engine(*, auto_reload: bool) -> JinjaTemplateEngine:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=auto_reload,
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters.register(environment)
    guards.register_template_globals(environment)
    return JinjaTemplateEngine.from_environment(environment)


def create_app(settings: Settings) -> Litestar:
    settings.check()
    db = Database(settings.database_url)
    sessions = session_config(settings)
    return Litestar(
        route_handlers=[
            health,
            ShopController,
            AreasController,
            FinderController,
            AuthController,
            PasswordLinkController,
            *admin_handlers(),
            QAController,
            ReviewQueueController,
            RuleEditorController,
            *claims_api_handlers,
            media_file,
            RatesController,
            create_static_files_router(path="/static", directories=[STATIC]),
        ],
        dependencies={
            **DEPENDENCIES,
            "media": Provide(provide_media, sync_to_thread=False),
            "counts": Provide(provide_counts, sync_to_thread=False),
        },
        template_config=TemplateConfig(
            engine=_template_engine(auto_reload=settings.reload_templates)
        ),
        exception_handlers={
            **exception_handlers(),
            guards.SignInRequired: guards.handle_sign_in_required,
        },
        # Sessions in the database (or Redis), then the signed-in user on scope["user"].
        stores={"sessions": session_store(settings, db)},
        middleware=[sessions.middleware, guards.UserMiddleware()],
        # Every POST/PUT/PATCH/DELETE needs the token: forms send _csrf_token, htmx and
        # API clients the x-csrftoken header. The claim check is stateless and open.
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            header_name="x-csrftoken",
            cookie_secure=settings.environment == "production",
            exclude=list(CSRF_EXEMPT),
        ),
        before_send=[add_security_headers],
        # NUL and other control characters are refused here, before any handler or query.
        before_request=refuse_hostile_input,
        state=State(
            {
                "db": db,
                "hasher": password_hasher(fast=settings.fast_password_hashing),
                "media": MediaStore(settings.media_dir),
                # One per process; each entry is filed under the catalogue version.
                "count_cache": CountCache(),
                # The shop shows, sorts and filters prices in this currency.
                "display_currency": settings.display_currency,
                # Sign-in reads the CSRF secret and the trusted proxies from here.
                "settings": settings,
                # PostgreSQL's announcements of the catalogue version, once started.
                "version_watch": None,
            }
        ),
        on_startup=[start_version_watch],
        on_shutdown=[stop_version_watch, db.dispose],
        debug=settings.debug,
    )


def app_from_env() -> Litestar:
    """Entry point for ``uvicorn --factory catalogue.app:app_from_env``."""
    return create_app(Settings.from_env())
