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
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen([sys.executable, "-m", "qa", "review", str(art), "-g", str(g), "--serve",
                               "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)
    driver = None
    try:
        wait_http(f"http://127.0.0.1:{port}/")
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
        driver.get(f"http://127.0.0.1:{port}/")
        wait = WebDriverWait(driver, 30)
        # the page connects by itself; the body gets -first-byte when the app's output arrives
        wait.until(lambda d: "-first-byte" in (d.find_element(By.TAG_NAME, "body").get_attribute("class") or ""))
        box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea"))
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
