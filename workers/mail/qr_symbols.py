"""A ticket code's QR symbol (ISO/IEC 18004): byte mode, error correction level M, the smallest
of versions 1 to 4 that holds it (up to 62 bytes; the ledger's codes are 22), and the mask the
standard's penalty rules choose, so that a worn or badly lit print still scans.

Why made here rather than by a general encoder: a confirmation draws a QR code per ticket, and
choosing the mask among eight (each scored on every module) was the largest part of a buyer's
message after the page itself. Everything in a symbol but its mask and format bits is linear
over GF(2) in the payload's bits: the data codewords, their Reed-Solomon remainder (a linear
map of them) and the places both are drawn at. So each version's symbol is precomputed, once
per process and version, as an integer of bits per payload byte's position and value, by the
plain encoder below (`reference_modules` draws a whole symbol the textbook way, and the tests
check the two agree); a code's symbol is then the XOR of one look-up per byte, each mask one
XOR more, and the penalty rules are counted on all rows (and, in a transposed copy, all
columns) at once with integer bit operations. A longer code, which the ledger does not make,
is encoded by zxing-cpp.

A symbol is kept as its rows of bits, a bit a module (1: dark), each row `STRIDE` bits, top to
bottom: the image mask a PDF draws it with, as it is.
"""

import re
from collections.abc import Callable
from functools import cache, reduce
from operator import xor
from typing import NamedTuple

import zxingcpp

STRIDE = 40  # bits a row takes: 8-bit aligned, and at least 4 light bits past the widest row
DARK_RUN = re.compile("1+")
MARGIN = 8  # light bits below the last row and above the first, for the penalty's look-arounds


class Version(NamedTuple):
    """A version's size and its codewords at error correction level M."""

    number: int
    size: int  # modules a side
    data: int  # data codewords, all blocks together
    ec_per_block: int
    blocks: int
    alignment: int | None  # the row and column of its one alignment pattern's centre, if any


LEVEL_M = (Version(1, 21, 16, 10, 1, None), Version(2, 25, 28, 16, 1, 18),
           Version(3, 29, 44, 26, 1, 22), Version(4, 33, 64, 18, 2, 26))
LEVEL_M_BITS = 0b00  # the level's two bits in the format information
BYTE_MODE = 0b0100
HEADER_BITS = 12  # the mode (4 bits) and the byte count (8, in versions 1 to 9)
PAD_CODEWORDS = (0xEC, 0x11)
FORMAT_MASK = 0x5412
FORMAT_GENERATOR = 0x537
GF_POLYNOMIAL = 0x11D
# The penalty rules' weights (the standard's N1 to N4).
RUN_PENALTY, BLOCK_PENALTY, FINDER_PENALTY, BALANCE_PENALTY = 3, 3, 40, 10
MASKS: tuple[Callable[[int, int], bool], ...] = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: r * c % 2 + r * c % 3 == 0,
    lambda r, c: (r * c % 2 + r * c % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + r * c % 3) % 2 == 0,
)


class QrSymbol(NamedTuple):
    """A symbol's modules: `size` rows of `stride` bits each in `image`, top to bottom, the
    first `size` bits of a row its modules (1: dark), the rest light."""

    size: int
    stride: int
    image: bytes

    def dark(self, row: int, column: int) -> bool:
        bit = row * self.stride + column
        return bool(self.image[bit >> 3] >> (7 - (bit & 7)) & 1)

    def runs(self) -> list[tuple[int, int, int]]:
        """The runs of dark modules, (column, row, width), row by row."""
        width = self.stride // 8
        return [(run.start(), row, run.end() - run.start())
                for row in range(self.size)
                for run in DARK_RUN.finditer(format(int.from_bytes(
                    self.image[row * width:(row + 1) * width], "big"), f"0{self.stride}b"))]


def symbol(code: str) -> QrSymbol:
    """The code's QR symbol."""
    payload = code.encode()
    version = next((v for v in LEVEL_M if len(payload) <= capacity(v)), None)
    if version is None:
        return encoded_by_zxing(code)
    tables = tables_of(version.number)
    rows, columns = tables.constant(len(payload))
    rows ^= reduce(xor, map(list.__getitem__, tables.rows, payload), 0)
    columns ^= reduce(xor, map(list.__getitem__, tables.columns, payload), 0)
    best = min(range(len(MASKS)), key=lambda m: tables.penalty(rows ^ tables.masked_rows[m],
                                                              columns ^ tables.masked_columns[m]))
    drawn = rows ^ tables.masked_rows[best]
    return QrSymbol(version.size, STRIDE,
                    drawn.to_bytes(tables.bits // 8, "big")[1:1 + version.size * STRIDE // 8])


def capacity(version: Version) -> int:
    """The most bytes the version holds in byte mode at level M."""
    return (8 * version.data - HEADER_BITS) // 8


class Tables:
    """A version's precomputed symbol: per payload byte's position a list of 256 integers (a
    value's modules, in rows and in columns), per mask its modules and format bits, and the
    bit masks the penalty rules count with.

    Bit layout: module (r, c) of the rows' integer is bit MARGIN + (size - 1 - r) * STRIDE +
    (STRIDE - 1 - c), so that `to_bytes(..., "big")` writes the rows top to bottom, each from
    its first module; the columns' integer is the same with r and c swapped. Mirroring changes
    no penalty: every rule is symmetric."""

    def __init__(self, version: Version) -> None:
        self.version = version
        size = version.size
        self.bits = 2 * MARGIN + size * STRIDE
        self.everything = (1 << self.bits) - 1
        dark, reserved = function_patterns(version)
        self.places = data_places(version, reserved)
        self.patterns = both(version, [(r, c) for r in range(size) for c in range(size)
                                       if dark[r][c]])
        self.masked_rows: list[int] = []
        self.masked_columns: list[int] = []
        for mask in range(len(MASKS)):
            modules = [(r, c) for r in range(size) for c in range(size)
                       if not reserved[r][c] and MASKS[mask](r, c)]
            bits = format_bits(mask)
            modules += [(r, c) for i, r, c in format_places(size) if bits >> i & 1]
            masked = both(version, modules)
            self.masked_rows.append(masked[0])
            self.masked_columns.append(masked[1])
        self.rows, self.columns = self.byte_tables()
        # (r, c) and the module before it in its row (c >= 1); the one above it (r >= 1).
        self.row_pairs = bit_mask(version, [(r, c) for r in range(size) for c in range(1, size)])
        self.column_pairs = bit_mask(version, [(r, c) for r in range(1, size)
                                               for c in range(size)])

    def byte_tables(self) -> tuple[list[list[int]], list[list[int]]]:
        """Per payload byte's position, each value's modules (rows, columns): the XOR of its
        set bits' modules, each bit's being the codewords' bits it sets once the remainder is
        added and the blocks are interleaved."""
        version = self.version
        rows: list[list[int]] = []
        columns: list[list[int]] = []
        for position in range(capacity(version)):
            by_value_rows, by_value_columns = [0] * 256, [0] * 256
            for value in range(1, 256):
                lowest = value & -value
                if value == lowest:
                    stream_bit = HEADER_BITS + 8 * position + 7 - (lowest.bit_length() - 1)
                    words = [0] * version.data
                    words[stream_bit // 8] = 1 << (7 - stream_bit % 8)
                    by_value_rows[value], by_value_columns[value] = self.modules_of(words)
                else:
                    by_value_rows[value] = by_value_rows[value ^ lowest] ^ by_value_rows[lowest]
                    by_value_columns[value] = (by_value_columns[value ^ lowest]
                                               ^ by_value_columns[lowest])
            rows.append(by_value_rows)
            columns.append(by_value_columns)
        return rows, columns

    def modules_of(self, data_words: list[int]) -> tuple[int, int]:
        """The modules (rows, columns) that data codewords' bits and their remainder's set,
        unmasked."""
        words = with_error_correction(data_words, self.version)
        return both(self.version, [place for i, place in enumerate(self.places)
                                   if i < 8 * len(words) and words[i >> 3] >> (7 - (i & 7)) & 1])

    @cache  # noqa: B019 - a version's tables live as long as the process
    def constant(self, length: int) -> tuple[int, int]:
        """The modules (rows, columns) of a payload of `length` zero bytes, unmasked, with the
        function patterns: what every payload of that length shares."""
        rows, columns = self.modules_of(data_codewords(bytes(length), self.version))
        return rows ^ self.patterns[0], columns ^ self.patterns[1]

    def penalty(self, rows: int, columns: int) -> int:
        """The standard's penalty score of a masked symbol, given in both layouts."""
        size = self.version.size
        dark = rows.bit_count()
        balance = abs(2 * dark - size * size) * 10 // (size * size) * BALANCE_PENALTY
        # The columns' integer lays the columns out as rows: rules 1 and 3 count them alike.
        return (self.lines_penalty(rows) + self.lines_penalty(columns)
                + self.blocks_penalty(rows) + balance)

    def lines_penalty(self, dark: int) -> int:
        """Rules 1 and 3 along the layout's rows: each run of five or more modules of one colour
        (3, plus 1 for each module past five), and each 1:1:3:1:1 dark-light pattern with four
        light modules on one side or the other (40; outside the symbol is light)."""
        same = ~(dark ^ (dark >> 1)) & self.row_pairs  # a module the same as the one before
        fives = same & (same >> 1) & (same >> 2) & (same >> 3)
        runs = fives & ~(fives << 1)
        light = dark ^ self.everything
        core = (dark & (light >> 1) & (dark >> 2) & (dark >> 3) & (dark >> 4) & (light >> 5)
                & (dark >> 6))
        two = light & (light >> 1)
        four = two & (two >> 2)
        finders = core & ((four >> 7) | (four << 4))
        return (fives.bit_count() + (RUN_PENALTY - 1) * runs.bit_count()
                + FINDER_PENALTY * finders.bit_count())

    def blocks_penalty(self, dark: int) -> int:
        """Rule 2: each 2 x 2 block of one colour (3)."""
        same = ~(dark ^ (dark >> 1)) & self.row_pairs
        below = ~(dark ^ (dark >> STRIDE)) & self.column_pairs
        return BLOCK_PENALTY * (same & (same >> STRIDE) & below).bit_count()


@cache
def tables_of(version: int) -> Tables:
    return Tables(LEVEL_M[version - 1])


def both(version: Version, modules: list[tuple[int, int]]) -> tuple[int, int]:
    """The modules as the rows' integer and the columns' (`Tables`)."""
    return (bit_mask(version, modules),
            bit_mask(version, [(c, r) for r, c in modules]))


def bit_mask(version: Version, modules: list[tuple[int, int]]) -> int:
    last = version.size - 1
    return sum(1 << (MARGIN + (last - r) * STRIDE + STRIDE - 1 - c) for r, c in set(modules))


# The plain encoder: the standard's steps one by one, for the tables and the tests.

def reference_modules(code: str, mask: int) -> list[list[int]]:
    """The code's symbol with the given mask, drawn module by module."""
    payload = code.encode()
    version = next(v for v in LEVEL_M if len(payload) <= capacity(v))
    dark, reserved = function_patterns(version)
    words = with_error_correction(data_codewords(payload, version), version)
    for i, (r, c) in enumerate(data_places(version, reserved)):
        bit = words[i >> 3] >> (7 - (i & 7)) & 1 if i < 8 * len(words) else 0
        dark[r][c] = bit ^ MASKS[mask](r, c)
    bits = format_bits(mask)
    for i, r, c in format_places(version.size):
        dark[r][c] = bits >> i & 1
    return dark


def function_patterns(version: Version) -> tuple[list[list[int]], list[list[bool]]]:
    """The finder patterns with their separators, the timing patterns, the alignment pattern,
    the dark module, and the format information's places (reserved, light here)."""
    size = version.size
    dark = [[0] * size for _ in range(size)]
    reserved = [[False] * size for _ in range(size)]

    def put(r: int, c: int, is_dark: bool) -> None:
        dark[r][c], reserved[r][c] = int(is_dark), True

    for i in range(size):
        put(6, i, i % 2 == 0)
        put(i, 6, i % 2 == 0)
    for centre_r, centre_c in ((3, 3), (3, size - 4), (size - 4, 3)):
        for dr in range(-4, 5):
            for dc in range(-4, 5):
                if 0 <= centre_r + dr < size and 0 <= centre_c + dc < size:
                    put(centre_r + dr, centre_c + dc, max(abs(dr), abs(dc)) not in (2, 4))
    if version.alignment is not None:
        for dr in range(-2, 3):
            for dc in range(-2, 3):
                put(version.alignment + dr, version.alignment + dc, max(abs(dr), abs(dc)) != 1)
    for _, r, c in format_places(size):
        reserved[r][c] = True
    put(size - 8, 8, True)
    return dark, reserved


def format_places(size: int) -> list[tuple[int, int, int]]:
    """Each format bit's two places: (bit, row, column)."""
    first = ([(i, i, 8) for i in range(6)] + [(6, 7, 8), (7, 8, 8), (8, 8, 7)]
             + [(i, 8, 14 - i) for i in range(9, 15)])
    second = [(i, 8, size - 1 - i) for i in range(8)] + [(i, size - 15 + i, 8)
                                                         for i in range(8, 15)]
    return first + second


def format_bits(mask: int) -> int:
    """The level's and the mask's 15 format bits, with their BCH code, masked."""
    data = LEVEL_M_BITS << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * FORMAT_GENERATOR)
    return (data << 10 | remainder) ^ FORMAT_MASK


def data_places(version: Version, reserved: list[list[bool]]) -> list[tuple[int, int]]:
    """The modules the codewords' bits go to, in order: two columns at a time from the right,
    up then down, skipping the vertical timing pattern and every reserved module."""
    size = version.size
    places = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = (right + 1) & 2 == 0
        for step in range(size):
            r = size - 1 - step if upward else step
            places += [(r, c) for c in (right, right - 1) if not reserved[r][c]]
        right -= 2
    return places


def data_codewords(payload: bytes, version: Version) -> list[int]:
    """The mode, the count, the bytes, the terminator and the padding, as codewords."""
    bits = f"{BYTE_MODE:04b}{len(payload):08b}" + "".join(f"{b:08b}" for b in payload)
    room = 8 * version.data
    bits += "0" * min(4, room - len(bits))
    bits += "0" * (-len(bits) % 8)
    words = [int(bits[i:i + 8], 2) for i in range(0, len(bits), 8)]
    return words + [PAD_CODEWORDS[i % 2] for i in range(version.data - len(words))]


def with_error_correction(data: list[int], version: Version) -> list[int]:
    """The data codewords split into the version's (equal) blocks, each block's Reed-Solomon
    codewords added, and both interleaved block by block."""
    length = version.data // version.blocks
    blocks = [data[i * length:(i + 1) * length] for i in range(version.blocks)]
    corrections = [remainder(block, version.ec_per_block) for block in blocks]
    return ([block[i] for i in range(length) for block in blocks]
            + [ec[i] for i in range(version.ec_per_block) for ec in corrections])


def remainder(data: list[int], degree: int) -> list[int]:
    """The Reed-Solomon codewords of `data` (GF(256), the generator's roots 2^0 to
    2^(degree - 1))."""
    divisor = generator(degree)
    result = [0] * degree
    for byte in data:
        factor = byte ^ result.pop(0)
        result.append(0)
        if factor:
            log_factor = LOG[factor]
            result = [r ^ EXP[LOG[d] + log_factor] if d else r
                      for r, d in zip(result, divisor, strict=True)]
    return result


@cache
def generator(degree: int) -> list[int]:
    """The generator polynomial's coefficients, highest first, the leading 1 left out."""
    result = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for j in range(degree):
            result[j] = multiply(result[j], root)
            if j + 1 < degree:
                result[j] ^= result[j + 1]
        root = multiply(root, 2)
    return result


def multiply(x: int, y: int) -> int:
    """x * y in GF(256)."""
    z = 0
    for i in reversed(range(8)):
        z = (z << 1) ^ ((z >> 7) * GF_POLYNOMIAL)
        z ^= ((y >> i) & 1) * x
    return z


def powers() -> tuple[list[int], list[int]]:
    exp, log = [0] * 512, [0] * 256
    value = 1
    for i in range(255):
        exp[i] = exp[i + 255] = value
        log[value] = i
        value = multiply(value, 2)
    return exp, log


EXP, LOG = powers()


def encoded_by_zxing(code: str) -> QrSymbol:
    """A code longer than version 4 holds, by zxing-cpp (one byte a module, 0 dark)."""
    made = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(made.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]
    size = (image.shape or (0, 0))[0]
    pixels = image.tobytes()
    stride = (size + 7) // 8 * 8
    rows = b"".join(
        int("".join("1" if pixels[r * size + c] == 0 else "0" for c in range(size))
            .ljust(stride, "0"), 2).to_bytes(stride // 8, "big")
        for r in range(size))
    return QrSymbol(size, stride, rows)
