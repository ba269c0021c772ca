# SimpleDis baseline of Table 1: the same imitation loss with A = 1 on every feature cell.
_base_ = './ssd300_mobilenet-1-2_attentiondis_voc.py'
model = dict(attention=False)
