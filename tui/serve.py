"""``copydesk review --serve``: the same review app in a browser (textual-serve).

textual-serve starts the app's command line in a subprocess for every browser
that connects and relays the terminal over a websocket; the server listens on
127.0.0.1 only."""
from __future__ import annotations

import shlex
import sys
from pathlib import Path


def review_command(args) -> str:
    """The `copydesk review` command line the server runs for each browser (absolute paths,
    this very Python)."""
    cmd = [sys.executable, "-m", "qa", "review", *[str(Path(p).absolute()) for p in args.paths]]
    for g in getattr(args, "glossary", None) or []:
        cmd += ["--glossary", str(Path(g).absolute())]
    if getattr(args, "lang", None):
        cmd += ["--lang", args.lang]
    if getattr(args, "learn_into", None):
        cmd += ["--learn-into", str(Path(args.learn_into).absolute())]
    for opt in ("select", "ignore", "meta"):  # the same project in every browser
        for v in getattr(args, opt, None) or []:
            cmd += [f"--{opt}", v]
    if getattr(args, "config", None):
        cmd += ["--config", str(Path(args.config).absolute())]
    if getattr(args, "no_config", False):
        cmd.append("--no-config")
    return shlex.join(cmd)


def serve(args) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print("copydesk: error: --serve needs textual-serve (pip install textual-serve)", file=sys.stderr)
        return 2
    port = int(getattr(args, "port", None) or 8000)
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
    Server(review_command(args), host="127.0.0.1", port=port, title="copydesk review").serve()
    return 0
