"""Install mmcv with its compiled ops, from a wheel cache keyed by the stack it was built for.

    python tools/install_mmcv.py --version 2.1.0 --cache ~/.cache/mmdet_lite/wheels

mmcv 2.1.0 is published as source only, and its ops are compiled against one torch (C++ ABI),
one CUDA (or none) and one Python. So the wheel is cached per mmcv, torch, torch's CUDA, Python
and ops kind (``mmcv2.1.0-torch2.13.0-cpu-py311-cpuops``): a CPU-only wheel is never reused on a
CUDA machine, nor the other way round. The CUDA ops are built when torch is a CUDA build and a
CUDA toolkit (``nvcc`` on PATH or under ``CUDA_HOME``) is there (``FORCE_CUDA=1``, so a login
node without a GPU builds them too); ``TORCH_CUDA_ARCH_LIST`` (e.g. ``"8.0;8.6"``) chooses the
GPU architectures, by default the visible GPU's. ``FORCE_CUDA=0`` builds the CPU ops only.
Called by ``make install``; the standard library and torch only.
"""

import argparse
import os
import os.path as osp
import shutil
import subprocess
import sys
import tempfile
from typing import List, Optional, Tuple


def cuda_toolkit() -> Optional[str]:
    """Path of ``nvcc`` (``CUDA_HOME``/``CUDA_PATH`` first, then PATH), or None."""
    for var in ('CUDA_HOME', 'CUDA_PATH'):
        home = os.environ.get(var)
        if home and osp.isfile(osp.join(home, 'bin', 'nvcc')):
            return osp.join(home, 'bin', 'nvcc')
    return shutil.which('nvcc')


def want_cuda_ops(torch_cuda: Optional[str], nvcc: Optional[str],
                  force: Optional[str]) -> Tuple[bool, str]:
    """Whether to build the CUDA ops, and why (one line)."""
    if force == '0':
        return False, 'FORCE_CUDA=0: CPU ops only'
    if torch_cuda is None:
        return False, 'torch is a CPU build: CPU ops only'
    if nvcc is None:
        return False, (f'torch is built for CUDA {torch_cuda} but no CUDA toolkit was found '
                       '(nvcc on PATH or CUDA_HOME): CPU ops only, and mmcv.ops will refuse '
                       'CUDA tensors. Install the CUDA toolkit matching torch and rerun.')
    return True, f'torch is built for CUDA {torch_cuda} and {nvcc} is there: CUDA ops'


def cache_key(mmcv_version: str, torch_version: str, torch_cuda: Optional[str],
              python: Tuple[int, int], cuda_ops: bool) -> str:
    """``mmcv2.1.0-torch2.13.0-cu121-py311-cudaops``: what the wheel's ops were built for."""
    cuda = 'cu' + torch_cuda.replace('.', '') if torch_cuda else 'cpu'
    return (f"mmcv{mmcv_version}-torch{torch_version.split('+')[0]}-{cuda}"
            f"-py{python[0]}{python[1]}-{'cudaops' if cuda_ops else 'cpuops'}")


def installed_ok(version: str, cuda_ops: bool) -> bool:
    """mmcv ``version`` is installed with its ops (compiled with CUDA where asked)."""
    probe = ('import mmcv, mmcv.ops, sys; '
             f'ok = mmcv.__version__ == {version!r}; '
             f'ok = ok and (not {cuda_ops} or mmcv.ops.get_compiling_cuda_version() '
             "!= 'not available'); sys.exit(0 if ok else 1)")
    return subprocess.run([sys.executable, '-c', probe], capture_output=True).returncode == 0


def build_wheel(version: str, folder: str, cuda_ops: bool) -> None:
    """Build mmcv's wheel into ``folder`` (via a temporary folder: no half-written wheel)."""
    env = dict(os.environ, MMCV_WITH_OPS='1', MAX_JOBS=os.environ.get('MAX_JOBS', str(
        os.cpu_count() or 1)), FORCE_CUDA='1' if cuda_ops else '0')
    if cuda_ops and not env.get('TORCH_CUDA_ARCH_LIST'):
        import torch
        if torch.cuda.is_available():
            major, minor = torch.cuda.get_device_capability(0)
            env['TORCH_CUDA_ARCH_LIST'] = f'{major}.{minor}'
    if cuda_ops:
        arch = env.get('TORCH_CUDA_ARCH_LIST') or (
            '(unset: every architecture this CUDA supports, a much longer build)')
        print(f'TORCH_CUDA_ARCH_LIST={arch}')
    os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps',
                        '--no-build-isolation', f'mmcv=={version}', '-w', tmp], env=env,
                       check=True)
        for name in os.listdir(tmp):
            os.replace(osp.join(tmp, name), osp.join(folder, name))


def cached_wheels(folder: str) -> List[str]:
    """The wheel files in ``folder`` (none if it does not exist)."""
    return sorted(f for f in os.listdir(folder) if f.endswith('.whl')) if osp.isdir(folder) else []


def adopt_legacy_wheel(cache: str, version: str, folder: str) -> bool:
    """Install a wheel of the unkeyed cache layout (``<cache>/mmcv-2.1.0-cp311-*.whl``, always a
    CPU-ops build for a CPU torch) and move it into ``folder`` if it imports with its ops here
    (True); otherwise leave it (False: a build follows)."""
    tag = f'cp{sys.version_info[0]}{sys.version_info[1]}'
    old = sorted(f for f in (os.listdir(cache) if osp.isdir(cache) else [])
                 if f.startswith(f'mmcv-{version}-{tag}-') and f.endswith('.whl'))
    if not old:
        return False
    path = osp.join(cache, old[-1])
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps',
                    '--force-reinstall', path], check=False)
    if installed_ok(version, cuda_ops=False):
        os.makedirs(folder, exist_ok=True)
        os.replace(path, osp.join(folder, old[-1]))
        print(f'mmcv {version}: adopted the cached {old[-1]} into {folder}')
        return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--version', default='2.1.0')
    parser.add_argument('--cache', default=osp.expanduser('~/.cache/mmdet_lite/wheels'))
    args = parser.parse_args()
    import torch
    cuda_ops, why = want_cuda_ops(torch.version.cuda, cuda_toolkit(),
                                  os.environ.get('FORCE_CUDA'))
    print(f'mmcv {args.version}: {why}')
    if installed_ok(args.version, cuda_ops):
        print(f'mmcv {args.version} with ops: present')
        return
    key = cache_key(args.version, torch.__version__, torch.version.cuda,
                    sys.version_info[:2], cuda_ops)
    folder = osp.join(args.cache, key)
    wheels = cached_wheels(folder)
    if not wheels and not cuda_ops and torch.version.cuda is None \
            and adopt_legacy_wheel(args.cache, args.version, folder):
        return  # installed and checked by the adoption
    if not wheels:
        print(f'Building mmcv {args.version} with ops for {key} (about 9 min on 2 cores for '
              f'the CPU ops; cached in {folder})', flush=True)
        build_wheel(args.version, folder, cuda_ops)
        wheels = cached_wheels(folder)
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps',
                    '--force-reinstall', osp.join(folder, wheels[-1])], check=True)
    if not installed_ok(args.version, cuda_ops):
        sys.exit(f'install_mmcv: mmcv {args.version} from {folder} does not import with its '
                 f'ops; delete that folder to rebuild it')


if __name__ == '__main__':
    main()
