"""The learners' pages: every link in the README, CONTRIBUTING and docs/ resolves (a file, and
the heading its anchor names), the question index covers the questions it promises, and the
README stays a short front door."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parents[1]
REPO_URL = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
PAGES = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(((?:[^()\s]|\([^()\s]*\))+)\)")   # one level of (...) inside


def plain_heading(line: str) -> str:
    """A Markdown heading's text as it renders: no leading #'s, code marks, emphasis or link
    syntax."""
    text = re.sub(r"^#+\s+", "", line.strip())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("`", "").replace("**", "").replace("*", "")


def jupyter_anchor(line: str) -> str:
    """The id Jupyter (JupyterLab, nbconvert) gives a notebook heading: its rendered text with
    every space replaced by '-'."""
    return plain_heading(line).replace(" ", "-")


def github_anchor(line: str) -> str:
    """The id GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", plain_heading(line).lower()).replace(" ", "-")


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"#{1,6} ", line)]


def notebook_anchors(path: Path) -> set[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return {jupyter_anchor(line) for cell in cells if cell["cell_type"] == "markdown"
            for line in headings("".join(cell["source"]))}


def page_anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {github_anchor(line) for line in headings(text)}


def local_links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return [link for link in LINK.findall(text)
            if not re.match(r"(https?|mailto):", link)]


def broken_links(page: Path) -> list[str]:
    """Each local link of ``page`` whose file is missing, or whose anchor names no heading."""
    broken = []
    for link in local_links(page):
        target, _, anchor = link.partition("#")
        path = (page.parent / unquote(target)).resolve() if target else page
        if not path.exists():
            broken.append(f"{link}: no such file")
        elif anchor and path.suffix == ".ipynb":
            if unquote(anchor) not in notebook_anchors(path):
                broken.append(f"{link}: no heading with that anchor in {path.name}")
        elif anchor and path.suffix == ".md" and anchor not in page_anchors(path):
            broken.append(f"{link}: no heading with that anchor in {path.name}")
    return broken


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_local_link_resolves_to_a_file_and_its_heading(page):
    broken = broken_links(page)
    assert not broken, "\n".join(broken)


def test_anchor_rules_match_what_jupyter_and_github_render():
    line = "## 1. The contract: a 3-D tensor `(batch, timesteps, features)`"
    assert jupyter_anchor(line) == "1.-The-contract:-a-3-D-tensor-(batch,-timesteps,-features)"
    assert github_anchor("## What you need, and two commands") == "what-you-need-and-two-commands"


def test_broken_links_are_caught(tmp_path):
    notebook = REPO / "notebooks" / "01_input_shapes.ipynb"
    (tmp_path / "page.md").write_text(
        f"[a](missing.md), [b](page.md#nowhere), [c](#here), [d]({notebook}#No-such-heading),"
        f" [e]({notebook}#Summary)\n# Here\n")
    assert broken_links(tmp_path / "page.md") == [
        "missing.md: no such file", "page.md#nowhere: no heading with that anchor in page.md",
        f"{notebook}#No-such-heading: no heading with that anchor in 01_input_shapes.ipynb"]


def test_the_question_index_links_into_the_notebooks_and_covers_the_common_questions():
    index = (REPO / "docs" / "questions.md").read_text(encoding="utf-8")
    notebook_links = [link for link in local_links(REPO / "docs" / "questions.md")
                      if ".ipynb#" in link]
    assert len(notebook_links) >= 40
    # the questions Keras users ask most about LSTMs (issue 37), each named on the page
    for words in ["ndim=3", "units", "return_sequences", "stateful", "mask", "cuDNN",
                  "last value", "ahead", "attention", "export"]:
        assert words.lower() in index.lower(), words
    assert "docs/questions.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_is_a_short_front_door():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    prose = re.sub(r"https?://\S+", "", readme)          # badges' and links' addresses
    assert len(prose.split()) <= 1500
    first_screen = readme[:1200]
    assert "docs/questions.md" in first_screen


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_colab_links_open_this_repository(page):
    """A fork changes pyproject's Repository URL; every Colab link on the pages must follow."""
    here = REPO_URL.removeprefix("https://github.com/").rstrip("/")
    for url in re.findall(r"https://colab\.research\.google\.com/github/\S+?\)", page.read_text()):
        assert url.startswith(f"https://colab.research.google.com/github/{here}/blob/main/"), url
