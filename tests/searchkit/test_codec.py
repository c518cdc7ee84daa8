"""The index's codec writes what Whoosh's own codec writes, and asks the file system whether
a segment has a column once per field instead of once per posting."""

from __future__ import annotations

import random

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser

from searchkit.codec import HuddleCodec
from tests.searchkit.test_ranking import make_document

QUERIES = ["refund", "card payment", "title:document", "locked OR courier", '"refund card"']


def _write(folder, schema, docs, codec):
    folder.mkdir()
    index = FileStorage(str(folder)).create_index(schema)
    writer = index.writer(codec=codec)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return index


def _ranking(index, schema, text):
    with index.searcher() as searcher:
        hits = searcher.search(QueryParser("text", schema).parse(text), limit=None)
        return [(hit.docnum, round(hit.score, 9), hit["id"]) for hit in hits]


def test_the_codec_writes_and_scores_as_whooshs_own(search_index, tmp_path):
    rng = random.Random(7)
    docs = [make_document(pk, rng) for pk in range(300)]
    schema = search_index.live_index().schema
    ours = _write(tmp_path / "ours", schema, docs, HuddleCodec())
    theirs = _write(tmp_path / "theirs", schema, docs, W3Codec())
    assert all(isinstance(s.codec(), HuddleCodec) for s in ours._segments())
    for text in QUERIES:
        ranking = _ranking(ours, schema, text)
        assert ranking, text
        assert ranking == _ranking(theirs, schema, text), text
    with ours.reader() as mine, theirs.reader() as whooshs:
        for field in ("text", "title", "body"):
            assert [mine.doc_field_length(n, field) for n in range(300)] == [
                whooshs.doc_field_length(n, field) for n in range(300)
            ]
        assert list(mine.all_stored_fields()) == list(whooshs.all_stored_fields())


def test_writing_asks_about_columns_once_per_field_not_per_posting(
    search_index, tmp_path, monkeypatch
):
    asked = []
    original = FileStorage.file_exists

    def counted(storage, name):
        asked.append(name)
        return original(storage, name)

    monkeypatch.setattr(FileStorage, "file_exists", counted)
    rng = random.Random(8)
    docs = [make_document(pk, rng) for pk in range(200)]
    schema = search_index.live_index().schema
    _write(tmp_path / "theirs", schema, docs, W3Codec())
    whooshs, asked[:] = len(asked), []
    _write(tmp_path / "ours", schema, docs, HuddleCodec())
    assert whooshs > 1000  # a call per posting of each field without lengths
    assert len(asked) <= 2 * len(schema.names())


def test_the_engine_writes_with_the_codec(search_index):
    with search_index.write_session() as session:
        session.writer.add_document(**{**make_document(1, random.Random(1))})
    assert all(isinstance(s.codec(), HuddleCodec) for s in search_index.live_index()._segments())
