"""Whoosh's own codec, minus a file-system call per posting.

Whoosh asks the file system whether a segment has a column (`os.stat`) every time it looks
up a document's field length in a field that keeps none: once per posting of such a field
while a segment is written (396,000 calls for 4,110 documents). A segment's columns never
change once its per-document reader exists (Whoosh opens that reader only after the
segment's column files are closed), so the answer is asked once per field and remembered for
the reader's life. The segment files are what `W3Codec` writes; each segment records its
codec (in the index's table of contents), so the readers of those segments use it too."""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader


class _ColumnsAskedOnce(W3PerDocReader):
    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._has_column: dict[str, bool] = {}

    def has_column(self, fieldname):
        known = self._has_column.get(fieldname)
        if known is None:
            known = self._has_column[fieldname] = super().has_column(fieldname)
        return known


class HuddleCodec(W3Codec):
    def per_document_reader(self, storage, segment):
        return _ColumnsAskedOnce(storage, segment)
