"""`copydesk review --serve`: the review app in a browser (textual-serve), end to end in
headless Chromium (Debian's chromium + chromedriver, driven by selenium): open the page,
accept a fix, save, and check the file on disk."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from support import ARTICLE, GLOSSARY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists()
                                                 else None)
ROOT = Path(__file__).resolve().parents[1]
TOKEN = "test-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_serve_rejects_a_port_in_use(tmp_path):
    pytest.importorskip("textual_serve")
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        p = subprocess.run([sys.executable, "-m", "qa", "review", str(art), "--serve", "--port", str(port)],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert p.stderr.startswith("copydesk: error: cannot listen on 127.0.0.1:") and "Traceback" not in p.stderr


def test_browser_accept_and_save(tmp_path):
    pytest.importorskip("textual_serve")
    webdriver = pytest.importorskip("selenium.webdriver")
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("chromium / chromedriver not installed (Debian: apt-get install chromium chromium-driver; "
                    ".ci/run installs them when it can)")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    g = tmp_path / "g.toml"
    g.write_text(GLOSSARY, encoding="utf-8")
    art = tmp_path / "article.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    port = free_port()
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen([sys.executable, "-m", "qa", "review", str(art), "-g", str(g), "--serve",
                               "--port", str(port), "--token-file", str(token_file)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    driver = None
    try:
        wait_http(f"http://127.0.0.1:{port}/?token={TOKEN}")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1200,800", f"--user-data-dir={tmp_path / 'chrome-profile'}"):
            opts.add_argument(flag)
        try:
            driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        except Exception as e:  # a chromium that cannot start here (no /dev/shm, no display libs…)
            pytest.skip(f"headless chromium does not start here: {str(e).splitlines()[0]}")
        driver.set_page_load_timeout(30)
        driver.get(f"http://127.0.0.1:{port}/?token={TOKEN}")
        wait = WebDriverWait(driver, 30)
        # the page connects by itself; the body gets -first-byte when the app's output arrives
        wait.until(lambda d: "-first-byte" in (d.find_element(By.TAG_NAME, "body").get_attribute("class") or ""))
        box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea"))
        # everything the page loaded came from this server (the font too: no Google Fonts)
        loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert loaded and all(u.startswith(f"http://127.0.0.1:{port}/") for u in loaded), loaded
        assert any("RobotoMono" in u for u in loaded), loaded
        rec_dir = tmp_path / ".copydesk" / "reviews"
        time.sleep(3)
        deadline = time.monotonic() + 60
        saved = False
        while time.monotonic() < deadline:
            box.send_keys("a")  # accept Koeleba → Kuleba (the first finding)
            time.sleep(0.7)
            box.send_keys("s")
            time.sleep(1.5)
            if (tmp_path / "article.txt.orig").exists():
                saved = True
                break
            box.send_keys("u")  # not ready yet: undo whatever the key did and try again
        assert saved, "no save seen from the browser"
        text = art.read_text(encoding="utf-8")
        assert text == ARTICLE.replace("Koeleba said", "Kuleba said", 1)
        assert (tmp_path / "article.txt.orig").read_text(encoding="utf-8") == ARTICLE
        assert any(rec_dir.glob("article.txt.*.json"))
    finally:
        if driver is not None:
            driver.quit()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


# ----------------------------------------------------------------------------- who may drive the review
def _start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, int, str]:
    """A --serve server; returns it, its port and the token it printed."""
    art = tmp_path / "article.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen([sys.executable, "-m", "qa", "review", str(art), "--serve", "--port", str(port),
                               *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        line = server.stderr.readline()
        prefix = f"copydesk review: open http://127.0.0.1:{port}/?token="
        assert line.startswith(prefix), line
        token = line[len(prefix):].split()[0]
        wait_http(f"http://127.0.0.1:{port}/?token={token}")
    except BaseException:
        _stop(server)
        raise
    return server, port, token


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)
    server.stderr.close()


def _get(port: int, path: str, host: str | None = None) -> tuple[int, dict, str]:
    import http.client

    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path, headers={"Host": host} if host else {})
    r = c.getresponse()
    out = r.status, dict(r.getheaders()), r.read().decode("utf-8", "replace")
    c.close()
    return out


def _websocket(port: int, path: str, origin: str | None) -> tuple[int, socket.socket]:
    """Open a websocket handshake by hand; returns the status and the open socket."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
    if origin:
        lines.append(f"Origin: {origin}")
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    head = b""
    while b"\r\n" not in head:
        chunk = s.recv(1024)
        if not chunk:
            break
        head += chunk
    return int(head.split()[1]), s


def test_serve_needs_token_host_and_origin(tmp_path):
    pytest.importorskip("textual_serve")
    server, port, token = _start(tmp_path)
    own = f"http://127.0.0.1:{port}"
    try:
        assert len(token) >= 32
        # the page: refused without the token or with another one
        assert _get(port, "/")[0] == 403
        assert _get(port, "/?token=" + "x" * len(token))[0] == 403
        status, headers, page = _get(port, f"/?token={token}")
        assert status == 200
        # it loads nothing from elsewhere: every URL in it is this server's, and the CSP says so
        import re

        urls = re.findall(r"""(?:https?|wss?)://[^\s"')]+""", page)
        assert urls and all(u.startswith((own, f"ws://127.0.0.1:{port}/")) for u in urls), urls
        assert "googleapis" not in page and "default-src 'none'" in headers["Content-Security-Policy"]
        # DNS rebinding: a foreign Host is refused, this machine's loopback names are served
        assert _get(port, f"/?token={token}", host=f"evil.example:{port}")[0] == 403
        assert _get(port, f"/?token={token}", host=f"localhost:{port}")[0] == 200
        assert _get(port, f"/?token={token}", host=f"127.0.0.1:{port + 1}")[0] == 403
        # static files without a directory listing
        assert _get(port, "/static/")[0] in (403, 404)
        assert _get(port, "/static/js/")[0] in (403, 404)
        assert _get(port, "/static/js/textual.js")[0] == 200
        # the websocket: no token, a wrong token, a foreign origin are refused
        for path, origin in ((f"/ws", own), (f"/ws/{'y' * len(token)}", own), (f"/ws/{token}", "http://evil.example"),
                             (f"/ws/{token}", f"http://localhost.evil.example:{port}"), (f"/ws/{token}", "null")):
            status, s = _websocket(port, path, origin)
            s.close()
            assert status in (403, 404), (path, origin, status)
        # the right token from this origin opens a session; a second one at the same time is refused
        status, first = _websocket(port, f"/ws/{token}", own)
        assert status == 101
        try:
            status, second = _websocket(port, f"/ws/{token}", own)
            second.close()
            assert status == 409
        finally:
            first.close()
        deadline = time.monotonic() + 30  # once the first session ended, a new one is served
        while True:
            status, again = _websocket(port, f"/ws/{token}", own)
            again.close()
            if status == 101 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert status == 101
    finally:
        _stop(server)


def test_serve_token_file_and_options(tmp_path):
    pytest.importorskip("textual_serve")
    from tui.serve import ServeError, make_server, read_token

    f = tmp_path / "token"
    t = read_token(str(f))  # a missing file is created with a fresh token, for the owner only
    assert f.read_text(encoding="utf-8") == t + "\n" and (f.stat().st_mode & 0o077) == 0
    assert read_token(str(f)) == t and read_token(None) != read_token(None)
    f.write_text("short\n", encoding="utf-8")
    with pytest.raises(ServeError, match="at least 16"):
        read_token(str(f))
    # which Host headers name the server
    local = make_server("x", host="127.0.0.1", port=8123, token=t, max_sessions=1, title="t")
    assert local.host_ok("127.0.0.1:8123") and local.host_ok("LOCALHOST:8123") and local.host_ok("[::1]:8123")
    assert not local.host_ok("10.0.0.5:8123") and not local.host_ok("rebind.example:8123")
    assert not local.host_ok("127.0.0.1:8124") and not local.host_ok(None)
    anywhere = make_server("x", host="0.0.0.0", port=8123, token=t, max_sessions=1, title="t")
    assert anywhere.host_ok("10.0.0.5:8123") and anywhere.host_ok(f"{socket.gethostname()}:8123")
    assert not anywhere.host_ok("rebind.example:8123")
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    for extra, msg in ((["--max-sessions", "0"], "--max-sessions must be 1 or more"),
                       (["--token-file", str(f)], "at least 16"),
                       (["--host", "256.1.1.1"], "cannot listen on 256.1.1.1:")):
        p = subprocess.run([sys.executable, "-m", "qa", "review", str(art), "--serve", "--port", str(free_port()),
                            *extra], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert p.returncode == 2 and msg in p.stderr and p.stderr.count("\n") == 1, p.stderr
