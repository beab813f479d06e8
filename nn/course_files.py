"""The course's notebooks, and the figures they show, as shipped in the package; write_course()
copies them into a learner's folder and never overwrites a copy the learner has changed.

>>> names = shipped()
>>> "00_quickstart.ipynb" in names and "images/neuron_graph.svg" in names
True

How they are shipped: nn/course-notebooks is a symbolic link to the repository's notebooks/ (and
notebooks/images to docs/images, so a notebook shows a figure as images/NAME in the repository
and in a learner's folder alike). setup.cfg's [options.package_data] lists
course-notebooks/*.ipynb and course-notebooks/images/*, so the wheel (and an sdist) holds real
copies, made at build time; an editable install reads the repository's files through the link.
Nothing is kept twice in git.

Which copy is the learner's: the folder keeps a record, .chainrule-course.json, of the sha256 of
every file as it was written. A file that matches the shipped one is up to date; one that still
matches the record (untouched since it was written, by an older version of chainrule) is
refreshed; any other (edited, or run and saved in Jupyter) is left alone, unless force=True.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "course-notebooks"
RECORD = ".chainrule-course.json"


def shipped() -> dict[str, Path]:
    """name in the course folder -> the shipped file: the notebooks, then images/ (figures)."""
    files = sorted(SHIPPED.glob("*.ipynb")) + sorted(SHIPPED.glob("images/*"))
    return {path.relative_to(SHIPPED).as_posix(): path for path in files if path.is_file()}


@dataclass
class Report:
    """What write_course did, file by file (names relative to the folder)."""

    written: list[str] = field(default_factory=list)  # new, or overwritten under force
    refreshed: list[str] = field(default_factory=list)  # untouched copies of an older version
    unchanged: list[str] = field(default_factory=list)  # already the shipped file
    kept: list[str] = field(default_factory=list)  # the learner's changed copies, left alone


def write_course(folder: Path, force: bool = False) -> Report:
    """Copy the shipped notebooks and figures into folder (created if need be), leaving a file
    the learner has changed as it is unless force; returns what was done to each file."""
    files = shipped()
    if not files:
        raise FileNotFoundError(f"no course notebooks found in {SHIPPED} (a broken install?)")
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
    report = Report()
    for name, source in files.items():
        content = source.read_bytes()
        target = folder / name
        now = sha256(target.read_bytes()) if target.is_file() else None
        if now == sha256(content):
            report.unchanged.append(name)
        elif now is not None and not force and now != record.get(name):
            report.kept.append(name)
            continue
        else:
            (report.written if now is None or force else report.refreshed).append(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        record[name] = sha256(content)
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def sha256(content: bytes) -> str:
    """The hex sha256 of content."""
    return hashlib.sha256(content).hexdigest()
