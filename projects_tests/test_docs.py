"""The documentation's commands exist and start (``make docs-check``).

From README.md, docs/**/*.md and configs/*/README.md: every ``configs/...py`` and ``tools/...``
path mentioned exists, every ``make X`` target has a rule in the Makefile, every config a
``mim train/test mmdet_lite NAME.py`` names by basename is in configs/, every ``python tools/X.py``
answers ``--help`` (all in one subprocess: they import torch), and ``mim search mmdet_lite`` reads
the model index when there is one. Commands are read from code (fenced blocks and inline code
spans); a path with a placeholder (``DATA``, ``CONFIG``, ``*``, ``<...>``, ``...``) is not a path,
and ``{a,b}`` is expanded as the shell does.
"""

import glob
import json
import os
import os.path as osp
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from typing import Dict, Iterator, List, NamedTuple

import pytest

from projects_tests.conftest import REPO_ROOT

FENCE = re.compile(r'^[ \t]*(```|~~~)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$', re.S | re.M)
INLINE = re.compile(r'(`+)(?!`)(.+?)(?<!`)\1(?!`)', re.S)
PATH = re.compile(r'(?<![\w./-])(?:\./)?((?:configs|tools)/(?:\{[^{}\s]*\}|[^\s`\'"()|;,:{}])+?'
                  r'\.(?:py|sh))(?![\w/-]|\.\w)')
PLACEHOLDER = re.compile(r'[A-Z]{2,}|[*<>\[\]$]|\.\.\.|…')
PYTHON = re.compile(r'^(?:\S*/)?python(?:3(?:\.\d+)?)?$')
OPTIONAL_MODULES = ('mmdeploy', 'tensorrt', 'pycuda', 'cuda')  # extras, not the base install


class Command(NamedTuple):
    source: str  # file:line
    argv: tuple


def doc_files(root: str) -> List[str]:
    files = [osp.join(root, 'README.md')] if osp.isfile(osp.join(root, 'README.md')) else []
    files += sorted(glob.glob(osp.join(root, 'docs', '**', '*.md'), recursive=True))
    files += sorted(glob.glob(osp.join(root, 'configs', '*', 'README.md')))
    return files


def code_lines(text: str) -> Iterator[tuple]:
    """``(line number, code)``: each line of a fenced block (backslash continuations joined,
    comments dropped) and each inline code span outside the fences."""
    prose = text
    for block in FENCE.finditer(text):
        first = text.count('\n', 0, block.start(2)) + 1
        joined, start = '', None
        for offset, line in enumerate(block.group(2).split('\n')):
            start = first + offset if start is None else start
            joined += line.rstrip()
            if joined.endswith('\\'):
                joined = joined[:-1] + ' '
                continue
            yield start, joined
            joined, start = '', None
        prose = prose.replace(block.group(0), '\n' * block.group(0).count('\n'), 1)
    for span in INLINE.finditer(prose):
        yield prose.count('\n', 0, span.start()) + 1, ' '.join(span.group(2).split())


def segments(code: str) -> Iterator[List[str]]:
    """The simple commands of a line of shell: words split at ``;``, ``&&``, ``|``, ``$(``,
    ``)`` (quotes respected, comments dropped)."""
    lexer = shlex.shlex(code, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:  # an unbalanced quote in a fragment of prose
        tokens = code.split('#')[0].split()
    words = []
    for token in tokens + [';']:
        if token and set(token) <= set(';&|()<>'):
            yield words
            words = []
        elif token != '$':
            words.append(token)


def commands(path: str, root: str) -> Iterator[Command]:
    """The ``make``, ``python tools/...`` and ``mim`` commands of one markdown file."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    rel = osp.relpath(path, root)
    for lineno, code in code_lines(text):
        for words in segments(code):
            while words and (re.match(r'^\w+=', words[0]) or words[0] in ('sudo', 'time')):
                words = words[1:]  # VAR=value, sudo, time before the command
            if not words:
                continue
            words = [w[2:] if w.startswith('./tools/') else w for w in words]
            is_tool = PYTHON.match(words[0]) and len(words) > 1 and words[1].startswith('tools/')
            if words[0] in ('make', 'mim') or is_tool:
                yield Command(f'{rel}:{lineno}', tuple(words))


def expand_braces(path: str) -> List[str]:
    """``a{b,c}d`` -> ``abd``, ``acd`` (nested and repeated groups too)."""
    match = re.search(r'\{([^{}]*,[^{}]*)\}', path)
    if not match:
        return [path]
    return [p for alt in match.group(1).split(',')
            for p in expand_braces(path[:match.start()] + alt + path[match.end():])]


def mentioned_paths(path: str, root: str) -> Iterator[tuple]:
    """``(file:line, path)`` for every ``configs/...py`` and ``tools/...(py|sh)`` in the file."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    rel = osp.relpath(path, root)
    for match in PATH.finditer(text):
        lineno = text.count('\n', 0, match.start()) + 1
        for candidate in expand_braces(match.group(1)):
            if not PLACEHOLDER.search(candidate):
                yield f'{rel}:{lineno}', candidate


def make_targets(argv: tuple) -> List[str]:
    return [w for w in argv[1:] if not w.startswith('-') and '=' not in w
            and not PLACEHOLDER.search(w)]


def missing_make_rules(root: str, targets: Dict[str, str]) -> List[str]:
    """Targets with no rule: ``make -q`` exits 2 for those (0/1: up to date / to be made)."""
    problems = []
    for target, where in sorted(targets.items()):
        run = subprocess.run(['make', '-q', '-C', root, target], capture_output=True, text=True,
                             timeout=30)
        if run.returncode == 2:
            problems.append(f'{where}: `make {target}`: {run.stderr.strip() or "no rule"}')
    return problems


def mim_config_problems(root: str, cmd: Command, basenames: set) -> List[str]:
    """``mim train/test mmdet_lite NAME.py``: a bare NAME.py must be a config of configs/."""
    argv = cmd.argv
    if len(argv) < 4 or argv[1] not in ('train', 'test') or argv[2] != 'mmdet_lite':
        return []
    config = argv[3]
    if '/' in config or not config.endswith('.py') or PLACEHOLDER.search(config):
        return []  # a path: checked with the paths; a placeholder
    if config not in basenames:
        return [f'{cmd.source}: `{" ".join(argv)}`: no config named {config} in configs/']
    return []


def static_problems(root: str) -> List[str]:
    """Everything the documents name that does not exist: paths, make rules, mim configs."""
    files = doc_files(root)
    problems = [f'{where}: {p} does not exist' for f in files
                for where, p in mentioned_paths(f, root) if not osp.exists(osp.join(root, p))]
    cmds = [c for f in files for c in commands(f, root)]
    basenames = {osp.basename(p) for p in
                 glob.glob(osp.join(root, 'configs', '**', '*.py'), recursive=True)}
    targets = {}
    for cmd in cmds:
        if cmd.argv[0] == 'make':
            for target in make_targets(cmd.argv):
                targets.setdefault(target, cmd.source)
        elif cmd.argv[0] == 'mim':
            problems += mim_config_problems(root, cmd, basenames)
    if targets and shutil.which('make') is None:
        problems.append('`make` is not installed: cannot check the make targets')
    elif targets:
        problems += missing_make_rules(root, targets)
    return problems


def documented_tools(root: str) -> Dict[str, str]:
    """``tools/X.py`` run with python in the documents -> where first."""
    found = {}
    for f in doc_files(root):
        for cmd in commands(f, root):
            if PYTHON.match(cmd.argv[0]) and cmd.argv[1].endswith('.py') \
                    and not PLACEHOLDER.search(cmd.argv[1]):
                found.setdefault(cmd.argv[1], cmd.source)
    return found


# Runs each tool as ``python tools/X.py --help`` would, one after the other in one interpreter
# (torch and mmdet are imported once), and prints one JSON line of outcomes.
HELP_DRIVER = textwrap.dedent('''
    import contextlib, io, json, os, runpy, sys, traceback
    outcomes = {}
    for tool in sys.argv[1:]:
        out, code, error, missing = io.StringIO(), None, '', ''
        sys.argv = [tool, '--help']
        sys.path.insert(0, os.path.dirname(os.path.abspath(tool)))
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                runpy.run_path(tool, run_name='__main__')
            code = 'returned without exiting'
        except SystemExit as e:
            code = e.code
        except ModuleNotFoundError as e:
            missing, error = str(e.name), traceback.format_exc(limit=-3)
        except BaseException:
            error = traceback.format_exc(limit=-3)
        sys.path.pop(0)
        outcomes[tool] = dict(code=code, usage='usage:' in out.getvalue(), error=error,
                              missing=missing, output=out.getvalue()[-1500:])
    print(json.dumps(outcomes))
''')


@pytest.fixture(scope='module')
def help_outcomes() -> Dict[str, dict]:
    tools = sorted(t for t in documented_tools(REPO_ROOT) if osp.isfile(osp.join(REPO_ROOT, t)))
    if not tools:
        return {}
    env = dict(os.environ, MPLBACKEND='Agg',
               PYTHONPATH=os.pathsep.join(filter(None, [REPO_ROOT, os.environ.get('PYTHONPATH')])))
    run = subprocess.run([sys.executable, '-c', HELP_DRIVER, *tools], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip(), run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_readme_shows_the_commands_contract():
    """The front page's promise: install, demo and test are one make command each."""
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        shown = {c.argv[:2] for c in commands(f.name, REPO_ROOT) if c.argv[0] == 'make'}
    assert {('make', 'install'), ('make', 'demo'), ('make', 'test')} <= shown


def test_documented_paths_targets_and_configs_exist():
    assert static_problems(REPO_ROOT) == []


@pytest.mark.parametrize('tool', sorted(documented_tools(REPO_ROOT)))
def test_documented_tool_answers_help(tool, help_outcomes):
    if not osp.isfile(osp.join(REPO_ROOT, tool)):
        pytest.fail(f'{tool} (named at {documented_tools(REPO_ROOT)[tool]}) does not exist')
    outcome = help_outcomes[tool]
    if outcome['missing'] and outcome['missing'].split('.')[0] in OPTIONAL_MODULES:
        pytest.skip(f'{tool} needs the optional {outcome["missing"]} (make install-deploy)')
    assert outcome['code'] == 0 and outcome['usage'], (
        f'`python {tool} --help` exited with {outcome["code"]!r}:\n'
        f'{outcome["error"]}{outcome["output"]}')


def metafile_configs(index: str) -> List[str]:
    """The ``Config:`` of every model of the metafiles a model-index.yml imports."""
    import yaml
    root = osp.dirname(index)
    with open(index) as f:
        imports = (yaml.safe_load(f) or {}).get('Import', [])
    configs = []
    for metafile in imports:
        with open(osp.join(root, metafile)) as f:
            models = (yaml.safe_load(f) or {}).get('Models', [])
        configs += [m['Config'] for m in models if 'Config' in m]
    return configs


def test_mim_search_reads_the_checkouts_model_index(tmp_path, monkeypatch):
    """``mim search mmdet_lite`` (mim's own command, in-process) on this checkout's
    model-index.yml, as an install ships it in mmdet_lite/.mim/; every Config it lists exists."""
    index = osp.join(REPO_ROOT, 'model-index.yml')
    if not osp.isfile(index):
        pytest.skip('no model-index.yml in the checkout: mim search has nothing to list')
    from click.testing import CliRunner
    from mim.commands import search
    package = tmp_path / 'mmdet_lite'
    package.mkdir()
    os.symlink(REPO_ROOT, package / '.mim')  # .mim/model-index.yml, .mim/configs/...
    monkeypatch.setattr(search, 'is_installed', lambda name: True)
    monkeypatch.setattr(search, 'get_installed_path', lambda name: str(package))
    result = CliRunner().invoke(search.cli, ['mmdet_lite'])
    assert result.exit_code == 0, f'{result.output}\n{result.exception!r}'
    assert 'config id:' in result.output, result.output
    configs = metafile_configs(index)
    assert configs, 'the metafiles list no model'
    assert [c for c in configs if not osp.isfile(osp.join(REPO_ROOT, c))] == []


def test_mim_search_of_the_installed_package(tmp_path):
    """The real command line, as the docs show it: ``mim search mmdet_lite`` reads the installed
    package's .mim/model-index.yml (run outside the checkout, whose sources would shadow the
    installed package)."""
    if not osp.isfile(osp.join(REPO_ROOT, 'model-index.yml')):
        pytest.skip('no model-index.yml in the checkout: mim search has nothing to list')
    mim = osp.join(osp.dirname(sys.executable), 'mim')
    if not osp.isfile(mim):
        pytest.skip(f'no mim beside {sys.executable}')
    run = subprocess.run([mim, 'search', 'mmdet_lite'], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    fix = ('the installed package must ship model-index.yml in mmdet_lite/.mim (setup.py); '
           'reinstall with make install. ')
    assert run.returncode == 0, fix + run.stdout[-2000:] + run.stderr[-2000:]
    assert 'kd_mcn_hrnet-w32-teacher_hrnet-w16-student_cbfl_synthetic' in run.stdout, fix


def test_the_check_can_fail(tmp_path):
    """A fake checkout whose docs name a missing config, tool, make target and mim config."""
    (tmp_path / 'configs' / 'fam').mkdir(parents=True)
    (tmp_path / 'configs' / 'fam' / 'real_synthetic.py').write_text('')
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'tools' / 'train.py').write_text('')
    (tmp_path / 'Makefile').write_text('.PHONY: install\ninstall:\n\t@true\n')
    (tmp_path / 'docs' / 'en').mkdir(parents=True)
    (tmp_path / 'README.md').write_text(textwrap.dedent('''\
        # fake
        ```bash
        make install
        python tools/train.py configs/fam/real_synthetic.py \\
            --work-dir w   # a continuation
        mim train mmdet_lite real_synthetic.py
        ```
        Placeholders are not paths: `configs/fam/real_DATA.py`, `configs/*/x.py`.
        '''))
    assert static_problems(str(tmp_path)) == []
    assert documented_tools(str(tmp_path)) == {'tools/train.py': 'README.md:4'}
    (tmp_path / 'docs' / 'en' / 'guide.md').write_text(textwrap.dedent('''\
        Train `configs/fam/missing_synthetic.py` or any of
        `configs/fam/{real,gone}_synthetic.py`:
        ```bash
        make install demo DEMO_CONFIG=x
        python tools/absent.py --help
        mim test mmdet_lite absent_synthetic.py --checkpoint c.pth
        ```
        '''))
    problems = static_problems(str(tmp_path))
    assert problems[:3] == ['docs/en/guide.md:1: configs/fam/missing_synthetic.py does not exist',
                            'docs/en/guide.md:2: configs/fam/gone_synthetic.py does not exist',
                            'docs/en/guide.md:5: tools/absent.py does not exist']
    assert 'docs/en/guide.md:6: `mim test mmdet_lite absent_synthetic.py --checkpoint c.pth`: ' \
           'no config named absent_synthetic.py in configs/' in problems
    if shutil.which('make'):
        assert any(p.startswith('docs/en/guide.md:4: `make demo`: ') for p in problems)
        assert len(problems) == 5
    assert 'tools/absent.py' in documented_tools(str(tmp_path))
