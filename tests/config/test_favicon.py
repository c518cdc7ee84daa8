"""Every page links the SVG favicon, an "H" in the brand colour."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]


def test_pages_link_the_svg_favicon(client):
    page = client.get("/accounts/login/").content.decode()
    assert re.search(
        r'<link rel="icon" href="/static/img/favicon.svg" type="image/svg\+xml">', page
    )


def test_the_favicon_is_an_svg_in_the_brand_colour():
    path = finders.find("img/favicon.svg")
    assert path
    svg = ElementTree.parse(path).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    brand = re.search(r"--brand:\s*(#[0-9a-fA-F]{6})", (ROOT / "static/css/huddle.css").read_text())
    assert brand
    assert brand[1].lower() in Path(path).read_text().lower()
