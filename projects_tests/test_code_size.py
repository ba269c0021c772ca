"""Functions of at most 60 lines of body and modules of at most 400 lines in mmdet_lite/ and
tools/ (the engineering conventions), so that no room grows to do everything again."""

import ast
import os.path as osp
import pathlib

from projects_tests.conftest import REPO_ROOT

MAX_BODY, MAX_MODULE = 60, 400


def sizes(path: pathlib.Path):
    """``(module lines, [(function, body lines)])``; the body starts after the docstring."""
    src = path.read_text()
    functions = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            has_doc = (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                       and isinstance(body[0].value.value, str))
            start = (body[1].lineno if len(body) > 1 else body[0].end_lineno + 1) if has_doc \
                else body[0].lineno
            functions.append((f'{node.name}:{node.lineno}', node.end_lineno - start + 1))
    return len(src.splitlines()), functions


def test_functions_and_modules_stay_small():
    too_long = []
    for root in ('mmdet_lite', 'tools'):
        for path in sorted(pathlib.Path(osp.join(REPO_ROOT, root)).rglob('*.py')):
            if '.mim' in path.parts:
                continue
            lines, functions = sizes(path)
            rel = path.relative_to(REPO_ROOT)
            if lines > MAX_MODULE:
                too_long.append(f'{rel}: {lines} lines')
            too_long += [f'{rel}:{name} {n} lines of body' for name, n in functions
                         if n > MAX_BODY]
    assert too_long == []


def test_the_size_rule_counts_the_body_without_its_docstring(tmp_path):
    src = ('def f():\n    """Doc\n    string."""\n' + '    x = 1\n' * 3
           + '\n\ndef g():\n    return 1\n')
    (tmp_path / 'm.py').write_text(src)
    assert sizes(tmp_path / 'm.py') == (10, [('f:1', 3), ('g:9', 1)])
