"""tools/jetson/evaluate_engine.py: the standalone device-side evaluator (Python 3.6, no mmdet).

Its onnxruntime backend is checked against tools/test_deployed.py on the exported file of every
family; its TensorRT backend is driven by fake TensorRT 8.2 (bindings) and >= 8.5 (named
tensors) engines that run the same file with onnxruntime."""

import ast
import importlib
import json
import os.path as osp
import re
import sys

import cv2
import numpy as np
import pytest
import torch

from projects_tests.conftest import REPO_ROOT, load_tool

JETSON = osp.join(REPO_ROOT, 'tools', 'jetson')
FAMILIES = {
    'centernet': 'configs/mobile_centernet/mcn_hrnet-w16_synthetic.py',
    'refinedet': 'configs/refinedet_lite/refinedet-lite_res2netlite72_synthetic.py',
    'ssd': 'configs/attention_kd/ssd300_vgg16-1-8_synthetic.py',
    'gfl': 'configs/effnet_gfl/effnet-gfl_row4-dense_lite1-416-silu-gflv2-amp_synthetic.py',
}
# the classes in another order and with other ids than the configs': mapped by name
CATEGORIES = [dict(id=7, name='bicycle'), dict(id=2, name='vehicle'),
              dict(id=11, name='scooter'), dict(id=5, name='pedestrian')]
# JetPack 4.6's Python 3.6 standard library modules the evaluator may use, and the rest it may
STDLIB_36 = {'argparse', 'contextlib', 'ctypes', 'hashlib', 'io', 'json', 'math', 'os',
             'statistics', 'sys', 'time', 'typing', 'warnings', 'collections'}
THIRD_PARTY = {'numpy', 'cv2', 'tensorrt', 'pycuda', 'cuda', 'pycocotools', 'onnxruntime'}
NEWER_THAN_36 = {'perf_counter_ns', 'nullcontext', 'removeprefix', 'removesuffix', 'isascii',
                 'fmean', 'prod', 'isqrt', 'cached_property', 'capture_output'}


def jetson(name):
    """A module of tools/jetson/, imported as the entry script imports its siblings."""
    if JETSON not in sys.path:
        sys.path.insert(0, JETSON)
    return importlib.import_module(name)


def py36_problems(source: str, siblings=()) -> list:
    """What keeps ``source`` from running on Python 3.6 with the allowed packages."""
    try:
        tree = ast.parse(source, feature_version=(3, 6))
    except SyntaxError as err:
        return [f'syntax: {err.msg}']
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == '__future__':
            problems += [f'from __future__ import {a.name}' for a in node.names
                         if a.name == 'annotations']
        names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                 [node.module] if isinstance(node, ast.ImportFrom) else [])
        for name in names:
            top = (name or '').split('.')[0]
            if top not in STDLIB_36 | THIRD_PARTY | set(siblings) | {'__future__'}:
                problems.append(f'import {name}')
        if isinstance(node, (ast.Attribute, ast.keyword)):
            attr = node.attr if isinstance(node, ast.Attribute) else node.arg
            if attr in NEWER_THAN_36:
                problems.append(f'{attr} (Python >= 3.7)')
        if isinstance(node, (ast.FunctionDef, ast.AnnAssign, ast.arg)):
            ann = [node.returns] if isinstance(node, ast.FunctionDef) else [node.annotation]
            for a in ann:
                if a is not None and any(
                        isinstance(n, ast.BinOp) or (isinstance(n, ast.Subscript) and isinstance(
                            n.value, ast.Name) and n.value.id in {'list', 'dict', 'tuple', 'set',
                                                                  'type'})
                        for n in ast.walk(a)):
                    problems.append(f'annotation {ast.unparse(a)} (Python >= 3.9)')
    return problems


def test_evaluator_parses_as_python36_with_allowed_imports_only():
    files = sorted(f for f in __import__('os').listdir(JETSON) if f.endswith('.py'))
    siblings = [osp.splitext(f)[0] for f in files]
    assert 'evaluate_engine' in siblings and len(files) <= 5
    for name in files:
        with open(osp.join(JETSON, name)) as f:
            assert py36_problems(f.read(), siblings) == [], name
    # the check itself catches what Python 3.6 or JetPack cannot run
    bad = ("from __future__ import annotations\nimport dataclasses\nimport torch\n"
           "def f(a: list[int]) -> int | None:\n    return (n := 1)\n")
    assert len(py36_problems(bad)) == 1  # the walrus is a syntax error first
    assert sorted(py36_problems(bad.replace('(n := 1)', 'time.perf_counter_ns()'))) == [
        'annotation int | None (Python >= 3.9)', 'annotation list[int] (Python >= 3.9)',
        'from __future__ import annotations', 'import dataclasses', 'import torch',
        'perf_counter_ns (Python >= 3.7)']


def lively_checkpoint(config: str, path: str) -> None:
    """Initial weights with classification biases raised (and CenterNet's sizes), so a random
    model detects boxes of a usable size with spread scores. Seeded: the weights, and so the
    split annotated from them, do not depend on the tests run before in the process."""
    from mmdet_lite.export import load_detector
    torch.manual_seed(0)
    det, _ = load_detector(config, None)
    shift = {r'heatmap_head\.2\.bias': 2.0, r'wh_head\.2\.bias': 6.0, r'gfl_cls\.bias': 3.0,
             r'odm_cls\.\d\.bias': 1.0, r'cls_convs\.\d\.0\.bias': 1.0}
    with torch.no_grad():
        for name, p in det.bbox_head.named_parameters():
            for pattern, value in shift.items():
                if re.fullmatch(pattern, name):
                    p += value
    torch.save(dict(state_dict=det.state_dict()), path)


def write_split(root, onnx_file, info) -> str:
    """Four images of other sizes than the input, annotated with the model's own (jittered)
    detections and one box it does not find; returns the annotation file."""
    pre, back = jetson('engine_pipeline'), jetson('engine_backends')
    model = back.OnnxRuntimeBackend(onnx_file)
    rng = np.random.default_rng(0)
    images, anns = [], []
    for i, (w, h) in enumerate([(320, 180), (250, 150), (288, 160), (400, 210)]):
        name = f'{i:03d}.jpg'
        img = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
        cv2.imwrite(str(root / 'images' / name), img)
        img = cv2.imread(str(root / 'images' / name))
        x, factor = pre.preprocess(img, info)
        boxes, scores, labels, _ = pre.postprocess(model.infer(x), factor)
        for box, label in list(zip(boxes, labels, strict=True))[:6]:
            x1, y1, x2, y2 = (box + rng.normal(0, 1.5, 4)).tolist()
            anns.append(dict(id=len(anns) + 1, image_id=100 + i, category_id=CATEGORIES[
                [c['name'] for c in CATEGORIES].index(info['classes'][label])]['id'],
                bbox=[x1, y1, x2 - x1, y2 - y1], area=(x2 - x1) * (y2 - y1), iscrowd=0))
        anns.append(dict(id=len(anns) + 1, image_id=100 + i, category_id=5,
                         bbox=[10, 10, 30, 40], area=1200, iscrowd=0))
        images.append(dict(id=100 + i, file_name=name, width=w, height=h))
    path = str(root / 'ann.json')
    with open(path, 'w') as f:
        json.dump(dict(images=images, annotations=anns, categories=CATEGORIES), f)
    return path


@pytest.fixture(scope='module', params=sorted(FAMILIES))
def exported(request, tmp_path_factory):
    """A family's file exported by tools/export_onnx.py's function, with its deploy info and a
    split of 4 images, and a config that evaluates that split (for tools/test_deployed.py)."""
    from mmdet_lite.export import export_onnx
    from mmdet_lite.export.deployed_eval import test_pipeline_shape
    from mmdet_lite.utils.config_paths import resolve_config_path
    config = osp.join(REPO_ROOT, FAMILIES[request.param])
    root = tmp_path_factory.mktemp(request.param)
    (root / 'images').mkdir()
    lively_checkpoint(config, str(root / 'model.pth'))
    from mmengine.config import Config
    shape = test_pipeline_shape(Config.fromfile(resolve_config_path(config)))
    onnx_file = export_onnx(config, str(root / 'model.pth'), shape, str(root / 'model.onnx'))
    info = jetson('engine_pipeline').load_info(str(root / 'model.deploy.json'))
    ann = write_split(root, onnx_file, info)
    test_cfg = root / 'eval_cfg.py'
    test_cfg.write_text(
        f'_base_ = {config!r}\n'
        f'test_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False, '
        f'dataset=dict(data_root={str(root)!r}, ann_file="ann.json", '
        f'data_prefix=dict(img="images/")))\n'
        f'test_evaluator = dict(ann_file={ann!r})\n')
    return dict(family=request.param, root=root, onnx=onnx_file, info=info, ann=ann,
                config=str(test_cfg))


def run_evaluator(args, capsys) -> tuple:
    """``evaluate_engine.main(args)``: (exit code, stdout, stderr)."""
    code = jetson('evaluate_engine').main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_onnxruntime_backend_matches_test_deployed(exported, capsys):
    """The same mAP as tools/test_deployed.py on the same file and split, and the same boxes
    for one image as its mmdet pipeline gives."""
    root = exported['root']
    code, out, err = run_evaluator([exported['onnx'], '--ann', exported['ann'], '--images',
                                    root / 'images', '--json', root / 'ours.json',
                                    '--draw-out', root / 'drawn.jpg', '--warmup', 1], capsys)
    assert code == 0, err
    assert '| AP@0.5 vehicle |' in out and '| end to end' in out
    assert cv2.imread(str(root / 'drawn.jpg')).shape == (180, 320, 3)
    assert load_tool('test_deployed').main([exported['config'], exported['onnx'], '--json',
                                            str(root / 'theirs.json')]) == 0
    ours = json.loads((root / 'ours.json').read_text())['metrics']
    theirs = next(iter(json.loads((root / 'theirs.json').read_text()).values()))
    # a non-trivial number is compared (the random CenterNet scores 0.17, the other families
    # 0.48-0.67)
    assert ours['mAP_50'] > 0.1, ours
    assert abs(ours['mAP'] - theirs['coco/bbox_mAP']) <= 0.001  # mmdet rounds to 3 decimals
    assert abs(ours['mAP_50'] - theirs['coco/bbox_mAP_50_unrounded']) <= 0.001
    for name, ap in ours['AP50'].items():
        assert ap == pytest.approx(theirs[f'coco/{name}_AP50'], abs=0.001, nan_ok=True), name

    # one image through mmdet's test pipeline and test_deployed's predictor
    from mmcv.transforms import Compose
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmdet_lite.export.deployed_eval import onnx_predictor, raw_pad_value
    from mmdet_lite.export.onnx_detector import OnnxDetector
    cfg = Config.fromfile(exported['config'])
    init_default_scope('mmdet')
    data = Compose(cfg.test_dataloader.dataset.pipeline)(
        dict(img_path=str(root / 'images' / '000.jpg'), img_id=100))
    ref = onnx_predictor(OnnxDetector(exported['onnx']), raw_pad_value(
        cfg.model.data_preprocessor), 4)([data['inputs']], [data['data_samples']])[0]
    pre, back = jetson('engine_pipeline'), jetson('engine_backends')
    x, factor = pre.preprocess(pre.read_image(str(root / 'images' / '000.jpg')),
                               exported['info'])
    boxes, scores, labels, bad = pre.postprocess(
        back.OnnxRuntimeBackend(exported['onnx']).infer(x), factor)
    assert bad == 0 and len(labels) > 0
    np.testing.assert_array_equal(boxes, ref.pred_instances.bboxes.numpy())
    np.testing.assert_array_equal(scores, ref.pred_instances.scores.numpy())
    np.testing.assert_array_equal(labels, ref.pred_instances.labels.numpy())


class FakeMemory:
    """Device memory as a dict of byte strings; records every copy (pointer, shape, dtype)."""

    stream_handle = 77

    def __init__(self):
        self.buffers, self.copies = {}, []

    def host(self, shape, dtype):
        return np.zeros(shape, dtype)

    def device(self, nbytes):
        ptr = 1000 + 64 * len(self.buffers)
        self.buffers[ptr] = bytes(nbytes)
        return ptr

    def to_device(self, ptr, array):
        self.copies.append(('htod', ptr, array.shape, array.dtype))
        self.buffers[ptr] = np.ascontiguousarray(array).tobytes()

    def to_host(self, array, ptr):
        self.copies.append(('dtoh', ptr, array.shape, array.dtype))
        array[...] = np.frombuffer(self.buffers[ptr], array.dtype).reshape(array.shape)

    def synchronize(self):
        self.copies.append(('sync', ))


class FakeTensorRT:
    """The parts of the ``tensorrt`` module the backend uses. An "engine file" names the ONNX
    file the fake engine runs with onnxruntime; its I/O are listed in ``order`` (TensorRT does
    not promise the input first) with TensorRT's dtypes: labels int32, the input ``input_dtype``.
    ``named``: TensorRT >= 8.5's named-tensor API instead of 8.2's bindings."""

    class Logger:
        WARNING = 2

        def __init__(self, level):
            self.level = level

    class TensorIOMode:
        INPUT, OUTPUT = 'in', 'out'

    def __init__(self, memory, named, order=('labels', 'input', 'dets'), input_dtype='HALF'):
        self.memory, self.named, self.order, self.input_dtype = memory, named, order, input_dtype
        self.calls = []

    @staticmethod
    def nptype(dtype):
        return {'FLOAT': np.float32, 'HALF': np.float16, 'INT32': np.int32}[dtype]

    def init_libnvinfer_plugins(self, logger, namespace):
        self.calls.append('plugins')

    def Runtime(self, logger):  # noqa: N802 (TensorRT's name)
        fake = self

        class Runtime:
            def deserialize_cuda_engine(self, data):
                return (NamedEngine if fake.named else BindingEngine)(fake, data.decode())
        return Runtime()


class _Engine:
    def __init__(self, fake, onnx_file):
        import onnxruntime as ort
        self.fake, self.session = fake, ort.InferenceSession(onnx_file)
        inp = self.session.get_inputs()[0]  # output shapes as the engine's, static
        outs = self.session.run(['dets', 'labels'], {'input': np.zeros(inp.shape, np.float32)})
        shapes = dict(input=tuple(inp.shape), dets=outs[0].shape, labels=outs[1].shape)
        dtypes = dict(input=fake.input_dtype, dets='FLOAT', labels='INT32')
        self.io = [(n, shapes[n], dtypes[n], n == 'input') for n in fake.order]

    def run(self, ptrs):
        """Read the input at its pointer, run, write each output at its pointer."""
        fake, mem = self.fake, self.fake.memory
        feeds = {}
        for (name, shape, dtype, is_input), ptr in zip(self.io, ptrs, strict=True):
            if is_input:
                feeds[name] = np.frombuffer(mem.buffers[ptr], fake.nptype(dtype)).reshape(
                    shape).astype(np.float32)
        outs = dict(zip(['dets', 'labels'], self.session.run(['dets', 'labels'], feeds),
                        strict=True))
        for (name, _, dtype, is_input), ptr in zip(self.io, ptrs, strict=True):
            if not is_input:
                mem.buffers[ptr] = outs[name].astype(fake.nptype(dtype)).tobytes()


class BindingEngine(_Engine):
    """TensorRT 8.2: bindings by index, ``execute_async_v2``."""

    @property
    def num_bindings(self):
        return len(self.io)

    def get_binding_name(self, i):
        return self.io[i][0]

    def get_binding_shape(self, i):
        return self.io[i][1]

    def get_binding_dtype(self, i):
        return self.io[i][2]

    def binding_is_input(self, i):
        return self.io[i][3]

    def create_execution_context(self):
        engine = self

        class Context:
            def execute_async_v2(self, bindings, stream_handle):
                engine.fake.calls.append(('execute_async_v2', list(bindings), stream_handle))
                engine.run(bindings)
                return True
        return Context()


class NamedEngine(_Engine):
    """TensorRT >= 8.5: tensors by name, ``set_tensor_address``, ``execute_async_v3``."""

    @property
    def num_io_tensors(self):
        return len(self.io)

    def get_tensor_name(self, i):
        return self.io[i][0]

    def _find(self, name):
        return next(item for item in self.io if item[0] == name)

    def get_tensor_shape(self, name):
        return self._find(name)[1]

    def get_tensor_dtype(self, name):
        return self._find(name)[2]

    def get_tensor_mode(self, name):
        return 'in' if self._find(name)[3] else 'out'

    def create_execution_context(self):
        engine, addresses = self, {}

        class Context:
            def set_tensor_address(self, name, ptr):
                addresses[name] = ptr

            def execute_async_v3(self, stream_handle):
                engine.fake.calls.append(('execute_async_v3', dict(addresses), stream_handle))
                engine.run([addresses[n] for n, _, _, _ in engine.io])
                return True
        return Context()


@pytest.mark.parametrize('named', [False, True], ids=['trt8.2-bindings', 'trt8.5-named'])
def test_tensorrt_backend_with_a_fake_engine(named, tmp_path, capsys, monkeypatch):
    """The TensorRT backend gives the onnxruntime backend's mAP on the same file; it sizes its
    buffers from the engine (the input's dtype included), finds outputs by name, hands the
    engine one pointer per binding in binding order (8.2) or every tensor's address (8.5+)."""
    from mmdet_lite.export import export_onnx
    config = osp.join(REPO_ROOT, FAMILIES['gfl'])
    lively_checkpoint(config, str(tmp_path / 'm.pth'))
    (tmp_path / 'images').mkdir()
    onnx_file = export_onnx(config, str(tmp_path / 'm.pth'), (128, 224), str(tmp_path / 'm.onnx'))
    info = jetson('engine_pipeline').load_info(str(tmp_path / 'm.deploy.json'))
    ann = write_split(tmp_path, onnx_file, info)
    (tmp_path / 'm.engine').write_text(onnx_file)  # what the fake engine runs
    memory = FakeMemory()
    trt = FakeTensorRT(memory, named)
    back = jetson('engine_backends')
    backend = back.TensorRTBackend(str(tmp_path / 'm.engine'), trt=trt, memory=memory)
    common = ['--ann', ann, '--images', tmp_path / 'images', '--warmup', 0]
    code, out_ort, err = run_evaluator([onnx_file, *common], capsys)
    assert code == 0, err
    monkeypatch.setattr(jetson('evaluate_engine'), 'make_backend', lambda *args: backend)
    code, out_trt, err = run_evaluator([tmp_path / 'm.engine', *common], capsys)
    assert code == 0, err
    assert '(tensorrt backend, fp32 file' in out_trt
    table = out_ort[out_ort.index('| metric |'):]
    assert table == out_trt[out_trt.index('| metric |'):]  # every AP the same
    assert float(re.search(r'\| AP@0.5 \| ([0-9.]+)', table).group(1)) > 0.2
    ptrs = dict(zip(trt.order, backend.ptrs, strict=True))
    assert trt.calls[0] == 'plugins' and len(trt.calls) == 5  # 4 images, no warm-up
    if named:
        assert trt.calls[1] == ('execute_async_v3', ptrs, 77)
    else:
        assert trt.calls[1] == ('execute_async_v2', [ptrs[n] for n in trt.order], 77)
    assert memory.copies[:4] == [
        ('htod', ptrs['input'], (1, 3, 128, 224), np.float16),  # the engine's input dtype
        ('dtoh', ptrs['labels'], tuple(backend.io[0][1]), np.int32),
        ('dtoh', ptrs['dets'], tuple(backend.io[2][1]), np.float32), ('sync', )]


@pytest.mark.parametrize('config', [
    # letterbox, Pad 114
    'configs/effnet_gfl/effnet-gfl_row1_lite0-320-relu6-gflv1_2xb64-280e_coco.py',
    'configs/mobile_centernet/mcn_hrnet-w16_2xb16-60e_bdd100k.py'])  # stretch to 576x320
def test_preprocessing_is_the_config_test_pipeline(config, tmp_path):
    """The deploy info's pre-processing gives, bit for bit, the input tensor and scale factor
    that mmdet's test pipeline and tools/test_deployed.py give, for an odd-sized image."""
    from mmcv.transforms import Compose
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmdet_lite.export.deploy_info import build_deploy_info
    from mmdet_lite.export.deployed_eval import pad_to, raw_pad_value
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    init_default_scope('mmdet')
    shape = (320, 320) if 'coco' in config else (320, 576)
    (tmp_path / 'm.onnx').write_bytes(b'stand-in')
    info = build_deploy_info(cfg, config, str(tmp_path / 'm.onnx'), ['a'], shape, 'fp32',
                             'test', normalize_in_graph=True)
    img = np.random.default_rng(0).integers(0, 255, (211, 333, 3), dtype=np.uint8)
    cv2.imwrite(str(tmp_path / 'odd.png'), img)
    data = Compose(cfg.test_dataloader.dataset.pipeline)(dict(img_path=str(tmp_path / 'odd.png'),
                                                              img_id=0))
    pre = jetson('engine_pipeline')
    x, factor = pre.preprocess(pre.read_image(str(tmp_path / 'odd.png')), info)
    ref = pad_to(data['inputs'].numpy().astype(np.float32), shape,
                 raw_pad_value(cfg.model.data_preprocessor))
    np.testing.assert_array_equal(x[0], ref)
    assert factor == data['data_samples'].metainfo['scale_factor']


@pytest.mark.parametrize('exported', ['gfl'], indirect=True)
def test_refusals(exported, capsys, monkeypatch):
    """A deploy info of another file, a missing one, a missing image and non-finite outputs
    end with exit code 1 and a message naming the thing, never with a table of numbers."""
    root = exported['root']
    args = ['--ann', exported['ann'], '--images', root / 'images', '--warmup', 0]
    other = root / 'other.onnx'
    other.write_bytes(open(exported['onnx'], 'rb').read() + b'\0')
    code, _, err = run_evaluator([other, '--info', root / 'model.deploy.json', *args], capsys)
    assert code == 1 and 'describes model.onnx' in err and 'not ' + str(other) in err
    code, _, err = run_evaluator([other, *args], capsys)
    assert code == 1 and 'no deploy info' in err and 'other.deploy.json' in err
    code, _, err = run_evaluator([exported['onnx'], '--ann', exported['ann'], '--images', root],
                                 capsys)
    assert code == 1 and '4 image(s) of' in err and '000.jpg' in err

    back = jetson('engine_backends')
    infer = back.OnnxRuntimeBackend.infer

    def nan_scores(self, x):
        outs = infer(self, x)
        outs['dets'][0, :3, 4] = np.nan
        return outs
    monkeypatch.setattr(back.OnnxRuntimeBackend, 'infer', nan_scores)
    code, out, err = run_evaluator([exported['onnx'], *args], capsys)
    assert code == 1 and '12 output row(s) with NaN or inf in 4 image(s)' in err
    assert '| end to end' in out and '| metric |' not in out


@pytest.mark.parametrize('exported', ['gfl'], indirect=True)
def test_test_deployed_reads_the_files_own_description(exported, tmp_path):
    """tools/test_deployed.py refuses a file of another model and a file it cannot know the
    input of (no metadata, no deploy info: mmdeploy's end2end.onnx), and evaluates the latter
    when a deploy info describes it."""
    import onnx
    tool = load_tool('test_deployed')
    other = osp.join(REPO_ROOT, FAMILIES['refinedet'])  # same classes and input size
    with pytest.raises(SystemExit, match=r'was exported from .*effnet-gfl_row4.*, whose model .* '
                       r'differs from that of .*refinedet-lite_res2netlite72_synthetic.py'):
        tool.main([other, exported['onnx']])
    bare = onnx.load(exported['onnx'])
    del bare.metadata_props[:]
    onnx.save(bare, str(tmp_path / 'bare.onnx'))
    with pytest.raises(SystemExit, match=r'bare.onnx carries no mmdet_lite metadata and has no '
                       r'bare.deploy.json beside it'):
        tool.main([exported['config'], str(tmp_path / 'bare.onnx')])
    from mmdet_lite.export.deploy_info import file_sha256
    info = dict(exported['info'], model_file='bare.onnx',
                model_sha256=file_sha256(str(tmp_path / 'bare.onnx')))
    (tmp_path / 'bare.deploy.json').write_text(json.dumps(info))
    assert tool.main([exported['config'], str(tmp_path / 'bare.onnx'), '--json',
                      str(tmp_path / 'bare.json')]) == 0
    theirs = json.loads((tmp_path / 'bare.json').read_text())
    assert next(iter(theirs.values()))['coco/bbox_mAP_50'] > 0.2


def test_ground_truth_rule_is_the_datasets():
    """The evaluator keeps its own copy of the ground-truth box rule (it runs without
    mmdet_lite); it must keep exactly the boxes check_coco_box keeps."""
    from mmdet_lite.datasets.coco_box import CLIPPED, OK, check_coco_box
    usable = jetson('engine_coco').usable_box
    cases = [[1, 2, 3, 4], [0, 0, 64, 48], [-5, -5, 10, 10], [60, 40, 20, 20], [70, 10, 5, 5],
             [10, 10, 0, 5], [10, 10, -3, 5], [63.5, 10, 5, 5], [float('nan'), 1, 2, 2],
             [1, 1, float('inf'), 2], [1, 2, 3], 'box', [1, 'a', 2, 2], None]
    for box in cases:
        assert usable(box, 64, 48) == (check_coco_box(box, 64, 48)[0] in (OK, CLIPPED)), box
