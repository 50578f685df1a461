"""The tickets' QR symbols made by `qr_symbols`: the precomputed symbol is the textbook
encoder's, module for module, with the mask the standard's penalty rules choose, counted here
module by module; and every size a reader decodes."""

import random
import string

import pytest
import zxingcpp
from PIL import Image

from workers.mail.qr_symbols import LEVEL_M, MASKS, QrSymbol, capacity, reference_modules, symbol

ALPHABET = string.ascii_letters + string.digits + "-_"
# Every length versions 1 to 4 hold, some twice; a fixed seed: a failure names its code.
CODES = ["".join(random.Random(n).choice(ALPHABET) for _ in range(n % 62 + 1))
         for n in range(80)]


def modules(drawn: QrSymbol) -> list[list[int]]:
    return [[int(drawn.dark(r, c)) for c in range(drawn.size)] for r in range(drawn.size)]


def penalty(grid: list[list[int]]) -> int:
    """ISO/IEC 18004's four rules, one module at a time (outside the symbol is light)."""
    n, score = len(grid), 0
    for lines in (grid, [list(column) for column in zip(*grid, strict=True)]):
        for line in lines:
            run = 1
            for i in range(1, n + 1):
                if i < n and line[i] == line[i - 1]:
                    run += 1
                    continue
                score += 3 + run - 5 if run >= 5 else 0
                run = 1
            for x in range(n - 6):
                light = [line[i] == 0 for i in range(x - 4, x) if i >= 0]
                light_after = [line[i] == 0 for i in range(x + 7, x + 11) if i < n]
                if line[x:x + 7] == [1, 0, 1, 1, 1, 0, 1] and (all(light) or all(light_after)):
                    score += 40
    score += 3 * sum(grid[r][c] == grid[r][c + 1] == grid[r + 1][c] == grid[r + 1][c + 1]
                     for r in range(n - 1) for c in range(n - 1))
    dark = sum(map(sum, grid))
    return score + abs(2 * dark - n * n) * 10 // (n * n) * 10


@pytest.mark.parametrize("code", CODES)
def test_the_symbol_is_the_textbook_one_with_the_mask_of_least_penalty(code: str) -> None:
    drawn = modules(symbol(code))
    candidates = [reference_modules(code, mask) for mask in range(len(MASKS))]
    scores = [penalty(grid) for grid in candidates]
    assert drawn == candidates[scores.index(min(scores))]


@pytest.mark.parametrize("length", [1, 14, 15, 26, 27, 42, 43, 62])
def test_a_reader_decodes_each_version_at_level_m(length: int) -> None:
    code = "".join(random.Random(length).choice(ALPHABET) for _ in range(length))
    drawn = symbol(code)
    scale, quiet = 4, 4
    side = (drawn.size + 2 * quiet) * scale
    image = Image.new("L", (side, side), 255)
    for r in range(drawn.size):
        for c in range(drawn.size):
            if drawn.dark(r, c):
                image.paste(0, ((c + quiet) * scale, (r + quiet) * scale,
                                (c + quiet + 1) * scale, (r + quiet + 1) * scale))
    (found,) = zxingcpp.read_barcodes(image)
    version = next(v for v in LEVEL_M if length <= capacity(v))
    assert (found.text, found.format, found.ec_level) == (code, zxingcpp.BarcodeFormat.QRCode, "M")
    assert drawn.size == version.size


def test_a_code_longer_than_version_4_holds_is_made_all_the_same() -> None:
    code = "x" * 100
    drawn = symbol(code)
    assert drawn.size > LEVEL_M[-1].size
    assert sum(width for _, _, width in drawn.runs()) == sum(map(sum, modules(drawn)))
