# SimpleDis baseline of Table 1 on the synthetic benchmark (A = 1 everywhere).
_base_ = './ssd300_vgg16-1-8_attentiondis_synthetic.py'
model = dict(attention=False)
