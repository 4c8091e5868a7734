"""helpers.datasets: offline-first, sha256-verified Tiny Shakespeare.

The download path is tested against an HTTP server on 127.0.0.1 that serves a good
copy and a corrupted one; nothing here reaches the internet. The copy served is a few
lines of the play, and the published hash is patched to that copy's hash, so these tests
need no data folder; the tests that read the real file (its hash, its length) use the
shared copy and are skipped without one.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from helpers import datasets
from helpers.datasets import (
    SHAKESPEARE_SHA256,
    find_shakespeare,
    load_shakespeare,
    split_speeches,
)

CLOSED_URL = "http://127.0.0.1:9/tinyshakespeare.txt"  # discard port: nothing listens


# The play's first lines, standing in for the whole file in the download tests.
EXCERPT = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\n"
           "All:\nSpeak, speak.\n\n" * 40).encode("utf-8")


@pytest.fixture
def good_bytes(monkeypatch) -> bytes:
    """A small "published" copy: the loader is told its sha256 is the published one."""
    monkeypatch.setattr(datasets, "SHAKESPEARE_SHA256", hashlib.sha256(EXCERPT).hexdigest())
    return EXCERPT


@pytest.fixture
def bad_bytes(good_bytes) -> bytes:
    data = bytearray(good_bytes)
    data[1000] ^= 1  # one flipped bit: same length, different hash
    return bytes(data)


@pytest.fixture
def server(good_bytes, bad_bytes):
    """Serve /good.txt and /bad.txt on 127.0.0.1; record the paths requested."""
    files = {"/good.txt": good_bytes, "/bad.txt": bad_bytes}
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep test output clean
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield base, requests
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def no_data_dir(monkeypatch):
    monkeypatch.delenv("LSTM_DATA_DIR", raising=False)


def test_explicit_path_is_used_and_verified(shakespeare_path, tmp_path):
    text = load_shakespeare(shakespeare_path, url=CLOSED_URL, cache_dir=tmp_path)
    assert len(text) == 1_115_394 and len(set(text)) == 65
    assert text.startswith("First Citizen:")


def test_explicit_path_missing_says_how_to_provide_a_copy(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"does not exist.*LSTM_DATA_DIR"):
        load_shakespeare(tmp_path / "nope.txt")


def test_explicit_path_with_wrong_hash_is_rejected(bad_bytes, tmp_path):
    bad = tmp_path / "tinyshakespeare.txt"
    bad.write_bytes(bad_bytes)
    with pytest.raises(ValueError, match=r"path: .* sha256 is [0-9a-f]{64}.*not used"):
        load_shakespeare(bad)
    assert bad.exists()  # a user's own file is never deleted


def test_the_shared_copy_is_the_published_file(shakespeare_path, monkeypatch, tmp_path):
    monkeypatch.setenv("LSTM_DATA_DIR", str(shakespeare_path.parent))
    assert find_shakespeare(url=CLOSED_URL, cache_dir=tmp_path) == shakespeare_path
    assert hashlib.sha256(shakespeare_path.read_bytes()).hexdigest() == SHAKESPEARE_SHA256


def test_data_dir_is_used_before_cache_and_network(monkeypatch, good_bytes, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tinyshakespeare.txt").write_bytes(good_bytes)
    cached = tmp_path / "datasets" / "tinyshakespeare.txt"      # a good cached copy too
    cached.parent.mkdir()
    cached.write_bytes(good_bytes)
    monkeypatch.setenv("LSTM_DATA_DIR", str(tmp_path / "data"))
    assert find_shakespeare(url=CLOSED_URL, cache_dir=tmp_path) == \
        tmp_path / "data" / "tinyshakespeare.txt"


def test_data_dir_with_wrong_hash_is_rejected(monkeypatch, bad_bytes, tmp_path):
    (tmp_path / "tinyshakespeare.txt").write_bytes(bad_bytes)
    monkeypatch.setenv("LSTM_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match=r"LSTM_DATA_DIR: .*not Tiny Shakespeare as published"):
        load_shakespeare(url=CLOSED_URL, cache_dir=tmp_path / "cache")


def test_keras_cache_is_used_without_network(no_data_dir, good_bytes, tmp_path):
    cached = tmp_path / "datasets" / "tinyshakespeare.txt"
    cached.parent.mkdir()
    cached.write_bytes(good_bytes)
    assert find_shakespeare(url=CLOSED_URL, cache_dir=tmp_path) == cached


def test_download_verifies_caches_and_is_not_repeated(no_data_dir, server, tmp_path,
                                                      monkeypatch):
    base, requests = server
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LSTM_DATA_DIR", str(empty))  # set, but holds no copy: falls through
    path = find_shakespeare(url=f"{base}/good.txt", cache_dir=tmp_path / "cache")
    assert path == tmp_path / "cache" / "datasets" / "tinyshakespeare.txt"
    text = load_shakespeare(url=f"{base}/good.txt", cache_dir=tmp_path / "cache")
    assert text == EXCERPT.decode("utf-8")
    assert requests == ["/good.txt"]  # the second call read the cache


def test_corrupted_download_is_rejected_and_deleted(no_data_dir, server, tmp_path):
    base, requests = server
    with pytest.raises(ValueError, match=r"does not match the published sha256.*deleted"):
        load_shakespeare(url=f"{base}/bad.txt", cache_dir=tmp_path)
    assert requests == ["/bad.txt"]
    assert not (tmp_path / "datasets" / "tinyshakespeare.txt").exists()


def test_corrupted_cache_is_replaced_by_a_good_download(no_data_dir, server, bad_bytes,
                                                        tmp_path):
    base, requests = server
    cached = tmp_path / "datasets" / "tinyshakespeare.txt"
    cached.parent.mkdir()
    cached.write_bytes(bad_bytes)
    load_shakespeare(url=f"{base}/good.txt", cache_dir=tmp_path)
    assert requests == ["/good.txt"]
    assert cached.read_bytes() == EXCERPT


def test_offline_without_a_copy_says_exactly_how_to_provide_one(no_data_dir, server, tmp_path):
    """The message names the real file's hash (the server's fixture patched it)."""
    base, _ = server
    for url in (CLOSED_URL, f"{base}/missing.txt"):  # connection refused; HTTP 404
        with pytest.raises(FileNotFoundError) as info:
            load_shakespeare(url=url, cache_dir=tmp_path)
        message = str(info.value)
        assert "LSTM_DATA_DIR (not set)" in message
        assert datasets.SHAKESPEARE_SHA256 in message and "load_shakespeare(path=" in message
        assert not (Path(tmp_path) / "datasets" / "tinyshakespeare.txt").exists()


def test_split_speeches_keeps_speakers_and_lines_in_order():
    text = ("ROMEO:\nHe jests at scars\nthat never felt a wound.\n\n"
            "JULIET:\nAy me!\n\nnot a speech\n\nDUKE VINCENTIO:\nNo.\n")
    assert split_speeches(text) == [("ROMEO", "He jests at scars\nthat never felt a wound."),
                                    ("JULIET", "Ay me!"), ("DUKE VINCENTIO", "No.")]


def test_split_speeches_on_tiny_shakespeare(shakespeare_path):
    speeches = split_speeches(load_shakespeare(shakespeare_path))
    assert speeches[0] == ("First Citizen", "Before we proceed any further, hear me speak.")
    assert len(speeches) > 7000
    assert all(name and speech.strip() for name, speech in speeches)


@pytest.mark.parametrize("text, error", [(b"ROMEO:\nHi", TypeError), ("no speeches", ValueError)])
def test_split_speeches_rejects_what_is_not_a_play(text, error):
    with pytest.raises(error, match="text"):
        split_speeches(text)
