"""Report writing for the benchmark tools: a markdown table, a matplotlib figure, both saved."""

from typing import Sequence, Tuple


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list:
    """The lines of a GitHub markdown table (cells converted with ``str``)."""
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f'row has {len(row)} cells, the header {len(header)}: {row}')
        lines.append('| ' + ' | '.join(str(c) for c in row) + ' |')
    return lines


def write_markdown(lines: Sequence[str], path: str) -> str:
    """Write ``lines`` (one string per line) to ``path``; return the text."""
    text = '\n'.join(lines) + '\n'
    with open(path, 'w') as f:
        f.write(text)
    return text


def new_figure(figsize: Tuple[float, float]):  # noqa: ANN201 (matplotlib types)
    """A figure and axes on the file-only Agg backend (no display needed)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt.subplots(figsize=figsize)


def save_figure(fig, path: str) -> None:  # noqa: ANN001
    """Lay out, save at 120 dpi and close ``fig``."""
    import matplotlib.pyplot as plt
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


__all__ = ['markdown_table', 'new_figure', 'save_figure', 'write_markdown']
