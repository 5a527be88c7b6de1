"""A first-party avatar for an imported author: their initials on a coloured disc (SVG, via lxml)."""

from __future__ import annotations

import hashlib

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
_COLOURS = ("#3949ab", "#00796b", "#6d4c41", "#5e35b1", "#c62828", "#2e7d32", "#ad1457", "#37474f")


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").replace("_", " ").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]).upper()
    return letters or "?"


def avatar_svg(name: str) -> bytes:
    colour = _COLOURS[hashlib.sha256(name.encode("utf-8")).digest()[0] % len(_COLOURS)]
    svg = etree.Element(
        f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS}, viewBox="0 0 64 64", width="64", height="64"
    )
    etree.SubElement(svg, f"{{{SVG_NS}}}title").text = name
    etree.SubElement(svg, f"{{{SVG_NS}}}circle", cx="32", cy="32", r="32", fill=colour)
    text = etree.SubElement(
        svg,
        f"{{{SVG_NS}}}text",
        x="32",
        y="40",
        fill="#ffffff",
        attrib={"text-anchor": "middle"},
        style="font: 600 24px sans-serif",
    )
    text.text = initials(name)
    data: bytes = etree.tostring(svg, xml_declaration=False, encoding="utf-8")
    return data + b"\n"
