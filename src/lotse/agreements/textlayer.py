"""A correct text layer for shaped scripts in WeasyPrint 70 (Arabic, Farsi/Dari, …).

WeasyPrint 70 gives each glyph id ONE ToUnicode entry, taken from the first text it is drawn
with (upstream issue Kozea/WeasyPrint#2841). Noto Sans Arabic draws a dotted letter as a
skeleton plus a dots glyph that other letters share (ت = the skeleton of ب + the two dots of
ة, ق = the skeleton of ف + the same dots), so a shared glyph keeps the first letter it was drawn
for: "اتفاقية الاندماج" was extracted as "اةفاةية الفدماج" by pdftotext and pypdf alike, although
the page looked right.

This module applies the fix of the upstream change "Give every (glyph, text) pair its own
ToUnicode identity" (Kozea/WeasyPrint commit f141087d, not in a release yet) to the installed
WeasyPrint 70:

- the text of a cluster is found before drawing; the first shown glyph of a cluster carries all
  of it, the other glyphs of the cluster carry the empty string;
- a glyph id that already carries other text is shown under a *substitute* glyph id, a
  composite glyph referring to the real one, added to the embedded font before subsetting, so it
  paints identically and maps to its own text;
- fonts of one file used at several sizes share one ToUnicode map and one id registry;
- in a tagged PDF each structure element of an HTML element with ``lang`` gets ``/Lang``.

``draw_first_line`` below is WeasyPrint 70's function (BSD-3-Clause, © Kozea) with the glyph
mapping replaced (marked ``LOTSE``). :func:`install` patches only WeasyPrint 70.x; for another
version it logs a warning and changes nothing, and the text-layer tests
(``tests/agreements/test_pdf_text_layer.py``) tell whether that version still needs it.
"""
# ruff: noqa: C901, PLR0912, PLR0915, ERA001, E501, S101, S314

from __future__ import annotations

import io
import logging
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

import pydyf
import weasyprint
from fontTools.ttLib import TTFont
from PIL import Image
from weasyprint.draw import text as draw_text_module
from weasyprint.images import RasterImage, SVGImage
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.pdf import stream as pdf_stream
from weasyprint.pdf import tags as pdf_tags
from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, pango
from weasyprint.text.fonts import get_hb_object_data
from weasyprint.text.line_break import get_last_word_end

LOGGER = logging.getLogger(__name__)

_installed = False


def _cluster_texts(
    glyph_item: Any, glyphs_info: Any, clusters: Any, num_glyphs: int, utf8_text: bytes
) -> dict[int, tuple[str, bool]]:
    """``{glyph index: (text it carries, it shares its glyph's cluster)}``.

    One glyph per cluster carries the cluster's text: the base glyph (with an advance, on the
    baseline), never a dot or mark, because text extractors group characters into words by
    position and baseline. The other glyphs carry nothing. A cluster without such a glyph (a
    combining mark HarfBuzz keeps apart, like ً or ّ, or a zero-width non-joiner) gives its text
    to the logically preceding base: in a right-to-left run that is the next glyph in visual
    order, in a left-to-right run the previous one.

    ``clusters[i]`` is the byte offset (in the item) where glyph ``i``'s cluster starts; glyphs
    are in visual order, so the end of a cluster is the next larger start in the item.
    """
    offset, length = glyph_item.item.offset, glyph_item.item.length
    rtl = glyph_item.item.analysis.level % 2
    starts = sorted({clusters[i] for i in range(num_glyphs)})
    ends = dict(zip(starts, [*starts[1:], length], strict=True))
    groups: list[tuple[int | None, int | None, str, bool]] = []  # carrier, first shown, …
    i = 0
    while i < num_glyphs:
        j = i + 1
        while j < num_glyphs and clusters[j] == clusters[i]:
            j += 1
        shown = [k for k in range(i, j) if glyphs_info[k].glyph != pango.PANGO_GLYPH_EMPTY]
        bases = [k for k in shown if glyphs_info[k].geometry.width != 0]
        bases.sort(key=lambda k: glyphs_info[k].geometry.y_offset != 0)
        start = clusters[i]
        text = utf8_text[offset + start : offset + ends[start]].decode(errors="replace")
        groups.append((bases[0] if bases else None, shown[0] if shown else None, text, j - i > 1))
        i = j

    texts: dict[int, tuple[str, bool]] = {}
    pending = ""
    last: int | None = None  # the previous carrier in visual order (left-to-right runs)
    for carrier, _first_shown, text, multi in groups:
        if carrier is None:
            if not rtl and last is not None:
                previous_text, _multi = texts[last]
                texts[last] = (previous_text + text, True)
            else:
                pending += text
            continue
        if pending:
            text, multi = (text + pending if rtl else pending + text), True
            pending = ""
        texts[carrier] = (text, multi)
        last = carrier
    if pending:  # marks at the edge of a run: their own glyph carries them
        index = next((g[1] for g in reversed(groups) if g[1] is not None), None)
        if index is not None and index not in texts:
            texts[index] = (pending, True)
    return texts


def resolve_glyph(font: Any, glyph: int, text: str, in_cluster: bool) -> int:
    """The glyph id to show for ``text``: the real one, or a substitute carrying ``text``.

    The first text a glyph is drawn with keeps the real id. A single-glyph cluster never takes
    a substitute for a glyph that reads back as other text (U+00A0 keeps reading as the space
    it shares a glyph with), except when the glyph reads back as nothing or as the text of a
    multi-glyph cluster (the skeleton of ة carries "ة" and is the whole of a final ه). Bitmap, CFF and colour fonts and ids beyond the font's
    own glyphs (missing glyphs) keep the first text, as before.
    """
    current = font.to_unicode.get(glyph)
    if current is None or current == text:
        font.to_unicode[glyph] = text
        if in_cluster:
            font.cluster_glyphs.add(glyph)
        return glyph
    if not (in_cluster or current == "" or glyph in font.cluster_glyphs):
        return glyph
    if glyph >= font.glyph_count or font.bitmap or font.png or font.svg or font.colr:
        return glyph
    if font.type == "otf":
        return glyph
    key = (glyph, text)
    if key not in font.aliases:
        alias = font.glyph_count + len(font.missing) + len(font.aliases)
        if alias > 2**16 - 1:
            return glyph
        font.aliases[key] = alias
        font.to_unicode[alias] = text
        if glyph in font.widths:
            font.widths[alias] = font.widths[glyph]
    return int(font.aliases[key])


def _embed_aliases(font: Any) -> None:
    """Add each substitute id to the font file as a composite of its real glyph.

    Ids reserved for missing glyphs share the id space above the font's glyphs and get
    ``.notdef``, so every id up to the highest substitute exists.
    """
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent, GlyphCoordinates

    sources = {alias: glyph for (glyph, _text), alias in font.aliases.items()}
    ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index)
    glyph_order = list(ttfont.getGlyphOrder())
    glyf, hmtx = ttfont["glyf"], ttfont["hmtx"]
    for alias in range(len(glyph_order), max(sources) + 1):
        source = glyph_order[sources.get(alias, 0)]
        name = f"lotse.alias{alias}"
        component = GlyphComponent()
        component.glyphName = source
        component.x = component.y = 0
        component.flags = 0x0204  # ARGS_ARE_XY_VALUES | USE_MY_METRICS
        composite = Glyph()
        composite.numberOfContours = -1
        composite.components = [component]
        composite.coordinates = GlyphCoordinates()
        glyf.glyphs[name] = composite
        hmtx.metrics[name] = hmtx.metrics[source]
        glyph_order.append(name)
    ttfont.setGlyphOrder(glyph_order)
    glyf.glyphOrder = glyph_order
    ttfont["maxp"].numGlyphs = len(glyph_order)
    ttfont["post"].formatType = 3.0  # no glyph names to keep consistent
    output = io.BytesIO()
    ttfont.save(output)
    font.file_content = output.getvalue()


def _get_unused_glyph_id(self: Any, codepoint: int) -> int:
    if codepoint not in self.missing:
        next_unused = self.glyph_count + len(self.missing) + len(self.aliases)
        if next_unused > 2**16 - 1:
            LOGGER.warning("Too many glyphs missing from %r", self.family)
            next_unused = 2**16 - 1
        self.missing[codepoint] = next_unused
    return int(self.missing[codepoint])


_original_clean = pdf_fonts.Font.clean
_original_subset = pdf_fonts.Font.subset


def _clean(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    if self.aliases:
        _embed_aliases(self)
    _original_clean(self, to_unicode, hinting)


def _subset(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    if self.aliases and to_unicode:
        # HarfBuzz subsets the original face and cannot see the substitutes; fontTools reads
        # the updated file (and keeps the composites' components).
        self._fonttools_subset(to_unicode, hinting)
        return
    _original_subset(self, to_unicode, hinting)


def _add_font(self: Any, pango_font: Any) -> Any:
    key, description, font_size = pdf_stream.get_pango_font_key(pango_font)
    if key not in self._fonts:
        font = pdf_fonts.Font(pango_font, description, font_size)
        font.aliases, font.cluster_glyphs = {}, set()
        for other in self._fonts.values():
            if other.hash == font.hash:
                # One file, one glyph space: the ids and texts of all its sizes are merged
                # into one ToUnicode map when the PDF is written.
                font.aliases, font.missing, font.to_unicode, font.cluster_glyphs = (
                    other.aliases,
                    other.missing,
                    other.to_unicode,
                    other.cluster_glyphs,
                )
                break
        self._fonts[key] = font
    return self._fonts[key], font_size


_original_build_box_tree = pdf_tags._build_box_tree


def _build_box_tree(box: Any, *args: Any) -> Any:
    """WeasyPrint's structure elements, with ``/Lang`` where the HTML element sets ``lang``.

    WeasyPrint 70 only writes the document language (``<html lang>``) into the catalog; a
    bilingual print-out needs the language of each part so that a screen reader switches voice.
    """
    lang = box.element.get("lang") if getattr(box, "element", None) is not None else None
    for element in _original_build_box_tree(box, *args):
        if lang and "Lang" not in element:
            element["Lang"] = pydyf.String(lang)
        yield element


def install() -> None:
    """Patch WeasyPrint 70.x once per process (idempotent)."""
    global _installed  # noqa: PLW0603
    if _installed:
        return
    if not weasyprint.__version__.startswith("70."):
        LOGGER.warning(
            "WeasyPrint %s: the text-layer fix for shaped scripts is made for 70.x and is "
            "not applied; run tests/agreements/test_pdf_text_layer.py",
            weasyprint.__version__,
        )
        _installed = True
        return
    pdf_fonts.Font.get_unused_glyph_id = _get_unused_glyph_id
    pdf_fonts.Font.clean = _clean
    pdf_fonts.Font.subset = _subset
    pdf_stream.Stream.add_font = _add_font
    draw_text_module.draw_first_line = draw_first_line
    pdf_tags._build_box_tree = _build_box_tree
    _installed = True


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """Draw the given ``textbox`` line to the document ``stream``."""
    # Don’t draw lines with only invisible characters.
    if not textbox.text.strip():
        return []

    if textbox.style["font_size"] < 1e-6:  # default float precision used by pydyf
        return []

    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)

    if text_overflow == "ellipsis" or block_ellipsis != "none":
        assert textbox.pango_layout.max_width is not None
        max_width = textbox.pango_layout.max_width
        pango.pango_layout_set_width(textbox.pango_layout.layout, int(max_width * TO_UNITS))
        if text_overflow == "ellipsis":
            pango.pango_layout_set_ellipsize(textbox.pango_layout.layout, pango.PANGO_ELLIPSIZE_END)
        else:
            if block_ellipsis == "auto":
                ellipsis = "…"
            else:
                assert block_ellipsis[0] == "string"
                ellipsis = block_ellipsis[1]

            # Remove last word if hyphenated.
            new_text = textbox.pango_layout.text
            if new_text.endswith(textbox.style["hyphenate_character"]):
                last_word_end = get_last_word_end(
                    new_text[: -len(textbox.style["hyphenate_character"])], textbox.style["lang"]
                )
                if last_word_end:
                    new_text = new_text[:last_word_end]

            textbox.pango_layout.set_text(new_text + ellipsis)

    first_line, index = textbox.pango_layout.get_first_line()

    if block_ellipsis != "none":
        while index:
            last_word_end = get_last_word_end(
                textbox.pango_layout.text[: -len(ellipsis)], textbox.style["lang"]
            )
            if last_word_end is None:
                break
            new_text = textbox.pango_layout.text[:last_word_end]
            textbox.pango_layout.set_text(new_text + ellipsis)
            first_line, index = textbox.pango_layout.get_first_line()

    stream.set_text_matrix(*matrix.values)
    previous_pango_font = None
    string = ""
    x_advance = 0
    emojis = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        # Get Pango objects.
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        glyphs_info = glyph_string.glyphs
        num_glyphs = glyph_string.num_glyphs
        clusters = glyph_string.log_clusters
        utf8_text = None

        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_pango_font:
            # Add font file content and get font size.
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)

            # Workaround for https://gitlab.gnome.org/GNOME/pango/-/issues/530.
            # This is also needed by raster emoji fonts, see #2800.
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style["font_size"]

            # Go through the run glyphs.
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
        string += "<"
        utf8_text = utf8_text or textbox.pango_layout.text.encode()
        cluster_texts = _cluster_texts(glyph_item, glyphs_info, clusters, num_glyphs, utf8_text)
        for i, glyph_info in enumerate(glyphs_info[0:num_glyphs]):
            glyph_id = glyph_info.glyph
            width = glyph_info.geometry.width

            # Display zero-width empty glyph.
            if glyph_id == pango.PANGO_GLYPH_EMPTY:
                string += f">{-width / font_size}<"
                continue

            # Display .notdef and log warning for missing glyphs.
            if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
                LOGGER.warning(
                    '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
                    chr(codepoint),
                    codepoint,
                )
                glyph_id = font.get_unused_glyph_id(codepoint)
                font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                if 0 not in font.widths:
                    # "width" is actually Pango’s get_approximate_char_width. Force
                    # .notdef’s to use this width, even if it’s not the right, as we
                    # want to keep Pango’s layout for next glyphs.
                    font.widths[0] = font.widths[glyph_id]

            # LOTSE: the first glyph of a cluster carries the cluster's text, the others
            # none; a glyph already carrying other text is shown under a substitute id.
            outline_glyph_id = glyph_id
            text, in_cluster = cluster_texts.get(i, ("", True))
            glyph_id = resolve_glyph(font, glyph_id, text, in_cluster)

            # Set horizontal and vertical offsets.
            offset = glyph_info.geometry.x_offset / font_size
            rise = glyph_info.geometry.y_offset / 1000
            if rise:
                if string[-1] == "<":
                    string = string[:-1]
                else:
                    string += ">"
                if string:
                    stream.show_text(string)
                stream.set_text_rise(-rise)
                string = ""
                if offset:
                    string = f"{-offset}"
                string += f"<{glyph_id:02x}>" if font.bitmap else f"<{glyph_id:04x}>"
                stream.show_text(string)
                stream.set_text_rise(0)
                string = "<"
            else:
                if offset:
                    string += f">{-offset}<"
                string += f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"

            # Get glyph logical widths.
            if glyph_id in font.widths:
                logical_width = font.widths[glyph_id]
            else:
                pango.pango_font_get_glyph_extents(
                    pango_font, outline_glyph_id, stream.ink_rect, stream.logical_rect
                )
                logical_width = font.widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * FROM_UNITS / font_size
                )

            # Set kerning, word spacing, letter spacing.
            kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
            if kerning:
                string += f">{int(kerning)}<"

            # Create list of emojis.
            if font.svg:
                svg_data = get_hb_object_data(font.hb_face, "svg", glyph_id)
                if svg_data:
                    # Do as explained in specification
                    # https://learn.microsoft.com/typography/opentype/spec/svg
                    tree = ElementTree.fromstring(svg_data)
                    if tree.get("id") != f"glyph{glyph_id}":
                        defs = ElementTree.Element("defs")
                        for child in list(tree):
                            defs.append(child)
                            tree.remove(child)
                        tree.append(defs)
                        ElementTree.SubElement(tree, "use", attrib={"href": f"#glyph{glyph_id}"})
                    if "viewBox" not in tree.attrib:
                        tree.attrib["viewBox"] = f"0 0 {font.upem} {font.upem}"
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    emojis.append([image, font, a, d, x_advance, 0])
            elif font.png:
                png_data = get_hb_object_data(font.hb_font, "png", glyph_id)
                if png_data:
                    pillow_image = Image.open(BytesIO(png_data))
                    image_id = f"{font.hash}{glyph_id}"
                    image = RasterImage(pillow_image, image_id, png_data)
                    d = logical_width / 1000
                    a = pillow_image.width / pillow_image.height * d
                    pango.pango_font_get_glyph_extents(
                        pango_font, glyph_id, stream.ink_rect, stream.logical_rect
                    )
                    f = -stream.logical_rect.y
                    f = f * FROM_UNITS / font_size - font_size
                    emojis.append([image, font, a, d, x_advance, f])
            elif font.colr:
                svg_data = get_hb_object_data(font.hb_font, "colr", glyph_id)
                if svg_data:
                    tree = ElementTree.fromstring(svg_data)
                    image = SVGImage(tree, None, None, None)
                    a = d = 1
                    e = x_advance - kerning
                    emojis.append([image, font, a, d, e, -textbox.baseline])

            x_advance += (logical_width + offset - kerning) / 1000

        # Close the last glyphs list, remove if empty.
        if string[-1] == "<":
            string = string[:-1]
        else:
            string += ">"

    # Draw text.
    stream.show_text(string)

    return emojis
