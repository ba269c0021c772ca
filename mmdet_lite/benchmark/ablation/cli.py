"""The command line every ``tools/reproduce_*.py`` shares: a tool declares its rows
(:class:`AblationTool`) and :func:`ablation_main` parses, plans and runs the table."""

import argparse
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple, Union

from .runner import run_ablation
from .settings import AblationSettings


def ablation_parser(description: str, work_dir: str,
                    latency_shape: Sequence[int]) -> argparse.ArgumentParser:
    """The command-line options every ``tools/reproduce_*.py`` shares."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--work-dir', default=work_dir)
    parser.add_argument('--data', default='data/synthetic',
                        help='synthetic benchmark root (made if missing; the configs read '
                        'data/synthetic relative to the working directory)')
    parser.add_argument('--force', action='store_true', help='retrain the students')
    parser.add_argument('--force-teacher', action='store_true', help='retrain the teacher too')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='extra key=value overrides for every training run')
    parser.add_argument('--latency-shape', type=int, nargs=2, default=tuple(latency_shape),
                        metavar=('H', 'W'))
    parser.add_argument('--seeds', type=int, default=1,
                        help='train every row (the teacher excepted) with seeds 0 .. N-1')
    parser.add_argument('--only-seeds', type=int, nargs='+', metavar='K',
                        help='train only these of the seeds 0 .. N-1 (the teacher still first): '
                        'to split one table across processes or machines sharing the work dir; '
                        'then --report-only for the whole table')
    parser.add_argument('--report-only', action='store_true',
                        help='train nothing: report the results already in the work dir')
    return parser


def settings_from_args(args: argparse.Namespace, root: str, title: str,
                       note: str) -> AblationSettings:
    """The settings of the options of :func:`ablation_parser` (parsed)."""
    return AblationSettings(
        work_dir=args.work_dir, root=root, data=args.data, force=args.force,
        force_teacher=args.force_teacher, cfg_options=tuple(args.cfg_options),
        latency_shape=tuple(args.latency_shape), title=title, note=note, seeds=args.seeds,
        only_seeds=args.only_seeds, report_only=args.report_only)


@dataclass(frozen=True)
class AblationTool:
    """What a ``tools/reproduce_*.py`` declares; :func:`ablation_main` does the rest.

    ``root`` is the repository (the rows' configs are relative to it); ``description``,
    ``work_dir`` and ``latency_shape`` are the parser's description and defaults; ``rows`` the
    ``--rows`` choices and ``default_rows`` the default; ``runs`` the run specs
    (:func:`run_ablation`) of the parsed arguments; ``title`` (a string or a function of the
    parsed arguments) and ``note`` the report's. ``add_arguments`` adds a tool's own options.
    """

    root: str
    description: str
    work_dir: str
    latency_shape: Tuple[int, int]
    rows: Sequence[str]
    default_rows: Sequence[str]
    runs: Callable[[argparse.Namespace], List[dict]]
    title: Union[str, Callable[[argparse.Namespace], str]]
    note: str = ''
    rows_help: Optional[str] = None
    add_arguments: Optional[Callable[[argparse.ArgumentParser], None]] = None

    def parser(self) -> argparse.ArgumentParser:
        """The shared options, ``--rows`` and the tool's own."""
        parser = ablation_parser(self.description, self.work_dir, self.latency_shape)
        parser.add_argument('--rows', nargs='+', choices=list(self.rows),
                            default=list(self.default_rows), help=self.rows_help)
        if self.add_arguments is not None:
            self.add_arguments(parser)
        return parser


def ablation_main(tool: AblationTool, argv: Optional[List[str]] = None) -> str:
    """Parse ``argv`` with ``tool``'s parser, run (or report) its table; return the report."""
    args = tool.parser().parse_args(argv)
    title = tool.title(args) if callable(tool.title) else tool.title
    return run_ablation(tool.runs(args), settings_from_args(args, tool.root, title, tool.note))


__all__ = ['AblationTool', 'ablation_main', 'ablation_parser', 'settings_from_args']
