"""helpers.source_code: the corpus builder and the per-character features of notebook 11."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from helpers.source_code import (
    CHAR_CLASSES,
    CORPUS,
    char_classes,
    closing_distances,
    corpus_features,
    corpus_sha256,
    is_test_file,
    package_sources,
    python_features,
    split_files,
    text_features,
)

REPO = Path(__file__).resolve().parents[1]


def as_string(values) -> str:
    return "".join(str(int(v)) for v in values)


@pytest.mark.parametrize("path, excluded", [
    ("pkg/tests/helpers.py", True), ("pkg/test/x.py", True), ("pkg/testing/x.py", True),
    ("pkg/test_io.py", True), ("pkg/io_test.py", True), ("pkg/conftest.py", True),
    ("pkg/pytester.py", False), ("pkg/latest.py", False), ("pkg/contest.py", False)])
def test_the_test_file_rule(path, excluded):
    assert is_test_file(path) is excluded


def test_the_corpus_version_is_the_one_requirements_pins():
    pins = dict(re.findall(r"^([\w-]+)==(\S+)", (REPO / "requirements.txt").read_text(), re.M))
    assert pins[CORPUS["distribution"]] == CORPUS["version"]


def test_package_sources_read_a_wheel_sorted_without_tests_and_with_unix_newlines(tmp_path):
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("demo/b.py", "b = 2\r\n")
        archive.writestr("demo/a.py", "a = 1\n")
        archive.writestr("demo/__init__.py", "")
        archive.writestr("demo/tests/test_a.py", "assert a\n")
        archive.writestr("demo/data.txt", "not python")
        archive.writestr("other/c.py", "c = 3\n")
    files = package_sources("demo", wheel=wheel)
    assert files == {"demo/__init__.py": "", "demo/a.py": "a = 1\n", "demo/b.py": "b = 2\n"}
    assert list(files) == sorted(files)
    with pytest.raises(ValueError, match=r"no \.py files found in wheel"):
        package_sources("missing", wheel=wheel)
    (tmp_path / "bad.whl").write_text("not a zip")
    with pytest.raises(ValueError, match=r"wheel must be a readable \.whl"):
        package_sources("demo", wheel=tmp_path / "bad.whl")


def test_package_sources_read_the_installed_distribution_and_check_its_version():
    from importlib.metadata import version

    if version(CORPUS["distribution"]) != CORPUS["version"]:
        pytest.skip("the pinned set is not installed here (e.g. a Colab-like environment)")
    files = package_sources(**CORPUS)
    assert len(files) > 50 and all(name.startswith("_pytest/") for name in files)
    assert not any(is_test_file(name) for name in files)
    with pytest.raises(ValueError, match=r"pytest 0\.0\.1 was asked for.*pip download "
                                         r"pytest==0\.0\.1 --no-deps"):
        package_sources("_pytest", distribution="pytest", version="0.0.1")
    with pytest.raises(ValueError, match="'no-such-dist' is not installed"):
        package_sources("x", distribution="no-such-dist")


def test_split_is_by_file_and_the_hash_sees_paths_and_texts():
    files = {f"p/{k}.py": f"x = {k}\n" for k in range(10)}
    train, val = split_files(files, every=4)
    assert sorted(val) == ["p/3.py", "p/7.py"]
    assert not set(train) & set(val) and set(train) | set(val) == set(files)
    assert corpus_sha256(files) == corpus_sha256(dict(reversed(files.items())))
    assert corpus_sha256(files) != corpus_sha256({**files, "p/0.py": "x = 00\n"})
    assert corpus_sha256(files) != corpus_sha256({"q" + k[1:]: v for k, v in files.items()})
    for every in (1, 11):
        with pytest.raises(ValueError, match="every must be at least 2"):
            split_files(files, every)


def test_text_features_count_columns_line_ends_and_words():
    f = text_features("ab c\n_x1\n  d\n   \n")
    assert f["column"].tolist()[:9] == [0, 1, 2, 3, 4, 0, 1, 2, 3]
    assert as_string(f["in_indentation"]) == "000000000" + "1100" + "0000"  # blank: no indent
    f = {k: v[:9] for k, v in f.items()}
    assert f["to_line_end"].tolist() == [4, 3, 2, 1, 0, 3, 2, 1, 0]
    assert as_string(f["in_word"]) == "110101110"
    assert as_string(f["word_position"]) == "120101230"
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        text_features("")


SOURCE = '''def f(a, b):
    """Doc (not a bracket)."""
    x = [a, "s#", {b: 1}]  # c(
    return f"{x[0]}"
'''


def ones(line: str, start: int, stop: int) -> str:
    """'0' for each character of line, '1' on [start, stop)."""
    return "".join("1" if start <= k < stop else "0" for k in range(len(line)))


def test_python_features_mark_strings_comments_brackets_and_indentation():
    f = python_features(SOURCE)
    lines = SOURCE.split("\n")
    at = np.cumsum([0] + [len(line) + 1 for line in lines])

    def row(k, name):
        return as_string(f[name][at[k]:at[k] + len(lines[k])])

    # a string runs from its opening quote to the character before its closing one
    doc = lines[1]
    assert row(1, "in_string") == ones(doc, doc.index('"'), len(doc) - 1)
    assert row(1, "in_triple_quoted") == row(1, "in_string")
    code = lines[2]
    assert row(2, "in_string") == ones(code, code.index('"'), code.index('",'))
    assert row(2, "in_triple_quoted") == "0" * len(code)
    assert row(2, "in_comment") == ones(code, code.index("  #") + 2, len(code))
    depth = "".join(str(code[:k + 1].count("[") + code[:k + 1].count("{")
                        - code[:k + 1].count("]") - code[:k + 1].count("}"))
                    for k in range(len(code)))
    assert row(2, "bracket_depth") == depth  # the "(" in the comment is not counted
    assert row(0, "bracket_depth") == ones(lines[0], 5, lines[0].index(")"))
    # an f-string is one string literal, its brackets not counted (Python 3.11 and 3.12+)
    ret = lines[3]
    assert row(3, "in_string") == ones(ret, ret.index("f"), len(ret) - 1)
    assert set(row(3, "bracket_depth")) == {"0"}
    assert row(1, "indent") == "4" * len(doc) and row(0, "indent") == "0" * len(lines[0])
    assert set(f) == {"column", "to_line_end", "in_indentation", "in_word", "word_position",
                      "in_string",
                      "in_triple_quoted", "in_comment", "bracket_depth", "indent"}
    assert all(len(v) == len(SOURCE) for v in f.values())


def test_nested_fstrings_and_text_cut_mid_file():
    text = 'y = f"{f\'{1}\'}" + (2)\n'
    f = python_features(text)
    assert as_string(f["in_string"]) == ones(text, 4, text.index("+") - 2)
    assert as_string(f["bracket_depth"]) == ones(text, text.index("("), text.index(")"))
    assert len(python_features("x = (1,\n     2)")["indent"]) == 15


def test_python_features_refuse_what_the_tokenizer_refuses():
    with pytest.raises(ValueError, match=r"spam\.py: Python's tokenizer refused it"):
        python_features('x = """never closed\n', name="spam.py")


def test_corpus_features_concatenate_files_each_tokenized_alone():
    files = {"b.py": "s = '''\n", "a.py": "t = (1)\n"}
    with pytest.raises(ValueError, match=r"b\.py"):
        corpus_features(files)
    files["b.py"] = "s = ''\n"
    f = corpus_features(files)
    assert as_string(f["bracket_depth"]) == "00001100" + "0000000"
    assert as_string(f["in_string"]) == "00000000" + "0000100"


def test_closing_distances_point_back_to_the_opening_bracket():
    text = "f(a[1], '(')\n"
    d = closing_distances(text)
    assert d[text.index("]")] == 2 and d[len(text) - 2] == len(text) - 3
    assert (d >= 0).sum() == 2
    # Python 3.11's tokenizer refuses it; 3.12's accepts it, and the count then does
    with pytest.raises(ValueError, match=r"tokenizer refused|has no opening one"):
        closing_distances("x)\n")


def test_char_classes():
    text = "a_1 \n([)]'\"+"
    names = [CHAR_CLASSES[k] for k in char_classes(text)]
    assert names == ["letter", "letter", "digit", "space", "newline", "opening bracket",
                     "opening bracket", "closing bracket", "closing bracket", "quote", "quote",
                     "other"]
