"""``copydesk review --serve``: the same review app in a browser (textual-serve).

textual-serve starts the app's command line in a subprocess for every browser
that connects and relays the terminal over a websocket; the server listens on
127.0.0.1 only."""
from __future__ import annotations

import shlex
import sys
from pathlib import Path


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


def serve(options) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print("copydesk: error: --serve needs textual-serve (pip install textual-serve)", file=sys.stderr)
        return 2
    port = int(options.port or 8000)
    if not 0 < port < 65536:
        print(f"copydesk: error: --port must be 1-65535, not {port}", file=sys.stderr)
        return 2
    import socket

    with socket.socket() as s:  # a port in use: a one-line error, not aiohttp's traceback
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as e:
            print(f"copydesk: error: cannot listen on 127.0.0.1:{port}: {e.strerror}", file=sys.stderr)
            return 2
    print(f"copydesk review: open http://127.0.0.1:{port} in a browser (Ctrl+C stops)", file=sys.stderr,
          flush=True)
    Server(review_command(options), host="127.0.0.1", port=port, title="copydesk review").serve()
    return 0
