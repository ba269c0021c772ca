"""The verdicts of the method pages' "Claims against the paper" tables are what the ablation
runner's statistics (``mmdet_lite.benchmark.ablation.stats.compare``: paired t-test, p < 0.05)
give for the per-seed mAP@0.5 the same page records, and the front page repeats them.

The work dirs whose logs the tables were made from are not part of the repository; the per-seed
values printed beside each table are, so a verdict edited by hand (or left behind by a rule
change) fails here.
"""

import os.path as osp
import re

import pytest

from mmdet_lite.benchmark.ablation.stats import compare
from projects_tests.conftest import REPO_ROOT

NUMBER = r'[+-]?\d\.\d+'
ENTRY = re.compile(rf'([A-Za-z(][^;:]*?)\s+({NUMBER}) / ({NUMBER}) / ({NUMBER})')


def read_page(method: str) -> str:
    with open(osp.join(REPO_ROOT, 'configs', method, 'README.md'), encoding='utf-8') as f:
        return f.read()


def per_seed(text: str) -> dict:
    """``name -> [seed 0, 1, 2]`` from the page's "Per seed (...)" paragraph (its first sentence
    after the colon: mAP@0.5)."""
    found = re.search(r'^Per seed \([^)]*\)[^:]*: (.*?)(?:\n\n|\.\s+[A-Z])', text, re.M | re.S)
    assert found, 'no "Per seed" paragraph'
    entries = ENTRY.findall(' '.join(found.group(1).split()))
    return {name.strip(): [float(v) for v in values] for name, *values in entries}


def claims(text: str) -> dict:
    """First cell -> verdict cell of the "Claims against the paper" table."""
    table = text.split('### Claims against the paper', 1)[1].split('\n\n| claim', 1)[1]
    header, rows = table.split('\n', 1)[0], table.split('\n\n', 1)[0].splitlines()[2:]
    col = [c.strip() for c in ('| claim' + header).split('|')].index('verdict')
    return {cells[1].strip(): cells[col].strip() for cells in (r.split('|') for r in rows)}


def diffs(seeds: dict, row: str, base) -> list:
    """Paired differences ``row - base`` (``base`` None: ``row`` already holds differences)."""
    if base is None:
        return seeds[row]
    return [a - b for a, b in zip(seeds[row], seeds[base], strict=True)]


# claim (first cell of its table row) -> (row, baseline or None, paper's direction)
CLAIMS = {
    'mobile_centernet': {
        'W16 + CBFL > W16, w_c on positives (default)': ('CBFL on positives', 'W16', 1),
        'W16 + CBFL > W16, Eq. (3) as printed': ('CBFL as printed', 'W16', 1),
        'W16 + CBFL + KD > W16 + CBFL': ('KD minus CBFL', None, 1),
        'W32 teacher > W16 + CBFL + KD': ('teacher minus KD', None, 1),
    },
    'attention_kd': {
        'SimpleDis > student alone': ('SimpleDis', 'student alone', 1),
        'AttentionDis (Eq. 5 as printed) > SimpleDis': ('AttentionDis', 'SimpleDis', 1),
        'AttentionDis, normalised maps > SimpleDis': ('normalised maps', 'SimpleDis', 1),
        'AttentionDis, lambda_1 160 > SimpleDis': ('lambda_1 160', 'SimpleDis', 1),
        'AttentionDis, normalised maps, lambda_1 15 > SimpleDis': (
            'normalised maps, lambda_1 15', 'SimpleDis', 1),
        'AttentionDis (Eq. 5 as printed) > student alone': ('AttentionDis', 'student alone', 1),
    },
    'refinedet_lite': {
        '(o) RefineDetLite++ > (c) basic, Eq. (2) as printed': ('(o)', '(c)', 1),
        '(o) > (c), target-class weights': ('(o-target)', '(c)', 1),
    },
    'effnet_gfl': {
        'row 4 > row 3 (GFLv2 + 2:4 sparsity over GFLv1, the paper\'s step)': (
            'row 4', 'row 3', 1),
        'row 4 dense > row 3 (GFLv2 over GFLv1)': ('row 4 dense', 'row 3', 1),
        'row 4 sparse vs dense (the cost of 2:4)': ('row 4', 'row 4 dense', 1),
        'row 5 > row 4: LD, reference normalisation (default)': ('row 5, reference', 'row 4', 1),
        'row 5 > row 4: LD normalised per positive': ('row 5, per positive', 'row 4', 1),
        'row 5 > row 4: LD per positive, weight 1 (departure)': (
            'per positive at weight 1', 'row 4', 1),
    },
}
# the front page's claims table: its claim -> (method, the method page's claims)
FRONT_PAGE = {
    'Mobile CenterNet: W16 + CBFL > W16 (w_c on positives, default)': (
        'mobile_centernet', ['W16 + CBFL > W16, w_c on positives (default)']),
    'Mobile CenterNet: W16 + CBFL > W16 (Eq. 3 as printed)': (
        'mobile_centernet', ['W16 + CBFL > W16, Eq. (3) as printed']),
    'Mobile CenterNet: + structured KD > W16 + CBFL': (
        'mobile_centernet', ['W16 + CBFL + KD > W16 + CBFL']),
    'Mobile CenterNet: W32 teacher > W16 + CBFL + KD': (
        'mobile_centernet', ['W32 teacher > W16 + CBFL + KD']),
    'Attention KD: SimpleDis > 1/8 VGG16 alone': ('attention_kd', ['SimpleDis > student alone']),
    'Attention KD: AttentionDis > SimpleDis (Eq. 5 as printed)': (
        'attention_kd', ['AttentionDis (Eq. 5 as printed) > SimpleDis']),
    'Attention KD: AttentionDis > 1/8 VGG16 alone': (
        'attention_kd', ['AttentionDis (Eq. 5 as printed) > student alone']),
    'Attention KD, labelled departures > SimpleDis: maps normalised; lambda_1 160; both at '
    'lambda_1 15': ('attention_kd', ['AttentionDis, normalised maps > SimpleDis',
                                     'AttentionDis, lambda_1 160 > SimpleDis',
                                     'AttentionDis, normalised maps, lambda_1 15 > SimpleDis']),
    'RefineDetLite: (o) ++ > (c) basic (Eq. 2 as printed, default)': (
        'refinedet_lite', ['(o) RefineDetLite++ > (c) basic, Eq. (2) as printed']),
    'RefineDetLite: (o) ++ > (c) basic, target-class weights': (
        'refinedet_lite', ['(o) > (c), target-class weights']),
    'EfficientNet-GFL: row 4 (GFLv2 + 2:4 sparsity) > row 3 (GFLv1)': (
        'effnet_gfl', ["row 4 > row 3 (GFLv2 + 2:4 sparsity over GFLv1, the paper's step)"]),
    'EfficientNet-GFL: row 4 dense > row 3 (GFLv2 alone)': (
        'effnet_gfl', ['row 4 dense > row 3 (GFLv2 over GFLv1)']),
    'EfficientNet-GFL: the cost of 2:4 sparsity (row 4 vs row 4 dense)': (
        'effnet_gfl', ['row 4 sparse vs dense (the cost of 2:4)']),
    'EfficientNet-GFL: row 5 (+ LD, reference normalisation, default) > row 4': (
        'effnet_gfl', ['row 5 > row 4: LD, reference normalisation (default)']),
    'EfficientNet-GFL: row 5, LD normalised per positive > row 4': (
        'effnet_gfl', ['row 5 > row 4: LD normalised per positive']),
    'EfficientNet-GFL: row 5, LD per positive at weight 1 (departure) > row 4': (
        'effnet_gfl', ['row 5 > row 4: LD per positive, weight 1 (departure)']),
}


@pytest.mark.parametrize('method', sorted(CLAIMS))
def test_page_verdicts_follow_from_its_per_seed_values(method):
    text = read_page(method)
    seeds, table = per_seed(text), claims(text)
    for claim, (row, base, direction) in CLAIMS[method].items():
        assert claim in table, f'{method}: no claim row {claim!r} in {sorted(table)}'
        got = compare(diffs(seeds, row, base), direction)
        assert table[claim] == got.verdict, (
            f'{method}: {claim!r} says {table[claim]!r}; its per-seed values give '
            f'{got.verdict!r} (difference {got.diff:+.4f}, t = {got.t:.2f}, p = {got.p:.3f})')
    unchecked = [c for c in set(table) - set(CLAIMS[method]) if table[c] != 'open']
    assert not unchecked, f'{method}: claims with a verdict but no mapping here: {unchecked}'


def test_front_page_repeats_the_method_pages_verdicts():
    with open(osp.join(REPO_ROOT, 'README.md'), encoding='utf-8') as f:
        text = f.read()
    table = text[text.index('\n| claim | paper | ours'):].strip().split('\n\n', 1)[0]
    front = {cells[1].strip(): cells[-2].strip()
             for cells in (r.split('|') for r in table.splitlines()[2:])}
    pages = {m: claims(read_page(m)) for m in CLAIMS}
    for claim, said in front.items():
        if said == 'open':
            continue
        assert claim in FRONT_PAGE, f'README.md: no method-page mapping here for {claim!r}'
        method, page_claims = FRONT_PAGE[claim]
        words = ' / '.join(sorted({pages[method][c] for c in page_claims}))
        assert said.split(' (')[0] == words, (
            f'README.md: {claim!r} says {said!r}; the {method} page says {words!r}')
    assert set(FRONT_PAGE) <= set(front), set(FRONT_PAGE) - set(front)


def test_the_check_can_fail():
    """A verdict edited against the per-seed values is caught."""
    text = read_page('mobile_centernet').replace('| -2.75 | 0.111 | not resolved |',
                                                 '| -2.75 | 0.111 | reversed |')
    row, base, direction = CLAIMS['mobile_centernet'][
        'W16 + CBFL > W16, w_c on positives (default)']
    got = compare(diffs(per_seed(text), row, base), direction)
    assert claims(text)['W16 + CBFL > W16, w_c on positives (default)'] != got.verdict
