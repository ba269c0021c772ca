from .mobilenet_v1 import MobileNetV1
from .thin_ssd_vgg import ThinSSDVGG, scaled_channels, ssd_neck_channels

__all__ = ['MobileNetV1', 'ThinSSDVGG', 'scaled_channels', 'ssd_neck_channels']
