# The README's commands. Everything runs inside .venv (created by `make install`).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
export PATH := $(abspath $(VENV))/bin:$(PATH)
# mmcv 2.1.0 is only published as source: build it once with its ops (CUDA ops where torch is a
# CUDA build and nvcc is there; TORCH_CUDA_ARCH_LIST chooses the GPUs), then reuse the wheel,
# cached per mmcv, torch, CUDA, Python and ops kind (tools/install_mmcv.py)
WHEEL_CACHE ?= $(HOME)/.cache/mmdet_lite/wheels
MMCV_VERSION := 2.1.0
# EfficientNet-Lite1 + PAN + GFLv2 (4 epochs from the shipped backbone, 14.5 min on 2 cores in
# fp32, README): the family whose every class passes AP@0.5 0.10 in budget; the Mobile CenterNet
# student (8 min, bicycle under 0.10) is
# `make demo DEMO_CONFIG=configs/mobile_centernet/mcn_hrnet-w16_cbfl_synthetic.py`
DEFAULT_DEMO_CONFIG := configs/effnet_gfl/effnet-gfl_row4-dense_lite1-416-silu-gflv2-amp_synthetic.py
DEMO_CONFIG ?= $(DEFAULT_DEMO_CONFIG)
# a work dir belongs to one config: another DEMO_CONFIG gets its own
DEMO_DIR ?= $(if $(filter $(DEFAULT_DEMO_CONFIG),$(DEMO_CONFIG)),work_dirs/demo,work_dirs/demo_$(basename $(notdir $(DEMO_CONFIG))))
PYTEST_ARGS ?=
# one pytest worker per core (8 at most: each holds torch and mmdet in memory), each test file on
# one worker (its module fixtures built once); `make test PYTEST_XDIST=` runs it in one process
PYTEST_XDIST ?= -n auto --maxprocesses 8 --dist loadfile

.PHONY: install install-deploy demo test docs-check lint format pretrain-mcn pretrain-mcn-teacher pretrain-rdl pretrain-agkd pretrain-effnet ablation-mcn ablation-agkd ablation-rdl ablation-effnet benchmark-kd check-gpu benchmark-amp imagenet-effnet

install:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements/build.txt -r requirements/runtime.txt -r requirements/tests.txt
	$(PIP) install -q --no-deps -r requirements/tests-nodeps.txt
	$(PIP) install -q --no-deps --upgrade --target $(VENV)/test-references -r requirements/tests-references.txt
	$(PY) tools/install_mmcv.py --version $(MMCV_VERSION) --cache $(WHEEL_CACHE)
	@# a regular (non-editable) install: `mim train mmdet_lite` needs mmdet_lite/.mim in site-packages
	@# setuptools never prunes build/lib: a module moved or deleted in the sources would stay installed
	rm -rf build
	$(PIP) install -q --no-deps --no-build-isolation --force-reinstall .
	@$(PY) -c "import mmdet_lite, mmcv.ops; print('mmdet_lite', mmdet_lite.__version__, 'installed')"

# optional: mmdeploy 1.3.1 for tools/deploy.py (its protobuf pin is skipped, see requirements/deploy.txt)
install-deploy: install
	$(PIP) install -q -r requirements/deploy.txt
	$(PIP) install -q --no-deps mmdeploy==1.3.1
	@$(PY) -c "import mmdet_lite.deploy, onnx, onnxruntime; print('mmdeploy extra installed')"

demo: install
	$(PY) tools/make_synthetic.py --out data/synthetic
	mim train mmdet_lite $(DEMO_CONFIG) --work-dir $(DEMO_DIR)
	mim test mmdet_lite $(DEMO_CONFIG) --checkpoint $$(cat $(DEMO_DIR)/last_checkpoint) --work-dir $(DEMO_DIR)
	$(PY) tools/draw_predictions.py $(DEMO_CONFIG) $$(cat $(DEMO_DIR)/last_checkpoint) \
	  data/synthetic/images/val/000001.jpg --out $(DEMO_DIR)/demo_prediction.jpg

# One-off: pre-train the W16 backbone on a differently seeded split and publish it to
# checkpoints/ (shipped; rerun only to reproduce it)
PRETRAIN_MCN := configs/mobile_centernet/mcn_hrnet-w16_pretrain_synthetic.py
pretrain-mcn: install
	$(PY) tools/make_synthetic.py --out data/synthetic_pretrain --seed 2026 --num-train 3000 --num-val 300
	$(PY) tools/train.py $(PRETRAIN_MCN) --work-dir work_dirs/mcn_hrnet-w16_pretrain_synthetic --resume
	$(PY) tools/publish_checkpoint.py work_dirs/mcn_hrnet-w16_pretrain_synthetic/epoch_4.pth \
	  checkpoints/mcn_hrnet-w16_pretrain_synthetic.pth --prefix backbone.

# One-off: pre-train the W32 teacher's backbone the same way (not shipped, 114 MiB); a file
# target, so ablation-mcn makes it only when it is missing
PRETRAIN_MCN_TEACHER := configs/mobile_centernet/mcn_hrnet-w32_pretrain_synthetic.py
MCN_TEACHER_BACKBONE := checkpoints/mcn_hrnet-w32_pretrain_synthetic.pth
pretrain-mcn-teacher: install $(MCN_TEACHER_BACKBONE)
$(MCN_TEACHER_BACKBONE):
	$(PY) tools/make_synthetic.py --out data/synthetic_pretrain --seed 2026 --num-train 3000 --num-val 300
	$(PY) tools/train.py $(PRETRAIN_MCN_TEACHER) --work-dir work_dirs/mcn_hrnet-w32_pretrain_synthetic --resume
	$(PY) tools/publish_checkpoint.py work_dirs/mcn_hrnet-w32_pretrain_synthetic/epoch_4.pth \
	  $(MCN_TEACHER_BACKBONE) --prefix backbone.

# Table 2 of Mobile CenterNet on the synthetic benchmark, 3 seeds per student row (teacher once)
ablation-mcn: install $(MCN_TEACHER_BACKBONE)
	$(PY) tools/reproduce_mobile_centernet.py --work-dir work_dirs/ablation_mcn --seeds 3

# One-off: pre-train the backbones of the SSD teacher (not shipped) and the 1/8 VGG16
# student (shipped, 1.3 MiB) that the synthetic attention-KD rows load; file targets, made by
# ablation-agkd if missing
AGKD_BACKBONES := checkpoints/ssd300_vgg16_teacher_pretrain_synthetic.pth \
	checkpoints/ssd300_vgg16-1-8_pretrain_synthetic.pth
pretrain-agkd: install $(AGKD_BACKBONES)
$(AGKD_BACKBONES): checkpoints/ssd300_%_pretrain_synthetic.pth:
	$(PY) tools/make_synthetic.py --out data/synthetic_pretrain --seed 2026 --num-train 3000 --num-val 300
	$(PY) tools/train.py configs/attention_kd/ssd300_$*_pretrain_synthetic.py \
	  --work-dir work_dirs/ssd300_$*_pretrain_synthetic --resume
	$(PY) tools/publish_checkpoint.py work_dirs/ssd300_$*_pretrain_synthetic/epoch_6.pth $@ \
	  --prefix backbone.

# Table 1 of attention-guided KD (1/8 VGG16: scratch, SimpleDis, AttentionDis, AttentionDis with
# normalised maps) on the synthetic data, 3 seeds per student row (teacher once)
ablation-agkd: install $(AGKD_BACKBONES)
	$(PY) tools/reproduce_attention_kd.py --work-dir work_dirs/ablation_agkd --seeds 3

# One-off: pre-train the Res2NetLite72 backbone that the synthetic RefineDetLite rows load (not
# shipped, 50 MiB); a file target, so ablation-rdl makes it only when it is missing
PRETRAIN_RDL := configs/refinedet_lite/refinedet-lite_res2netlite72_pretrain_synthetic.py
RDL_BACKBONE := checkpoints/refinedet-lite_res2netlite72_pretrain_synthetic.pth
pretrain-rdl: install $(RDL_BACKBONE)
$(RDL_BACKBONE):
	$(PY) tools/make_synthetic.py --out data/synthetic_pretrain --seed 2026 --num-train 3000 --num-val 300
	$(PY) tools/train.py $(PRETRAIN_RDL) --work-dir work_dirs/refinedet-lite_res2netlite72_pretrain_synthetic --resume
	$(PY) tools/publish_checkpoint.py work_dirs/refinedet-lite_res2netlite72_pretrain_synthetic/epoch_6.pth \
	  $(RDL_BACKBONE) --prefix backbone.

# Table 3 rows (c) basic and (o) ++ on the synthetic data, 3 seeds per row
ablation-rdl: install $(RDL_BACKBONE)
	$(PY) tools/reproduce_refinedet_lite.py --work-dir work_dirs/ablation_rdl --seeds 3

# One-off: pre-train the EfficientNet-Lite1 (rows 3-5, shipped) and Lite3 (LD teacher, not
# shipped) backbones on the synthetic pre-training split; file targets, made by ablation-effnet
# if missing
EFFNET_BACKBONES := checkpoints/effnet-gfl_lite1-silu_pretrain_synthetic.pth \
	checkpoints/effnet-gfl_teacher-lite3_pretrain_synthetic.pth
pretrain-effnet: install $(EFFNET_BACKBONES)
$(EFFNET_BACKBONES): checkpoints/effnet-gfl_%_pretrain_synthetic.pth:
	$(PY) tools/make_synthetic.py --out data/synthetic_pretrain --seed 2026 --num-train 3000 --num-val 300
	$(PY) tools/train.py configs/effnet_gfl/effnet-gfl_$*_pretrain_synthetic.py \
	  --work-dir work_dirs/effnet-gfl_$*_pretrain_synthetic --resume
	$(PY) tools/publish_checkpoint.py work_dirs/effnet-gfl_$*_pretrain_synthetic/epoch_6.pth $@ \
	  --prefix backbone.

# ImageNet weights of the COCO configs' EfficientNet-Lite0/1/3 backbones: timm's TensorFlow ports,
# downloaded and converted to the backbone's keys (not shipped; needs the network once)
EFFNET_IMAGENET := checkpoints/tf_efficientnet_lite0_imagenet.pth \
	checkpoints/tf_efficientnet_lite1_imagenet.pth checkpoints/tf_efficientnet_lite3_imagenet.pth
imagenet-effnet: install $(EFFNET_IMAGENET)
$(EFFNET_IMAGENET): checkpoints/tf_efficientnet_%_imagenet.pth:
	$(PY) tools/model_converters/efficientnet_lite_to_mmdet_lite.py timm $@ --arch $*

# Table 2 rows 3, 4 dense, 4 (2:4), 5 (LD, reference) and 5 (LD per positive), 3 seeds per
# student row (teacher once)
ablation-effnet: install $(EFFNET_BACKBONES)
	$(PY) tools/reproduce_effnet_gfl.py --work-dir work_dirs/ablation_effnet --seeds 3

benchmark-kd: install
	$(PY) tools/benchmark_kd.py

# On a CUDA machine: each family trains 2 iterations with mixed precision, tests and exports
# with tools/deploy.py --device cuda:0 (a pass/fail table; exit 2 where there is no CUDA)
check-gpu: install-deploy
	$(PY) tools/check_gpu.py

# The demo config's train step: fp32 OptimWrapper vs MixedPrecisionOptimWrapper on this CPU
benchmark-amp: install
	$(PY) tools/benchmark_amp.py

test: install
	$(PY) -m pytest projects_tests $(PYTEST_XDIST) $(PYTEST_ARGS)

# The docs' commands (README.md, docs/**/*.md, configs/*/README.md): the configs, tools and make
# targets they name exist, every documented tool answers --help, mim search reads the model
# index; and the chart tool's tests. Seconds, in the .venv of `make install` (not rebuilt here)
docs-check:
	@test -x $(PY) || { echo "$(PY) not found: run make install first"; exit 1; }
	$(PY) -m pytest projects_tests/test_docs.py projects_tests/tools/test_plot_tradeoff.py $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check .
