"""The RSS samples as a self-contained HTML page with an inline SVG chart (no plotting library)."""

import html
from typing import Any

from bench.chaos.memory import Sample

WIDTH, HEIGHT, PAD = 900, 420, 50
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def svg(samples: list[Sample], faults: list[dict[str, Any]]) -> str:
    """Lines of MB over minutes, one per process; fault starts as dashed verticals."""
    begin = samples[0]["t"]
    span = max(1.0, samples[-1]["t"] - begin)
    top = max([mb for s in samples for mb in s["mb"].values()] + [1.0]) * 1.1
    labels = sorted({label for s in samples for label in s["mb"]})

    def x(t: float) -> float:
        return float(PAD + (t - begin) / span * (WIDTH - 2 * PAD))

    def y(mb: float) -> float:
        return float(HEIGHT - PAD - mb / top * (HEIGHT - 2 * PAD))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH + 160}" height="{HEIGHT}" '
             'font-family="sans-serif" font-size="11">',
             '<rect width="100%" height="100%" fill="white"/>',
             f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
             'stroke="black"/>',
             f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="black"/>']
    for i in range(6):
        mb = top * i / 5
        parts.append(f'<text x="{PAD - 5}" y="{y(mb) + 4:.0f}" text-anchor="end">{mb:.0f}</text>')
        minutes = span * i / 5 / 60
        parts.append(f'<text x="{x(begin + span * i / 5):.0f}" y="{HEIGHT - PAD + 15}" '
                     f'text-anchor="middle">{minutes:.1f}</text>')
    parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT - 10}" text-anchor="middle">minutes</text>'
                 f'<text x="12" y="{PAD - 10}">RSS MB</text>')
    for f in faults:
        fx = x(f["start"])
        parts.append(f'<line x1="{fx:.1f}" y1="{PAD}" x2="{fx:.1f}" y2="{HEIGHT - PAD}" '
                     'stroke="grey" stroke-dasharray="4"/>'
                     f'<text x="{fx + 2:.1f}" y="{PAD + 10}" fill="grey">'
                     f'{html.escape(f["kind"])}</text>')
    for i, label in enumerate(labels):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(f"{x(s['t']):.1f},{y(s['mb'][label]):.1f}"
                          for s in samples if label in s["mb"])
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" '
                     f'points="{points}"/>')
        parts.append(f'<rect x="{WIDTH - PAD + 20}" y="{PAD + 16 * i}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{WIDTH - PAD + 34}" y="{PAD + 16 * i + 9}">'
                     f'{html.escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def page(samples: list[Sample], faults: list[dict[str, Any]], title: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title></head><body><h1>{html.escape(title)}</h1>{svg(samples, faults)}"
            "</body></html>\n")
