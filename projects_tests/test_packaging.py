"""The package ships the git-tracked checkpoints only, not every ``.pth`` a checkout holds (a
checkout where ``make pretrain-*`` ran has up to 190 MB more of them), and the model index
`mim search` reads."""

import os
import os.path as osp
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

from projects_tests.conftest import REPO_ROOT

IS_GIT = osp.exists(osp.join(REPO_ROOT, '.git'))  # a directory, or a file in a worktree
MIM = 'mmdet_lite/.mim/'


def git(*args: str, cwd: str = REPO_ROOT) -> str:
    return subprocess.run(['git', *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def shipped_list() -> list:
    with open(osp.join(REPO_ROOT, 'checkpoints', 'shipped.txt')) as f:
        return sorted(line.strip() for line in f if line.strip() and not line.startswith('#'))


@pytest.mark.skipif(not IS_GIT, reason='not a git checkout')
def test_shipped_list_is_the_tracked_checkpoints():
    """checkpoints/shipped.txt (what a build outside git, from an sdist, ships) lists exactly the
    git-tracked checkpoints (what a build in a checkout ships)."""
    tracked = git('ls-files', '--', 'checkpoints/*.pth').split()
    assert shipped_list() == sorted(osp.basename(p) for p in tracked)


def copy_tree(dst: str, with_git: bool) -> None:
    """The checkout's working tree (tracked and untracked-but-not-ignored files) in ``dst``; with
    ``with_git``, a git repository there whose index holds them; then an untracked
    ``checkpoints/extra.pth``, as ``make pretrain-*`` leaves."""
    files = git('ls-files', '-z', '-c', '-o', '--exclude-standard').split('\0')
    for rel in filter(None, files):
        src = osp.join(REPO_ROOT, rel)
        if osp.isfile(src):
            os.makedirs(osp.dirname(osp.join(dst, rel)), exist_ok=True)
            shutil.copy2(src, osp.join(dst, rel))
    if with_git:
        git('init', '-q', cwd=dst)
        git('add', '-A', cwd=dst)
    with open(osp.join(dst, 'checkpoints', 'extra.pth'), 'wb') as f:
        f.write(b'not shipped' * 100)


@pytest.mark.skipif(not IS_GIT, reason='copies the tree git lists')
@pytest.mark.parametrize('with_git', [True, False], ids=['git-checkout', 'no-git'])
def test_wheel_ships_the_tracked_checkpoints_only(tmp_path, with_git):
    """``pip wheel .`` of a checkout with an untracked ``checkpoints/extra.pth``: the shipped
    checkpoints are in ``mmdet_lite/.mim/checkpoints``, the extra one is not, in a git checkout
    (git's list) and outside one (checkpoints/shipped.txt); tools/dev is not shipped."""
    src, out = str(tmp_path / 'src'), str(tmp_path / 'wheels')
    copy_tree(src, with_git)
    proc = subprocess.run(
        [sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q',
         '-w', out, src], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = os.listdir(out)
    with zipfile.ZipFile(osp.join(out, wheel)) as z:
        names = z.namelist()
    ckpts = sorted(n[len(MIM + 'checkpoints/'):] for n in names
                   if n.startswith(MIM + 'checkpoints/'))
    assert ckpts == shipped_list()
    assert MIM + 'configs/_base_/synthetic_pretrain.py' in names
    assert MIM + 'tools/train.py' in names
    assert not [n for n in names if n.startswith(MIM + 'tools/dev/')]
    check_wheel_model_index(osp.join(out, wheel), names, str(tmp_path / 'unpacked'))


def check_wheel_model_index(wheel: str, names: list, dst: str) -> None:
    """The wheel ships ``mmdet_lite/.mim/model-index.yml`` and the metafiles it imports, and
    modelindex (what `mim search mmdet_lite` uses) reads as many models there as in the checkout."""
    from modelindex.load_model_index import load
    index = [n for n in names if n == MIM + 'model-index.yml'
             or (n.startswith(MIM + 'configs/') and n.endswith('/metafile.yml'))]
    assert MIM + 'model-index.yml' in index and len(index) > 1, index
    with zipfile.ZipFile(wheel) as z:
        z.extractall(dst, members=index)
    shipped = load(osp.join(dst, MIM, 'model-index.yml'))
    assert len(shipped.models) == len(load(osp.join(REPO_ROOT, 'model-index.yml')).models)


@pytest.mark.skipif(not IS_GIT, reason='copies the tree git lists')
def test_sdist_ships_the_tracked_checkpoints_only(tmp_path):
    """The sdist of that checkout holds the shipped checkpoints and their list, not the extra
    one (a wheel built from it then ships by the list)."""
    src, out = str(tmp_path / 'src'), str(tmp_path / 'dist')
    copy_tree(src, with_git=True)
    proc = subprocess.run([sys.executable, 'setup.py', '-q', 'sdist', '-d', out], cwd=src,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (sdist,) = os.listdir(out)
    with tarfile.open(osp.join(out, sdist)) as tar:
        names = [n.split('/', 1)[1] for n in tar.getnames() if '/' in n]
    ckpts = sorted(n[len('checkpoints/'):] for n in names if n.startswith('checkpoints/'))
    assert ckpts == sorted(['shipped.txt', *shipped_list()])
    assert 'configs/_base_/synthetic_pretrain.py' in names
    assert 'model-index.yml' in names and 'configs/effnet_gfl/metafile.yml' in names
    assert not [n for n in names if n.startswith('tools/dev/')]
