# SimpleDis baseline of Table 1 on the synthetic benchmark (A = 1 everywhere).
_base_ = './attentiondis_ssd300_vgg16-teacher_vgg16-1-4-student_synthetic.py'
model = dict(attention=False)
