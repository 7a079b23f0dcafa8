"""Settings, read from the environment once at start and passed into the app factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "development-only-secret-change-me"
MAX_WORKERS = 64
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'catalogue.db'}"


class SettingsError(ValueError):
    """A setting that would make the app unsafe or unable to start."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    environment: str = "development"  # development | test | production
    secret_key: str = DEFAULT_SECRET
    host: str = "127.0.0.1"
    port: int = 8000
    redis_url: str | None = None  # sessions go to Redis when set, else to the database
    session_idle_minutes: int = 60
    # Cheap argon2 parameters so a test suite can sign in hundreds of times; refused outside
    # CATALOGUE_ENV=test, so production always hashes with the library's defaults.
    fast_password_hashing: bool = False
    seed_dir: Path = field(default=ROOT / "seed")
    debug: bool = False
    # Image renditions; shared by every app process (a network share when there are several
    # machines, see the README).
    media_dir: Path = field(default=ROOT / "var" / "media")
    # App processes serving HOST:PORT (``catalogue serve``); from the environment, one per core.
    workers: int = 1
    display_currency: str = "USD"  # the shop shows, sorts and filters prices in this currency
    # Addresses of reverse proxies whose X-Forwarded-For is believed (the sign-in throttle
    # counts per client address). None by default: a client cannot name its own address.
    trusted_proxies: tuple[str, ...] = ()
    # Templates are read once per process; ``catalogue serve --reload`` asks for them to be
    # read again when their files change (a stat of every template on every render).
    reload_templates: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        try:
            port = int(env.get("PORT", "8000"))
            idle = int(env.get("SESSION_IDLE_MINUTES", "60"))
            workers = int(env.get("WORKERS") or os.cpu_count() or 1)
        except ValueError as exc:
            raise SettingsError(
                f"PORT, SESSION_IDLE_MINUTES and WORKERS must be whole numbers: {exc}"
            ) from exc
        settings = cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            environment=env.get("CATALOGUE_ENV", "development"),
            secret_key=env.get("SECRET_KEY") or DEFAULT_SECRET,
            host=env.get("HOST", "127.0.0.1"),
            port=port,
            redis_url=env.get("REDIS_URL") or None,
            session_idle_minutes=idle,
            seed_dir=Path(env.get("SEED_DIR") or ROOT / "seed"),
            debug=env.get("DEBUG", "") == "1",
            fast_password_hashing=env.get("FAST_PASSWORD_HASHING", "") == "1",
            media_dir=Path(env.get("MEDIA_DIR") or ROOT / "var" / "media"),
            workers=workers,
            display_currency=env.get("DISPLAY_CURRENCY") or "USD",
            trusted_proxies=tuple(
                p.strip() for p in env.get("TRUSTED_PROXIES", "").split(",") if p.strip()
            ),
            reload_templates=env.get("RELOAD_TEMPLATES", "") == "1",
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.environment not in ("development", "test", "production"):
            raise SettingsError(
                f"CATALOGUE_ENV must be development, test or production, not {self.environment!r}"
            )
        if self.environment == "production" and (
            self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32
        ):
            raise SettingsError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "outside development"
            )
        if self.fast_password_hashing and self.environment != "test":
            raise SettingsError("FAST_PASSWORD_HASHING is allowed only with CATALOGUE_ENV=test")
        if self.session_idle_minutes < 1:
            raise SettingsError("SESSION_IDLE_MINUTES must be at least 1")
        if not 1 <= self.workers <= MAX_WORKERS:
            raise SettingsError(f"WORKERS must be between 1 and {MAX_WORKERS}, not {self.workers}")
        code = self.display_currency
        if not (len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()):
            raise SettingsError(
                f"DISPLAY_CURRENCY must be a three-letter code such as USD, "
                f"not {self.display_currency!r}"
            )
        if not 0 < self.port < 65536:
            raise SettingsError(f"PORT must be between 1 and 65535, not {self.port}")
