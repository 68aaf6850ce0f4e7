"""The real app over a real knowledge base, served once per session, and a real browser to drive it.

The knowledge base is the packaged demo corpus ingested into a temporary data_dir; answers come from
the extractive backend (fast, no model) unless a test picks another on the page. Screenshots go to
$POLICYQA_SCREENSHOTS or build/screenshots/ for a person to look at.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from qa.answer import Engine
from settings import load_settings
from ui.app import build_app, launch

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    return _free_port()


@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory):
    return load_settings(
        data_dir=tmp_path_factory.mktemp("policyqa-ui"),
        llm={"backend": "extractive", "local_model": "qwen2.5-0.5b", "timeout_s": 90, "max_tokens": 200},
        serve={"host": "127.0.0.1", "port": _free_port(), "concurrency": 2},
    )


@pytest.fixture(scope="session")
def engine(ui_settings) -> Engine:
    engine = Engine(ui_settings)
    report = engine.kb.ingest(None, progress=False)
    assert not report.failed and len(report.added) == 5, report.summary()
    return engine


@pytest.fixture(scope="session")
def app_url(ui_settings, engine):
    demo = build_app(ui_settings, engine)
    launch(demo, ui_settings, block=False)
    yield f"http://127.0.0.1:{ui_settings.serve.port}/"
    demo.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("POLICYQA_SCREENSHOTS") or REPO / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-wqy-microhei)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(app_url)
    page.wait_for_selector("#chat")
    page.get_by_text("知识库:").wait_for()
    yield page
    context.close()
