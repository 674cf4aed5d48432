"""``copydesk review --serve``: the same review app in a browser (textual-serve).

textual-serve starts the app's command line in a subprocess for every browser
that connects and relays the terminal over a websocket. Out of the box any web
page open in the reviewer's browser could drive it (a cross-origin websocket to
127.0.0.1), so :func:`make_server` adds what Jupyter does:

- a random token (or the one in ``--token-file``), required on the page
  (``/?token=…``) and on the websocket (``/ws/<token>``, in the path because
  textual.js appends its own ``?width=…`` query to the websocket URL);
- the ``Host`` header must name this server (DNS rebinding: a foreign name that
  resolves to 127.0.0.1 is refused), the websocket's ``Origin`` must be this
  server's own;
- one review session at a time unless ``--max-sessions`` (the sessions would
  edit the same files);
- no directory listing under ``/static/``, no download route (the review app
  delivers no files), and a page that loads nothing from elsewhere: our own page
  instead of textual-serve's (which loads its font from Google Fonts) uses the
  Roboto Mono that textual-serve ships, and a Content-Security-Policy allows
  this origin only.

It listens on 127.0.0.1 unless ``--host`` says otherwise; the token is required
whatever the address."""
from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import shlex
import socket
import sys
from pathlib import Path

TOKEN_BYTES = 24  # secrets.token_urlsafe: 32 characters, 192 bits
MIN_TOKEN = 16  # a --token-file token shorter than this is refused
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("0.0.0.0", "::", "")

# Our page: textual-serve's app_index.html without its Google Fonts link, its
# inline event handlers (a CSP without 'unsafe-inline' scripts refuses them) and
# its intro art. textual.js needs the #terminal element with the websocket URL
# and font size, and toggles the body's -first-byte / -closed classes.
PAGE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8" />
    <meta name="referrer" content="no-referrer" />
    <title>{{ title }}</title>
    <link rel="stylesheet" href="{{ static }}css/xterm.css" />
    <script src="{{ static }}js/textual.js"></script>
    <style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ static }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ static }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-style: italic;
      }
      body { background: #0c181f; margin: 0; }
      .dialog-container { position: absolute; width: 100vw; height: 100vh; display: flex;
        align-items: center; justify-content: center; z-index: 10; }
      .intro { width: 640px; height: 200px; font-size: 16px; z-index: 20;
        font-family: "Roboto Mono", menlo, monospace; text-align: center; color: rgba(255, 255, 255, 0.95);
        background-color: #12232d; display: flex; flex-direction: column; align-items: center;
        justify-content: center; }
      body.-first-byte .intro-dialog { display: none; }
      body .textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
      body.-first-byte .textual-terminal { opacity: 1; }
      button { padding: 16px 32px; background-color: #5e0ba7; color: rgba(255, 255, 255, 0.95); border: none;
        font-family: "Roboto Mono", menlo, monospace; margin: 16px; cursor: pointer; }
      .closed-dialog { display: none; }
      body.-closed .closed-dialog { display: flex; }
      #start { display: none; }
    </style>
  </head>
  <body>
    <div class="dialog-container intro-dialog"><div class="intro"><div>{{ title }}</div>
      <button type="button" id="start">Start</button></div></div>
    <div class="dialog-container closed-dialog"><div class="intro">
      <div class="message">Session ended.</div><button type="button" id="restart">Restart</button></div></div>
    <div id="terminal" class="textual-terminal" data-session-websocket-url="{{ websocket }}"
      data-font-size="{{ font_size }}"></div>
    <script nonce="{{ nonce }}">
      function restart() { window.location.reload(); }
      document.getElementById("restart").addEventListener("click", restart);
      document.getElementById("start").addEventListener("click", restart);
    </script>
  </body>
</html>
"""


def review_command(options) -> str:
    """The `copydesk review` command line the server runs for each browser (absolute paths,
    this very Python), from the typed :class:`qa.services.review.ReviewOptions`."""
    o = options
    cmd = [sys.executable, "-m", "qa", "review", *[str(Path(p).absolute()) for p in o.paths]]
    for g in o.glossary:
        cmd += ["--glossary", str(Path(g).absolute())]
    if o.lang:
        cmd += ["--lang", o.lang]
    if o.learn_into:
        cmd += ["--learn-into", str(Path(o.learn_into).absolute())]
    if o.source:
        cmd += ["--source", str(Path(o.source).absolute())]
    if o.source_lang:
        cmd += ["--source-lang", o.source_lang]
    for opt, values in (("select", o.select), ("ignore", o.ignore),  # the same project in every browser
                        ("meta", [f"{k}={v}" for k, v in o.meta.items()])):
        for v in values:
            cmd += [f"--{opt}", v]
    if o.config:
        cmd += ["--config", str(Path(o.config).absolute())]
    if o.no_config:
        cmd.append("--no-config")
    return shlex.join(cmd)


class ServeError(ValueError):
    """A bad --serve option: ``str(e)`` is one line."""


def read_token(path: str | None) -> str:
    """The token: a fresh random one, or the first line of ``--token-file``
    (a file that does not exist yet is created, readable by its owner only,
    with a fresh token, so that a script can read it)."""
    if not path:
        return secrets.token_urlsafe(TOKEN_BYTES)
    p = Path(path)
    if not p.exists():
        token = secrets.token_urlsafe(TOKEN_BYTES)
        try:
            fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(token + "\n")
        except OSError as e:
            raise ServeError(f"--token-file {path}: cannot create: {e.strerror or e}") from None
        return token
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ServeError(f"--token-file {path}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    token = lines[0].strip() if lines else ""
    if len(token) < MIN_TOKEN or not all(c.isascii() and (c.isalnum() or c in "-_.~") for c in token):
        raise ServeError(f"--token-file {path}: the token must be one line of at least {MIN_TOKEN} letters, "
                         "digits or -_.~")
    return token


def _host_name(host: str) -> str:
    """``host`` as it appears in a Host header (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def make_server(command: str, *, host: str, port: int, token: str, max_sessions: int, title: str):
    """textual-serve's Server with the guards above (the subclass is made here so
    that importing this module does not need textual-serve)."""
    from textual_serve.server import Server

    cls = type("GuardedServer", (_Guards, Server), {})
    return cls(command, host=host, port=port, token=token, max_sessions=max_sessions, title=title)


class _Guards:
    def __init__(self, command: str, *, host: str, port: int, token: str, max_sessions: int, title: str):
        super().__init__(command, host=host, port=port, title=title)
        self.token = token
        self.max_sessions = max_sessions
        self.sessions: set = set()
        self.wildcard = host in WILDCARDS
        names = set(LOOPBACK_NAMES)
        if not self.wildcard:
            names.add(_host_name(host).lower())
        self.names = names

    # -- checks
    def host_ok(self, header: str | None) -> bool:
        """Is ``header`` (a Host header) this server? A name that some DNS maps to
        127.0.0.1 is not (DNS rebinding); on a wildcard address any IP literal
        and this machine's own names are."""
        if not header:
            return False
        name, sep, port = header.lower().rpartition(":")
        if not sep or "]" in port:  # no port: only the default port 80 would match
            name, port = header.lower(), "80"
        if port != str(self.port):
            return False
        if name in self.names:
            return True
        if self.wildcard:
            try:
                ipaddress.ip_address(name.strip("[]"))
                return True
            except ValueError:
                return name in {socket.gethostname().lower(), socket.getfqdn().lower()}
        return False

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode("utf-8", "replace"), self.token.encode("utf-8"))

    async def _make_app(self):
        import aiohttp_jinja2
        import jinja2
        from aiohttp import web

        @web.middleware
        async def guard(request, handler):
            if not self.host_ok(request.headers.get("Host")):
                raise web.HTTPForbidden(text="copydesk review: this server does not answer to that Host name\n")
            response = await handler(request)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("X-Frame-Options", "DENY")
            return response

        app = web.Application(middlewares=[guard])
        aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({"page.html": PAGE}), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws/{token}", self.handle_websocket, name="websocket"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        return app

    async def on_startup(self, app) -> None:  # our own start line is printed by serve()
        pass

    async def handle_index(self, request):
        import aiohttp_jinja2
        from aiohttp import web
        from textual_serve.server import to_int

        if not self.token_ok(request.query.get("token")):
            raise web.HTTPForbidden(text="copydesk review: open the address with the token that "
                                         "`copydesk review --serve` printed (…/?token=…)\n")
        nonce = secrets.token_urlsafe(16)
        origin = f"http://{request.host}"
        context = {"title": self.title, "static": f"{origin}/static/", "nonce": nonce,
                   "websocket": f"ws://{request.host}/ws/{self.token}",
                   "font_size": to_int(request.query.get("fontsize", "16"), 16)}
        response = aiohttp_jinja2.render_template("page.html", request, context)
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
            f"font-src 'self'; img-src 'self' data:; connect-src 'self' ws://{request.host}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request):
        import asyncio

        from aiohttp import web

        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() != f"http://{request.host}".lower():
            raise web.HTTPForbidden(text="copydesk review: a page from another origin cannot drive this review\n")
        if not self.token_ok(request.match_info.get("token")):
            raise web.HTTPForbidden(text="copydesk review: wrong or missing token\n")
        for _ in range(30):  # a reloaded page: give the closing session a moment to end
            if len(self.sessions) < self.max_sessions:
                break
            await asyncio.sleep(0.1)
        else:
            raise web.HTTPConflict(text=f"copydesk review: {len(self.sessions)} review session(s) already open "
                                        "(--max-sessions)\n")
        key = object()
        self.sessions.add(key)
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions.discard(key)


def serve(options) -> int:
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        print("copydesk: error: --serve needs textual-serve (pip install textual-serve)", file=sys.stderr)
        return 2
    port = int(options.port or 8000)
    if not 0 < port < 65536:
        print(f"copydesk: error: --port must be 1-65535, not {port}", file=sys.stderr)
        return 2
    host = (options.host or "127.0.0.1").strip("[]")
    max_sessions = options.max_sessions
    max_sessions = 1 if max_sessions is None else max_sessions
    if max_sessions < 1:
        print(f"copydesk: error: --max-sessions must be 1 or more, not {max_sessions}", file=sys.stderr)
        return 2
    try:
        token = read_token(options.token_file)
    except ServeError as e:
        print(f"copydesk: error: {e}", file=sys.stderr)
        return 2
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:  # a port in use or a bad address: a one-line error, not aiohttp's traceback
        with socket.create_server((host, port), family=family):
            pass
    except (OSError, OverflowError) as e:
        print(f"copydesk: error: cannot listen on {_host_name(host)}:{port}: {getattr(e, 'strerror', None) or e}",
              file=sys.stderr)
        return 2
    shown = "127.0.0.1" if host in WILDCARDS else _host_name(host)
    print(f"copydesk review: open http://{shown}:{port}/?token={token} in a browser (Ctrl+C stops)",
          file=sys.stderr, flush=True)
    if host not in ("127.0.0.1", "::1", "localhost"):
        print(f"copydesk review: listening on {_host_name(host)}: whoever can reach this machine and has the "
              "token can review (the connection is not encrypted)", file=sys.stderr, flush=True)
    make_server(review_command(options), host=host, port=port, token=token, max_sessions=max_sessions,
                  title="copydesk review").serve()
    return 0
