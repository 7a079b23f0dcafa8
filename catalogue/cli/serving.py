"""``catalogue serve``: one listening socket and N app processes forked from one parent.

The parent imports the app (Litestar, SQLAlchemy, Jinja2, the catalogue's modules: about 80 MB
of a process's memory), then forks the workers. What was imported before the fork stays
shared between them, page by page, until a process writes to it; ``gc.freeze()`` moves those
objects out of the collector's reach, so a collection in a worker does not write to their
pages and copy them. uvicorn's own ``--workers`` starts each worker from scratch instead.

Every worker accepts on the same socket; state lives in the database (or Redis), so any worker
can answer any request. The parent only watches: a worker that dies is started again, and
SIGTERM or SIGINT stops them all.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
import time
from typing import Any

import click
import uvicorn

from catalogue.settings import Settings

RESTART_PAUSE = 1.0  # seconds between restarts of a worker that keeps dying at once
STOP_GRACE = 20.0  # seconds the workers get to finish their requests on SIGTERM


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _run_worker(app: Any, sock: socket.socket) -> None:
    """One app process: uvicorn's server on the shared socket, until it is told to stop."""
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
        signal.signal(signum, signal.SIG_DFL)
    # No connection is opened before the fork; should one be, it stays the parent's.
    db = app.state.db
    for engine in {db.engine, db.write_engine}:
        engine.dispose(close=False)
    config = uvicorn.Config(
        app,
        log_level="info",
        access_log=False,
        # The app reads X-Forwarded-For itself, and only from TRUSTED_PROXIES (web/auth.py).
        proxy_headers=False,
    )
    uvicorn.Server(config).run(sockets=[sock])


def serve(settings: Settings, workers: int) -> None:
    """Serve ``settings``' app on HOST:PORT with ``workers`` processes; returns on SIGTERM."""
    from catalogue.app import create_app  # the import the workers share

    app = create_app(settings)
    sock = listen(settings.host, settings.port)
    if workers <= 1:
        _run_worker(app, sock)
        return
    gc.collect()
    gc.freeze()  # what the parent made is never traversed, so it stays shared after the fork

    children: dict[int, float] = {}  # pid -> when it started
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _run_worker(app, sock)
            except BaseException:  # a worker must never return into the parent's loop
                code = 1
            finally:
                os._exit(code)
        children[pid] = time.monotonic()

    def stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            _signal(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start()
    click.echo(f"workers started: {', '.join(map(str, children))}", err=True)
    deadline: float | None = None
    while children:
        if stopping and deadline is None:
            deadline = time.monotonic() + STOP_GRACE
        if deadline is not None and time.monotonic() > deadline:
            for pid in list(children):
                _signal(pid, signal.SIGKILL)
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.2)
            continue
        began = children.pop(pid, None)
        if began is None or stopping:
            continue
        click.echo(f"worker {pid} ended ({_how(status)}); starting another", err=True)
        if time.monotonic() - began < RESTART_PAUSE:
            time.sleep(RESTART_PAUSE)  # a worker that cannot start must not spin the parent
        start()
    sock.close()
    sys.stdout.flush()


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has just ended
        os.kill(pid, signum)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
