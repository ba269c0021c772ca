"""native_bf16: read from the CPU flags, capped by oneDNN's ISA limit; unknown means fp32."""

import pytest

from mmdet_lite.utils.cpu_features import cpu_flags, cpu_model, native_bf16

AVX2 = frozenset('fpu sse4_2 avx avx2 fma f16c'.split())
AVX512_BF16 = AVX2 | {'avx512f', 'avx512_vnni', 'avx512_bf16'}


@pytest.fixture(autouse=True)
def no_isa_cap(monkeypatch):
    monkeypatch.delenv('ONEDNN_MAX_CPU_ISA', raising=False)
    monkeypatch.delenv('DNNL_MAX_CPU_ISA', raising=False)


def test_flags_decide():
    assert native_bf16(AVX512_BF16)[0] is True
    assert native_bf16(AVX2 | {'amx_bf16', 'amx_tile'})[0] is True
    native, why = native_bf16(AVX2 | {'avx512f', 'avx512_vnni'})  # AVX512 without bf16
    assert native is False and 'no bf16' in why
    native, why = native_bf16(frozenset())  # flags unknown (no /proc/cpuinfo): fp32
    assert native is False and 'could not be read' in why


def test_onednn_cap_below_bf16_disables_it(monkeypatch):
    monkeypatch.setenv('ONEDNN_MAX_CPU_ISA', 'avx2')
    native, why = native_bf16(AVX512_BF16)
    assert native is False and 'ONEDNN_MAX_CPU_ISA=AVX2' in why
    monkeypatch.setenv('ONEDNN_MAX_CPU_ISA', 'AVX512_CORE_AMX')
    assert native_bf16(AVX512_BF16)[0] is True


def test_cpu_flags_parses_cpuinfo(tmp_path):
    info = tmp_path / 'cpuinfo'
    info.write_text('processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu avx2 avx512_bf16\n\n'
                    'processor\t: 1\nflags\t\t: fpu\n')
    assert cpu_flags(str(info)) == {'fpu', 'avx2', 'avx512_bf16'}
    assert cpu_model(str(info)) == 'Some CPU'
    assert cpu_flags(str(tmp_path / 'missing')) == frozenset()
