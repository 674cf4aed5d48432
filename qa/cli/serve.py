"""``copydesk serve``: run the HTTP service (qa/server, docs/server.md).

Binds 127.0.0.1 by default. Any other address needs ``--token-file`` (every
request but ``/health`` must then carry ``Authorization: Bearer TOKEN``). On a
loopback address the Host header must name the loopback (a page on another
site that rebinds its DNS name to 127.0.0.1 is refused).
"""
from __future__ import annotations

import ipaddress
import json
import os
import shutil
import sys
import tempfile

from qa.cli.common import UsageError, add_project_args, project_from_args


def add_parsers(sub) -> None:
    s = sub.add_parser("serve", help="run the HTTP service (JSON API and a LanguageTool-compatible /v2/check)",
                       description="Serve checks over HTTP: POST /v1/check, /v1/fix (copydesk.check/1), "
                                   "GET /v1/rules, /v1/glossary/terms, /health, /metrics, the LanguageTool "
                                   "API (POST /v2/check, GET /v2/languages) and the OpenAPI document "
                                   "(/openapi.json). See docs/server.md.",
                       epilog="exit codes: 0 stopped, 2 usage, configuration, glossary or input error, "
                              "3 internal error")
    add_project_args(s, paths=False, records=False)
    s.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; any other needs --token-file)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    s.add_argument("--token-file", metavar="FILE",
                   help="file holding the bearer token that every request but /health must send")
    s.add_argument("--allowed-host", action="append", metavar="HOST",
                   help="Host header values accepted (repeatable; default on loopback: 127.0.0.1, localhost, "
                        "::1; elsewhere any)")
    s.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    s.add_argument("--max-body", type=int, default=2 * 1024 * 1024, metavar="BYTES",
                   help="largest request body (default 2 MiB; larger: 413)")
    s.add_argument("--time-limit", type=float, default=10.0, metavar="S",
                   help="seconds a request may take (default 10; longer: 503)")
    s.set_defaults(handler=cmd_serve)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            token = fh.read().strip()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"--token-file {path}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    if len(token) < 16 or any(c.isspace() for c in token):
        raise UsageError(f"--token-file {path}: the token must be one word of at least 16 characters")
    return token


def cmd_serve(args) -> int:
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.max_body < 1 or args.time_limit <= 0:
        raise UsageError("--max-body and --time-limit must be positive")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: not a port number")
    loopback = _is_loopback(args.host)
    token = read_token(args.token_file) if args.token_file else None
    if not loopback and token is None:
        raise UsageError(f"--host {args.host} is not a loopback address: give --token-file "
                         "(requests must then send Authorization: Bearer TOKEN)")
    allowed = args.allowed_host or (sorted({"127.0.0.1", "localhost", "::1", "[::1]", args.host, _url_host(args.host)})
                                    if loopback else None)
    project = project_from_args(args)
    import uvicorn

    from qa.server.app import CONFIG_ENV, create_app
    from qa.server.core import Core

    core = Core(project)
    if args.workers == 1:
        core.warm()  # the glossary compiled and the rules' lazy data loaded, before the first request
    else:
        core.project.checker  # noqa: B018  compiled here: a bad glossary fails now; a large one is cached for the workers
    log_level = "warning"
    sock = _listen(args.host, args.port)
    port = sock.getsockname()[1]
    if args.workers == 1:
        app = create_app(core, token=token, allowed_hosts=allowed, max_body=args.max_body,
                         time_limit=args.time_limit)
        config = uvicorn.Config(app, host=args.host, port=port, log_level=log_level,
                                server_header=False, timeout_graceful_shutdown=5)
        print(f"copydesk serve: http://{_url_host(args.host)}:{port} (Ctrl-C stops)", file=sys.stderr, flush=True)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        except KeyboardInterrupt:  # Ctrl-C (SIGINT) is how the service is stopped: a normal end
            pass
        return 0
    # several processes: uvicorn spawns the workers; each builds the project from the same
    # settings (glossary texts included: no worker reads another glossary file) and loads
    # the compiled glossary from the cache this process just filled
    sock.close()  # the address was free a moment ago; uvicorn binds it for its workers
    tmp = tempfile.mkdtemp(prefix="copydesk-serve-")
    try:
        os.makedirs(os.path.join(tmp, "metrics"))
        cfg = {"settings": project.settings.to_json(), "token_file": os.path.abspath(args.token_file)
               if token else None, "allowed_hosts": allowed, "max_body": args.max_body,
               "time_limit": args.time_limit}
        path = os.path.join(tmp, "config.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(cfg, fh)
        os.environ[CONFIG_ENV] = path
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(tmp, "metrics")
        print(f"copydesk serve: http://{_url_host(args.host)}:{port} ({args.workers} workers; "
              "Ctrl-C stops)", file=sys.stderr, flush=True)
        try:
            uvicorn.run("qa.server.app:create_app_from_env", factory=True, host=args.host, port=port,
                        workers=args.workers, log_level=log_level, server_header=False,
                        timeout_graceful_shutdown=5)
        except KeyboardInterrupt:
            pass
        except SystemExit as e:  # uvicorn exits 1 when it cannot bind or start: not "findings"
            if e.code not in (0, None):
                raise UsageError(f"the server could not start on {args.host}:{port} (see above)") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _listen(host: str, port: int):
    """The listening socket (a clear error when the address is taken or not ours)."""
    import socket

    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise UsageError(f"--host {host}: {e.strerror or e}") from None
    family, _type, _proto, _name, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(2048)
    except OSError as e:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.set_inheritable(True)
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
