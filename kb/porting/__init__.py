"""Markdown files in and out of the knowledge base: YAML front matter, then the body.
Split into reading a file (`parse`), writing it into the knowledge base (`apply`) and
writing articles out (`export`); everything is re-exported here."""

from kb.porting.apply import apply_document, default_author, import_articles
from kb.porting.export import export_articles, to_markdown
from kb.porting.parse import (
    FIELDS,
    OUTCOMES,
    Document,
    FileError,
    parse_document,
    split_front_matter,
)

__all__ = [
    "FIELDS",
    "OUTCOMES",
    "Document",
    "FileError",
    "apply_document",
    "default_author",
    "export_articles",
    "import_articles",
    "parse_document",
    "split_front_matter",
    "to_markdown",
]
