"""Generated documents: PDF from a template (WeasyPrint, with the Debian CJK fonts) and Word files
(python-docx) whose East Asian font is set, so Chinese renders in both."""

import io

from django.template.loader import render_to_string

PDF_STYLE = """
@page { size: A4; margin: 22mm 20mm; @bottom-center { content: counter(page) " / " counter(pages);
        font-size: 9pt; color: #666; } }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 11pt; line-height: 1.6; }
h1 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 18pt; text-align: center; margin-bottom: 6mm; }
h2 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 13pt; margin-top: 6mm; }
table { width: 100%; border-collapse: collapse; margin: 3mm 0; }
th, td { border: 0.5pt solid #444; padding: 1.5mm 2mm; vertical-align: top; font-size: 10pt; }
th { background: #eee; font-family: "Noto Sans CJK SC", sans-serif; text-align: left; }
.right { text-align: right; } .muted { color: #555; } .seal { margin-top: 14mm; text-align: right; }
"""
WORD_FONT = "SimSun"   # 宋体: present on every Chinese Windows and WPS installation


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=PDF_STYLE)])


def word_document(*, title: str, blocks: list[tuple]) -> bytes:
    """A Word file from blocks: ("heading", text), ("paragraph", text), ("table", headers, rows),
    ("right", text) for a right-aligned line (signature, date)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = Document()
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = WORD_FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), WORD_FONT)
    heading = document.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in blocks:
        kind = block[0]
        if kind == "heading":
            document.add_heading(block[1], level=1)
        elif kind == "paragraph":
            document.add_paragraph(block[1])
        elif kind == "right":
            document.add_paragraph(block[1]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind == "table":
            headers, rows = block[1], block[2]
            table = document.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            for cell, header in zip(table.rows[0].cells, headers, strict=True):
                cell.text = str(header)
            for row in rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = "" if value is None else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
