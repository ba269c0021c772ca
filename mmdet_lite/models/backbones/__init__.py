from .efficientnet_lite import EfficientNetLite
from .mobilenet_v1 import MobileNetV1
from .res2netlite import Res2NetLite
from .thin_ssd_vgg import ThinSSDVGG, scaled_channels, ssd_neck_channels

__all__ = ['EfficientNetLite', 'MobileNetV1', 'Res2NetLite', 'ThinSSDVGG', 'scaled_channels',
           'ssd_neck_channels']
