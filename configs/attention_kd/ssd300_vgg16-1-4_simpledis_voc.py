# SimpleDis baseline of Table 1: the same imitation loss with A = 1 on every feature cell.
_base_ = './ssd300_vgg16-1-4_attentiondis_voc.py'
model = dict(attention=False)
