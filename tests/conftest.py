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


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_dot: needs Graphviz's dot program on PATH")


def pytest_collection_modifyitems(config, items):
    if shutil.which("dot"):
        return
    skip = pytest.mark.skip(reason="Graphviz's dot is not on PATH (make setup installs it)")
    for item in items:
        if "needs_dot" in item.keywords:
            item.add_marker(skip)
