"""What the CPU computes natively: decides whether bfloat16 autocast pays on this machine.

bf16 autocast on a CPU without bf16 instructions is emulated by oneDNN and ATen (conversions and
fp32 compute around them), so it is slower than fp32 there and faster only where the CPU has bf16
instructions (``make benchmark-amp`` measures both on the machine at hand). So mixed precision on
CPU follows the CPU, read from its feature flags.
"""

import os
import platform
from typing import FrozenSet, Optional, Tuple

# x86 flags (Linux /proc/cpuinfo names) of native bf16 dot products; aarch64's ``bf16`` (ARMv8.6)
BF16_FLAGS = frozenset({'avx512_bf16', 'amx_bf16', 'bf16'})
# oneDNN ISA caps (ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA) that still allow bf16 instructions
_ONEDNN_BF16_ISAS = ('ALL', 'AVX512_CORE_BF16', 'AVX512_CORE_FP16', 'AVX512_CORE_AMX',
                     'AVX512_CORE_AMX_FP16', 'AVX10_1_512', 'AVX10_1_512_AMX',
                     'AVX10_1_512_AMX_FP16', 'AVX2_VNNI_2')


def _cpuinfo_field(keys: Tuple[str, ...], cpuinfo: str) -> Optional[str]:
    """The value of the first line of ``cpuinfo`` whose key is one of ``keys`` (None if none or
    the file cannot be read)."""
    try:
        with open(cpuinfo, encoding='utf-8', errors='replace') as f:
            for line in f:
                key, _, value = line.partition(':')
                if key.strip().lower() in keys:
                    return value.strip()
    except OSError:
        pass
    return None


def cpu_flags(cpuinfo: str = '/proc/cpuinfo') -> FrozenSet[str]:
    """The feature flags of the first CPU listed in ``cpuinfo`` (empty if it cannot be read)."""
    return frozenset((_cpuinfo_field(('flags', 'features'), cpuinfo) or '').split())


def cpu_model(cpuinfo: str = '/proc/cpuinfo') -> str:
    """The CPU's model name (``platform.processor()`` where ``cpuinfo`` cannot tell)."""
    return (_cpuinfo_field(('model name', ), cpuinfo) or platform.processor()
            or platform.machine())


def onednn_isa_cap() -> Optional[str]:
    """The oneDNN ISA cap set in the environment (upper case), or None."""
    cap = os.environ.get('ONEDNN_MAX_CPU_ISA') or os.environ.get('DNNL_MAX_CPU_ISA')
    return cap.strip().upper() if cap else None


def native_bf16(flags: Optional[FrozenSet[str]] = None) -> Tuple[bool, str]:
    """Whether this CPU runs bf16 natively, and why (one phrase for a log line).

    Native means a bf16 flag (``avx512_bf16``, ``amx_bf16``, aarch64 ``bf16``) and no oneDNN ISA
    cap below it. Unknown (no readable flags, e.g. macOS) counts as not native: fp32 is then the
    safe choice.
    """
    flags = cpu_flags() if flags is None else flags
    if not flags:
        return False, f'the CPU flags of this {platform.system()} machine could not be read'
    found = sorted(flags & BF16_FLAGS)
    if not found:
        return False, 'the CPU has no bf16 instructions (no avx512_bf16 / amx_bf16 flag)'
    cap = onednn_isa_cap()
    if cap is not None and cap not in _ONEDNN_BF16_ISAS:
        return False, f'ONEDNN_MAX_CPU_ISA={cap} disables the bf16 instructions ({found[0]})'
    return True, f'the CPU has native bf16 ({", ".join(found)})'


__all__ = ['BF16_FLAGS', 'cpu_flags', 'cpu_model', 'native_bf16', 'onednn_isa_cap']
