"""Shared test set-up: a fixed seed for every test, a hypothesis profile, markers, a headless
Chromium, and the course's notebooks executed once per test run (NotebookRuns), with a line on
the terminal as each run ends."""

import functools
import importlib.util
import json
import os
import random
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# 50 examples a property (hypothesis' default is 100) keep `make test` within its time; a test
# that needs more says so with its own @settings. `pytest --hypothesis-profile=thorough` draws
# ten times as many, and new ones each run.
settings.register_profile("chainrule", deadline=None, max_examples=50, derandomize=True)
settings.register_profile("thorough", deadline=None, max_examples=500)
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
    if not hasattr(config, "workerinput"):  # the process that prints (not an xdist worker)
        config.pluginmanager.register(NotebookProgress(config), "chainrule-notebook-progress")


def pytest_collection_modifyitems(config, items):
    items[:] = in_run_order(items)
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


# ---- the notebooks: each executed once per way in a test run, shared by the tests ----

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_RUN = "test_notebook_runs["  # tests/test_notebooks.py: one test per notebook and way
COURSE_SITE = "test_site.py::test_the_course_site"  # built from the notebooks' runs


def in_run_order(items: list) -> list:
    """The tests in the order they run: the notebooks' runs first, the last notebook first (the
    later notebooks train networks and take longest), then tests/test_site.py, whose course
    pages are made from the shipped runs, then the other tests as collected. Under pytest-xdist
    with --maxschedchunk 1, as `make test` runs it, a worker takes the next test when it is
    free: the long runs start at once on every worker, the site's test waits at most for the
    last (short) runs, and the many short tests fill in beside it to the end."""
    runs = sorted((item for item in items if NOTEBOOK_RUN in item.nodeid),
                  key=lambda item: item.nodeid, reverse=True)
    site = [item for item in items if item.nodeid.startswith("tests/test_site.py")]
    placed = {id(item) for item in runs + site}
    return runs + site + [item for item in items if id(item) not in placed]


class NotebookProgress:
    """Prints a line as each notebook run (and the course site's check) starts and as it ends,
    with its time, so a long run is not a silent one. It runs in the process that writes the
    terminal: under pytest-xdist the workers' reports come to it, and the lines show under -q
    too."""

    def __init__(self, config):
        self.config = config
        self.setup_seconds = {}

    def pytest_runtest_logstart(self, nodeid: str, location) -> None:
        if NOTEBOOK_RUN in nodeid or COURSE_SITE in nodeid:
            self._say(f"  {described(nodeid)} started")

    def _say(self, line: str) -> None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(line)

    def pytest_runtest_logreport(self, report) -> None:
        if NOTEBOOK_RUN not in report.nodeid and COURSE_SITE not in report.nodeid:
            return
        if report.when == "setup":
            self.setup_seconds[report.nodeid] = report.duration
        elif report.when == "call" or report.failed:
            seconds = report.duration + self.setup_seconds.pop(report.nodeid, 0.0)
            self._say(f"  {described(report.nodeid)} {report.outcome} in {seconds:.0f} s")


def described(nodeid: str) -> str:
    """A notebook run's test, or the course site's, in words."""
    if NOTEBOOK_RUN not in nodeid:
        return "the course site, built from the notebooks' runs and checked in Chromium,"
    name, how = nodeid.split("[")[-1].rstrip("]").split("-", 1)
    return f"notebook {name} ({how})"


@functools.cache
def load_site_script():
    """scripts/site.py as a module (scripts/ is not a package): its execute() runs a notebook
    the way `make site` does."""
    spec = importlib.util.spec_from_file_location("site_script", ROOT / "scripts" / "site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


class NotebookRuns:
    """Each notebook executed at most once per way ("as shipped", "with solutions") in a test
    run, by whichever test asks first, its executed copy kept in a folder that every process of
    the run sees: tests/test_notebooks.py checks each run, tests/test_site.py builds the course's
    pages from the shipped runs instead of executing the notebooks a third time.

    Under pytest-xdist each worker has a session of its own, so a session fixture alone would
    run the notebooks once per worker; the folder and a lock file per run make it once per test
    run: a test asking for a run that another process is executing waits for it, then reads it.
    The lock is the operating system's (filelock), released if its process dies, and whoever
    holds it is executing, so there is nothing to deadlock on whichever order the tests run in
    (in_run_order starts the runs first, so the site's test finds them done)."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def run(self, name: str, how: str, notebook: dict):
        """The notebook called name, prepared to run `how`, executed top to bottom in a fresh
        kernel in a scratch folder (so nothing it writes lands in notebooks/), as an nbformat
        NotebookNode; fails the test with the cell's error if it raised (for every test that
        asks, running it once)."""
        nbformat = pytest.importorskip("nbformat")
        from filelock import FileLock

        key = f"{name}.{how.replace(' ', '-')}"
        done, failed = self.folder / f"{key}.ipynb", self.folder / f"{key}.error"
        with FileLock(self.folder / f"{key}.lock"):
            if not done.exists() and not failed.exists():
                self._execute(notebook, self.folder / key, done, failed)
        if failed.exists():
            pytest.fail(f"{name} ({how}): {failed.read_text(encoding='utf-8')}", pytrace=False)
        return nbformat.read(done, as_version=4)

    @staticmethod
    def _execute(notebook: dict, scratch: Path, done: Path, failed: Path) -> None:
        """Execute notebook in scratch; write it to done, or its error to failed (a cell that
        raised, timed out or killed its kernel: any of them would do so again)."""
        nbformat = pytest.importorskip("nbformat")
        pytest.importorskip("nbclient")
        scratch.mkdir()
        executed = nbformat.reads(json.dumps(notebook), as_version=4)
        try:
            load_site_script().execute(executed, scratch)
        except Exception as error:
            failed.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
            return
        partial = done.with_suffix(".partial")
        nbformat.write(executed, partial)
        partial.replace(done)  # whole or absent, even if this process dies while writing


@pytest.fixture(scope="session")
def shared_folder(tmp_path_factory) -> Path:
    """A folder that every process of this test run sees: the run's temporary root, which under
    pytest-xdist is the parent of each worker's own. Make things in it under a FileLock."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@pytest.fixture(scope="session")
def notebook_runs(shared_folder) -> NotebookRuns:
    """The notebooks' runs of this test run (see NotebookRuns)."""
    return NotebookRuns(shared_folder / "notebook-runs")


@pytest.fixture
def own_op_registry():
    """Ops a test defines with define_op are forgotten after it (the built-ins stay)."""
    from autograd import op

    saved = dict(op._registry)
    yield
    op._registry.clear()
    op._registry.update(saved)
