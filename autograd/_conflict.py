"""`autograd` is also HIPS autograd's import name: installed together, they overwrite each other."""

import warnings
from importlib import metadata


def warn_if_hips_autograd_installed() -> None:
    """Warn once if a distribution called `autograd` (HIPS autograd) shares this environment."""
    try:
        metadata.distribution("autograd")
    except metadata.PackageNotFoundError:
        return
    warnings.warn(
        "the package 'autograd' (HIPS autograd) is installed beside chainrule; both install an "
        "'autograd' package and overwrite each other's files. Use chainrule in a virtual "
        "environment of its own (`make demo` creates .venv), or `pip uninstall autograd`.",
        RuntimeWarning,
        stacklevel=3,
    )
