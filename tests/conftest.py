"""Shared test set-up: a fixed seed for every test, a hypothesis profile, and markers."""

import random
import shutil

import pytest
from hypothesis import settings

settings.register_profile("chainrule", deadline=None, max_examples=100, derandomize=True)
settings.load_profile("chainrule")


@pytest.fixture(autouse=True)
def seeded():
    """Every test starts from the same random state."""
    random.seed(0)


CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))),
                None)
CHROMEDRIVER = shutil.which("chromedriver")


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_dot: needs Graphviz's dot program on PATH")
    config.addinivalue_line("markers", "needs_browser: needs Chromium and chromedriver on PATH")


def pytest_collection_modifyitems(config, items):
    missing = {
        "needs_dot": None if shutil.which("dot") else
        "Graphviz's dot is not on PATH (make setup installs it)",
        "needs_browser": None if CHROMIUM and CHROMEDRIVER else
        "needs Chromium and chromedriver on PATH (Debian: apt-get install chromium "
        "chromium-driver)",
    }
    for item in items:
        for marker, reason in missing.items():
            if reason and marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def launch_chromium():
    """A function starting a headless Chromium driven by selenium: launch(window_size,
    *flags, console=False); console=True keeps the console's messages (get_log("browser"))."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium")

    def launch(window_size: str, *flags: str, console: bool = False):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     f"--window-size={window_size}", *flags):
            options.add_argument(flag)
        if console:
            options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        return webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER),
                                options=options)

    return launch
