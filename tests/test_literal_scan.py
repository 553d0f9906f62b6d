"""The pre-scan that decides whether a file may hold a literal longer than etom-kg accepts.

The limit is patched down to 64 characters, so the scan reads blocks of 16 bytes.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest

import etom_kg.io.limits
from etom_kg.core.errors import InputError
from etom_kg.io.reading import _may_hold_long_literal, load_file

LIMIT = 64
BLOCK = LIMIT // 4
NT, TTL = ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr(etom_kg.io.limits, "MAX_LITERAL_CHARS", LIMIT)


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _newline_in_every_block(data: bytes) -> bool:
    return all(b"\n" in data[i:i + BLOCK] for i in range(0, len(data), BLOCK))


def test_an_n_triples_file_of_many_short_lines_is_not_suspected(tmp_path):
    # lines of 15 and 16 bytes: however the blocks fall, each holds a newline
    text = "".join(f'<a:> <b:> "{i % 10}".\n' if i % 2 else f'<a:> <b:> "{i % 10}" .\n'
                   for i in range(300))
    path = _write(tmp_path, "short.nt", text)
    assert _newline_in_every_block(path.read_bytes())
    assert _may_hold_long_literal(path, NT) is False


def test_a_file_with_one_line_longer_than_the_limit_is_suspected(tmp_path):
    short = '<a:> <b:> "x" .\n' * 50
    long_line = f'<a:> <b:> "{"y" * (LIMIT + 1)}" .\n'
    for fmt, name in ((NT, "long.nt"), (TTL, "long.ttl")):
        path = _write(tmp_path, name, short + long_line + short)
        assert _may_hold_long_literal(path, fmt) is True


@pytest.mark.parametrize("quote", ['"""', "'''"])
@pytest.mark.parametrize("offset", range(BLOCK))
def test_a_turtle_string_in_triple_quotes_is_suspected_wherever_the_quotes_fall(tmp_path, quote,
                                                                               offset):
    # Short lines only, so the triple quotes alone raise the suspicion; the offset
    # moves both (one block apart) over every position of a block: at 14 and 15
    # each straddles the end of a block.
    head = "#" + "x" * (offset - 2) + "\n" if offset >= 2 else " " * offset
    text = head + f"<a:> <b:> {quote}\n{'x' * 11}\n{quote} .\n" + '<a:> <b:> "z" .\n' * 20
    path = _write(tmp_path, "quoted.ttl", text)
    data = path.read_bytes()
    assert _newline_in_every_block(data)
    opening = data.index(quote.encode())
    assert opening % BLOCK == (offset + 10) % BLOCK
    assert data.index(quote.encode(), opening + 3) == opening + BLOCK
    assert _may_hold_long_literal(path, TTL) is True
    # the same bytes with each triple quote replaced by '"_"' are not suspected
    plain = _write(tmp_path, "plain.ttl", text.replace(quote, '"_"'))
    assert _may_hold_long_literal(plain, TTL) is False


def test_triple_quotes_do_not_make_an_n_triples_file_suspect(tmp_path):
    # N-Triples has no long strings: three quotes there can only be in a comment
    path = _write(tmp_path, "q.nt", '<a:> <b:> "x".\n' * 20 + "# \"\"\" '''\n" + '<a:> <b:> "y".\n')
    assert _newline_in_every_block(path.read_bytes())
    assert _may_hold_long_literal(path, NT) is False


def test_a_literal_longer_than_the_limit_is_refused_naming_the_file(tmp_path):
    path = _write(tmp_path, "long.nt", '<a:s> <a:p> "short" .\n' * 10
                  + f'<a:s> <a:q> "{"y" * 100}" .\n')
    store = ox.Store()
    with pytest.raises(InputError) as err:
        load_file(store, path, ox.NamedNode("https://example.org/g"))
    assert err.value.path == str(path) and str(err.value).startswith(f"{path}: ")
    assert "100 characters" in str(err.value)
    assert len(store) == 0


def test_a_file_of_200_short_literals_loads(tmp_path):
    path = _write(tmp_path, "many.nt", "".join(f'<a:s> <a:p> "literal {i}" .\n'
                                                for i in range(200)))
    store = ox.Store()
    load_file(store, path)
    assert len(store) == 200


def test_a_refused_literal_leaves_the_default_graph_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setattr(etom_kg.io.limits, "MAX_LITERAL_CHARS", 64)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/kept"),
                      ox.NamedNode("https://example.org/p"), ox.Literal("before")))
    path = tmp_path / "long.nt"
    path.write_text('<https://example.org/a> <https://example.org/p> "short" .\n'
                    '<https://example.org/b> <https://example.org/p> "' + "x" * 100 + '" .\n',
                    encoding="utf-8")
    with pytest.raises(InputError):
        load_file(store, path)
    assert [q.subject.value for q in store] == ["https://example.org/kept"]
