"""Attachment names as people's files have them: long, accented, emoji. The name is kept for
display and download; the file is stored under one the filesystem accepts (255 bytes a
name) and the file field holds (300 characters a path)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kb.models import ArticleAttachment


@pytest.mark.parametrize(
    "name",
    [
        "é" * 190 + ".txt",  # 385 bytes in UTF-8: a 500 before
        "😀" * 150 + ".txt",
        "a" * 254 + ".txt",
        "Ünïcödé notes.txt",
    ],
)
def test_a_long_or_accented_name_is_stored_and_served(
    agent_client, published_article, settings, tmp_path, name
):
    settings.MEDIA_ROOT = tmp_path
    response = agent_client.post(
        f"/kb/a/{published_article.slug}/attachments/",
        {"file": SimpleUploadedFile(name, b"Some notes.")},
    )
    assert response.status_code == 302
    item = ArticleAttachment.objects.get()
    assert item.name.endswith(".txt")
    assert name.startswith(item.name.removesuffix(".txt"))
    assert len(item.name) <= ArticleAttachment._meta.get_field("name").max_length
    stored = Path(item.file.path)
    assert len(stored.name.encode()) <= 255
    assert len(item.file.name) <= ArticleAttachment._meta.get_field("file").max_length
    assert stored.read_bytes() == b"Some notes."
    download = agent_client.get(item.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Some notes."


def test_a_cut_name_keeps_its_extension(agent_client, published_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = "report " * 60 + ".pdf"  # 424 characters
    response = agent_client.post(
        f"/kb/a/{published_article.slug}/attachments/",
        {"file": SimpleUploadedFile(name, b"%PDF-1.4 ...")},
    )
    assert response.status_code == 302
    item = ArticleAttachment.objects.get()
    assert item.name.endswith(".pdf")
    assert item.content_type == "application/pdf"


def test_two_files_with_the_same_long_name_are_both_kept(
    agent_client, published_article, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for content in (b"first", b"second"):
        upload = SimpleUploadedFile("é" * 190 + ".txt", content)
        url = f"/kb/a/{published_article.slug}/attachments/"
        assert agent_client.post(url, {"file": upload}).status_code == 302
    stored = [Path(item.file.path).read_bytes() for item in ArticleAttachment.objects.all()]
    assert sorted(stored) == [b"first", b"second"]
