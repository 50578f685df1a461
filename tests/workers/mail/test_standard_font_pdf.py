"""The PDF written directly for tickets in the standard faces, as a strict reader and a viewer
take it: its objects where its table says, its title, its text as written (the signs a PDF
string escapes included), and its lines laid out on the page."""

import io

import pypdf
import pypdfium2

from workers.mail.standard_font_pdf import MONO_BOLD, SANS, SANS_BOLD, StandardFontPdf

PAGE_MM = (148.0, 210.0)


def test_a_strict_reader_finds_every_object_its_title_and_its_pages() -> None:
    document = StandardFontPdf(PAGE_MM, "Tickets: Jazz (late) \\ night")
    for page in range(3):
        document.add_page()
        document.paragraph(SANS_BOLD, 18, 9, f"Page {page + 1}")
    pdf = document.output()

    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)  # a wrong offset raises
    assert reader.metadata is not None and reader.metadata.title == "Tickets: Jazz (late) \\ night"
    assert [page.extract_text() for page in reader.pages] == ["Page 1", "Page 2", "Page 3"]
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.endswith(b"%%EOF\n")


def test_text_is_drawn_as_written_in_each_face_latin_1_included() -> None:
    document = StandardFontPdf(PAGE_MM, "t")
    document.add_page()
    texts = ["Café Zürich (Saal 2) \\ Ñandú", "Category: Balcón « A »", "Ab0_-Cd9"]
    for face, text in zip([SANS_BOLD, SANS, MONO_BOLD], texts, strict=True):
        document.paragraph(face, 12, 7, text)

    (page,) = pypdf.PdfReader(io.BytesIO(document.output())).pages
    assert page.extract_text().splitlines() == texts


def test_lines_are_placed_down_the_page_and_a_centred_one_in_its_middle() -> None:
    document = StandardFontPdf(PAGE_MM, "t")
    document.add_page()
    document.paragraph(SANS, 12, 7, "Left")
    document.paragraph(MONO_BOLD, 11, 6, "CENTRED", centred=True)
    assert document.y == 10 + 7 + 6  # the top margin and the two lines' heights

    rendered = pypdfium2.PdfDocument(document.output())
    try:
        page = rendered[0]
        text = page.get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())
                 if not text.get_text_range(i, 1).isspace()]
        width = page.get_width()
    finally:
        rendered.close()
    left, centred = boxes[:4], boxes[4:]
    assert 30 < left[0][0] < 35  # 11 mm: the margin and a cell's inner margin
    assert left[0][1] > centred[0][1]  # the second line lower on the page (PDF's y goes up)
    middle = (centred[0][0] + centred[-1][2]) / 2
    assert abs(middle - width / 2) < 3
