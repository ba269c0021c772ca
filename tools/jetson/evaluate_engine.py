#!/usr/bin/env python3
"""COCO mAP and latency of a deployed mmdet_lite detector, on a Jetson TX2 or any machine.

    python3 evaluate_engine.py MODEL.engine --ann val.json --images val_images/
        [--info MODEL.deploy.json] [--backend auto|tensorrt|onnxruntime] [--threads N]
        [--warmup 10] [--max-images N] [--draw-out det.jpg] [--draw-image FILE]
        [--score-thr 0.3] [--json metrics.json]

MODEL is a TensorRT engine (``trtexec --onnx=end2end.onnx --fp16 --saveEngine=end2end.engine``)
or an ONNX file (onnxruntime, for CPUs). Its ``<stem>.deploy.json``, written by the export
beside the ONNX file, says how to pre-process (the config's test pipeline) and what the outputs
are. Every image of the annotation file runs through the model; the table gives COCO AP@[.5:.95],
AP@0.5 and per-class AP@0.5 as mmdet_lite's ``tools/test.py`` computes them, and the latency of
the model alone (host-device copies included) and with pre/post-processing (image decoding
excluded): median and min-max over the timed images after ``--warmup`` runs. Without ``--ann``
it times the images of ``--images`` only. Non-finite outputs fail the run (exit 1).

Standalone: Python 3.6 (JetPack 4.6), numpy, OpenCV, pycocotools, and tensorrt with pycuda or
cuda-python, or onnxruntime. Copy this folder to the device; mmdet_lite is not needed there.
"""

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import engine_coco  # noqa: E402
from engine_backends import make_backend  # noqa: E402
from engine_pipeline import (  # noqa: E402
    DeployError,
    check_model_file,
    draw,
    find_info,
    load_info,
    postprocess,
    preprocess,
    read_image,
)

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('model', help='TensorRT engine or ONNX file')
    parser.add_argument('--ann', help='COCO annotation file of the evaluated images')
    parser.add_argument('--images', required=True, help='folder of the images')
    parser.add_argument('--info', help='deploy info (default: <model stem>.deploy.json)')
    parser.add_argument('--backend', choices=('auto', 'tensorrt', 'onnxruntime'),
                        default='auto', help='auto: onnxruntime for .onnx, else TensorRT')
    parser.add_argument('--threads', type=int, help='onnxruntime intra-op threads')
    parser.add_argument('--warmup', type=int, default=10, help='untimed runs first (10)')
    parser.add_argument('--max-images', type=int, help='the first N images only')
    parser.add_argument('--draw-out', help='draw one image\'s detections to this file')
    parser.add_argument('--draw-image', help='file name of the image to draw (default: first)')
    parser.add_argument('--score-thr', type=float, default=0.3, help='for drawing (0.3)')
    parser.add_argument('--json', help='also write the metrics and latencies to this file')
    return parser.parse_args(argv)


def check_io(backend, info, model):
    """The model must take the input and give the outputs the deploy info describes."""
    want = tuple(info['input']['shape'])
    if tuple(backend.input_shape) != want:
        raise DeployError('{} takes input {}, but its deploy info says {}: the info belongs to '
                          'another export'.format(model, tuple(backend.input_shape), want))
    missing = [name for name in info['outputs'] if name not in backend.output_names]
    if missing:
        raise DeployError('{} has no output {} (outputs {}): it is not an end-to-end file of '
                          'this package'.format(model, missing, backend.output_names))


def list_images(args, classes):
    """``[(image id or None, path)]`` and the ground truth ``(COCO, category ids, dropped
    boxes)`` (None without ``--ann``); a listed image missing on disk is refused."""
    if not os.path.isdir(args.images):
        raise DeployError('image folder {} not found'.format(args.images))
    if not args.ann:
        names = sorted(n for n in os.listdir(args.images)
                       if n.lower().endswith(IMAGE_EXTENSIONS))
        items = [(None, os.path.join(args.images, n)) for n in names]
        gt = None
    else:
        if not os.path.isfile(args.ann):
            raise DeployError('annotation file {} not found'.format(args.ann))
        gt = engine_coco.load_ground_truth(args.ann, classes)
        coco = gt[0]
        items = [(i, os.path.join(args.images, coco.imgs[i]['file_name']))
                 for i in coco.getImgIds()]
    items = items[:args.max_images] if args.max_images else items
    missing = [path for _, path in items if not os.path.isfile(path)]
    if missing:
        raise DeployError('{} image(s) of {} are not in {} (first: {}): pass the folder the '
                          'annotation file\'s file_name entries are relative to'.format(
                              len(missing), args.ann or 'the folder', args.images, missing[0]))
    if not items:
        raise DeployError('no image to evaluate in {}'.format(args.ann or args.images))
    return items, gt


def run_images(backend, info, items, args):
    """Run every image; returns detections per image id, timings (ms), non-finite counts."""
    first = read_image(items[0][1])
    for _ in range(max(args.warmup, 0)):
        x, factor = preprocess(first, info)
        postprocess(backend.infer(x), factor)
    times = dict(pre=[], model=[], post=[], total=[])
    dets, bad = [], []
    for img_id, path in items:
        image = read_image(path)
        t0 = time.perf_counter()
        x, factor = preprocess(image, info)
        t1 = time.perf_counter()
        outs = backend.infer(x)
        t2 = time.perf_counter()
        boxes, scores, labels, non_finite = postprocess(outs, factor)
        t3 = time.perf_counter()
        for key, t in (('pre', t1 - t0), ('model', t2 - t1), ('post', t3 - t2),
                       ('total', t3 - t0)):
            times[key].append(1000.0 * t)
        if non_finite:
            bad.append((path, non_finite))
        dets.append((img_id, path, boxes, scores, labels))
    return dets, times, bad


def latency_table(times, warmup):
    rows = [('pre-processing (resize, pad, normalise)', 'pre'),
            ('model (input/output copies + inference)', 'model'),
            ('post-processing (drop padding, rescale)', 'post'),
            ('end to end (pre + model + post; decoding excluded)', 'total')]
    lines = ['| latency | median ms | min-max ms |', '|---|---|---|']
    for label, key in rows:
        v = times[key]
        lines.append('| {} | {:.2f} | {:.2f}-{:.2f} |'.format(label, statistics.median(v),
                                                              min(v), max(v)))
    lines.append('{} timed images after {} warm-up runs; {:.1f} images/s end to end at the '
                 'median'.format(len(times['total']), warmup,
                                 1000.0 / statistics.median(times['total'])))
    return '\n'.join(lines)


def metric_table(metrics):
    lines = ['| metric | value |', '|---|---|',
             '| AP@[.5:.95] | {:.4f} |'.format(metrics['mAP']),
             '| AP@0.5 | {:.4f} |'.format(metrics['mAP_50'])]
    for name, value in metrics['AP50'].items():
        lines.append('| AP@0.5 {} | {:.4f} |'.format(name, value))
    return '\n'.join(lines)


def draw_one(args, dets, info):
    chosen = [d for d in dets if args.draw_image is None or os.path.basename(d[1]) ==
              os.path.basename(args.draw_image)]
    if not chosen:
        raise DeployError('--draw-image {} is not among the evaluated images'.format(
            args.draw_image))
    _, path, boxes, scores, labels = chosen[0]
    shown = draw(read_image(path), boxes, scores, labels, info['classes'], args.score_thr,
                 args.draw_out)
    print('drew {} detection(s) scoring >= {} of {} to {}'.format(shown, args.score_thr, path,
                                                                  args.draw_out))


def write_json(args, report):
    inputs = [args.model, args.ann, args.info]
    if any(p and os.path.abspath(p) == os.path.abspath(args.json) for p in inputs):
        raise DeployError('--json {} is one of the inputs; choose another file'.format(
            args.json))
    with open(args.json, 'w') as f:
        json.dump(report, f, indent=2)


def evaluate(args):
    info_file = find_info(args.model, args.info)
    info = load_info(info_file)
    check_model_file(info, args.model, info_file)
    backend = make_backend(args.model, args.backend, args.threads)
    check_io(backend, info, args.model)
    items, gt = list_images(args, info['classes'])
    print('{} ({} backend, {} file of {}), input {}, {} image(s)'.format(
        args.model, backend.name, info.get('precision'), info.get('config'),
        info['input']['shape'], len(items)))
    dets, times, bad = run_images(backend, info, items, args)
    report = dict(model=args.model, backend=backend.name, precision=info.get('precision'),
                  images=len(items), latency_ms=times)
    print(latency_table(times, args.warmup))
    if bad:
        raise DeployError(
            '{} output row(s) with NaN or inf in {} image(s) (first: {}): the model\'s numbers '
            'are not usable, so no mAP is reported. An fp16 engine that overflows: compare with '
            'the fp32 ONNX file on onnxruntime, or build the engine without --fp16.'.format(
                sum(n for _, n in bad), len(bad), bad[0][0]))
    if gt is not None:
        coco, cat_ids, dropped = gt
        results = []
        for img_id, _, boxes, scores, labels in dets:
            results += engine_coco.to_coco_results(img_id, boxes, scores, labels, cat_ids)
        report['metrics'] = engine_coco.evaluate(coco, cat_ids, info['classes'], results,
                                                 [i for i, _ in items])
        if dropped:
            print('left out {} ground-truth box(es) with NaN/inf, zero-area or outside '
                  'coordinates (as tools/test.py)'.format(dropped))
        print(metric_table(report['metrics']))
    if args.draw_out:
        draw_one(args, dets, info)
    if args.json:
        write_json(args, report)
    return report


def main(argv=None):
    args = parse_args(argv)
    try:
        evaluate(args)
    except DeployError as err:
        print('evaluate_engine: {}'.format(err), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
