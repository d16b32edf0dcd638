"""Medians, spreads, verdicts, units and fixed-width tables."""
import statistics

median = statistics.median


def spread(values):
    """(max - min) / median: how much the rounds of one figure differ (0 for
    figures that are all 0: a load that got no answer at all)."""
    middle = median(values)
    return (max(values) - min(values)) / middle if middle else 0.0


def verdict(ok):
    return "MET" if ok else "NOT MET"


def rate(figure):
    """A req/s as the tables print it: no decimals, but one below 100."""
    return f"{figure:.1f}" if figure < 100 else f"{figure:.0f}"


def mib(size_bytes):
    return f"{size_bytes / 1048576:.1f}"


class Table:
    """Fixed-width columns: the first left-aligned, the others right-aligned; a
    line's trailing spaces are cut."""

    def __init__(self, run, widths, indent="  "):
        self.run, self.widths, self.indent = run, widths, indent

    def line(self, *cells):
        parts = [f"{cells[0]:<{self.widths[0]}}"]
        parts += [f"{cell:>{width}}" for cell, width in zip(cells[1:], self.widths[1:])]
        self.run.say((self.indent + " ".join(parts)).rstrip())
