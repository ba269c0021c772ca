#!/usr/bin/env bash
# Train on several GPUs (or CPU processes, gloo) with torchrun; the interface of mmdet's script.
#   bash tools/dist_train.sh CONFIG GPUS [tools/train.py options]
#   bash tools/dist_train.sh configs/effnet_gfl/effnet-gfl_row3_lite1-416-silu-gflv1-amp_2xb64-280e_coco.py 8 --auto-scale-lr
# Several machines: NNODES=2 NODE_RANK=0|1 MASTER_ADDR=<node 0's address> on each, same PORT.
# A config's auto_scale_lr.base_batch_size is its paper's total batch: with another number of
# GPUs or batch per GPU, pass --auto-scale-lr so the learning rate follows the total batch.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bash tools/dist_train.sh CONFIG GPUS [tools/train.py options]" >&2
  exit 2
fi
CONFIG=$1
GPUS=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
PYTHONPATH="$HERE/..${PYTHONPATH:+:$PYTHONPATH}" exec "${PYTHON:-python}" -m torch.distributed.run \
  --nnodes="${NNODES:-1}" --node_rank="${NODE_RANK:-0}" --master_addr="${MASTER_ADDR:-127.0.0.1}" \
  --master_port="${PORT:-29500}" --nproc_per_node="$GPUS" \
  "$HERE/train.py" "$CONFIG" --launcher pytorch "$@"
