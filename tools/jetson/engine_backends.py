"""Run a deployed detector: onnxruntime (CPUs, tests) or a TensorRT engine (the Jetson).

Both take the ``[1, 3, H, W]`` float32 input of :func:`engine_pipeline.preprocess` and return
``{output name: array}``; everything else is shared. The TensorRT backend is written against
TensorRT 8.2's Python API, the one JetPack 4.6 ships (bindings: ``num_bindings``,
``get_binding_name``, ``execute_async_v2``), and uses the named-tensor API of TensorRT >= 8.5
(``num_io_tensors``, ``set_tensor_address``, ``execute_async_v3``) where the engine offers it.
Device memory through pycuda or, without it, cuda-python.
"""

import numpy as np
from engine_pipeline import DeployError


class OnnxRuntimeBackend(object):
    """An ONNX file on onnxruntime's CPU provider (``threads``: intra-op threads)."""

    name = 'onnxruntime'

    def __init__(self, path, threads=None):
        import onnxruntime as ort
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        self.input_shape = tuple(inp.shape)
        self.output_names = [o.name for o in self.session.get_outputs()]

    def infer(self, x):
        outs = self.session.run(self.output_names, {self.input_name: x})
        return dict(zip(self.output_names, outs))


class PyCudaMemory(object):
    """Device buffers, copies and a stream through pycuda (page-locked host buffers)."""

    def __init__(self):
        import pycuda.autoinit  # noqa: F401  (creates the context)
        import pycuda.driver as cuda
        self.cuda = cuda
        self.stream = cuda.Stream()
        self.stream_handle = self.stream.handle
        self._keep = []

    def host(self, shape, dtype):
        return self.cuda.pagelocked_empty(tuple(shape), dtype)

    def device(self, nbytes):
        mem = self.cuda.mem_alloc(max(int(nbytes), 1))
        self._keep.append(mem)
        return int(mem)

    def to_device(self, ptr, array):
        self.cuda.memcpy_htod_async(ptr, array, self.stream)

    def to_host(self, array, ptr):
        self.cuda.memcpy_dtoh_async(array, ptr, self.stream)

    def synchronize(self):
        self.stream.synchronize()


class CudaPythonMemory(object):
    """The same through NVIDIA's cuda-python (``cuda.cudart``)."""

    def __init__(self):
        from cuda import cudart
        self.rt = cudart
        self.stream = self._check(cudart.cudaStreamCreate())
        self.stream_handle = int(self.stream)

    def _check(self, result):
        err, rest = result[0], result[1:]
        if int(err) != 0:
            raise DeployError('CUDA error {}'.format(err))
        return rest[0] if len(rest) == 1 else None

    def host(self, shape, dtype):
        return np.empty(tuple(shape), dtype)

    def device(self, nbytes):
        return int(self._check(self.rt.cudaMalloc(max(int(nbytes), 1))))

    def to_device(self, ptr, array):
        kind = self.rt.cudaMemcpyKind.cudaMemcpyHostToDevice
        self._check(self.rt.cudaMemcpyAsync(ptr, array.ctypes.data, array.nbytes, kind,
                                            self.stream))

    def to_host(self, array, ptr):
        kind = self.rt.cudaMemcpyKind.cudaMemcpyDeviceToHost
        self._check(self.rt.cudaMemcpyAsync(array.ctypes.data, ptr, array.nbytes, kind,
                                            self.stream))

    def synchronize(self):
        self._check(self.rt.cudaStreamSynchronize(self.stream))


def cuda_memory():
    """pycuda if installed, else cuda-python."""
    try:
        return PyCudaMemory()
    except ImportError:
        pass
    try:
        return CudaPythonMemory()
    except ImportError as err:
        raise DeployError('the TensorRT backend needs pycuda (pip3 install pycuda) or '
                          'cuda-python (pip3 install cuda-python)') from err


def engine_io(trt, engine):
    """``[(name, shape, numpy dtype, is_input)]`` of the engine's inputs and outputs, and
    whether it has the named-tensor API (TensorRT >= 8.5) rather than bindings (8.2)."""
    if hasattr(engine, 'num_io_tensors'):
        io = []
        for i in range(engine.num_io_tensors):
            name = engine.get_tensor_name(i)
            io.append((name, tuple(engine.get_tensor_shape(name)),
                       np.dtype(trt.nptype(engine.get_tensor_dtype(name))),
                       engine.get_tensor_mode(name) == trt.TensorIOMode.INPUT))
        return io, True
    io = [(engine.get_binding_name(i), tuple(engine.get_binding_shape(i)),
           np.dtype(trt.nptype(engine.get_binding_dtype(i))), engine.binding_is_input(i))
          for i in range(engine.num_bindings)]
    return io, False


class TensorRTBackend(object):
    """A serialised engine (``trtexec --saveEngine``): one host and one device buffer per
    binding, shapes and dtypes from the engine. ``trt`` and ``memory`` default to the
    ``tensorrt`` module and :func:`cuda_memory` (the tests pass fakes)."""

    name = 'tensorrt'

    def __init__(self, path, trt=None, memory=None):
        if trt is None:
            import tensorrt as trt
        logger = trt.Logger(trt.Logger.WARNING)
        trt.init_libnvinfer_plugins(logger, '')
        with open(path, 'rb') as f:
            engine = trt.Runtime(logger).deserialize_cuda_engine(f.read())
        if engine is None:
            raise DeployError('TensorRT could not deserialise {} (built by another TensorRT '
                              'version or GPU? build it on this device with trtexec)'.format(path))
        self.memory = memory or cuda_memory()
        self.context = engine.create_execution_context()
        self.io, self.named = engine_io(trt, engine)
        if any(d < 0 for _, shape, _, _ in self.io for d in shape):
            raise DeployError('{} has dynamic shapes; build it from a static-shape ONNX file '
                              '(tools/export_onnx.py)'.format(path))
        self.host = [self.memory.host(shape, dtype) for _, shape, dtype, _ in self.io]
        self.ptrs = [self.memory.device(h.nbytes) for h in self.host]
        inputs = [i for i, item in enumerate(self.io) if item[3]]
        if len(inputs) != 1:
            raise DeployError('{} has {} inputs; a detector of this package has one'.format(
                path, len(inputs)))
        self.input_index = inputs[0]
        self.input_shape = self.io[self.input_index][1]
        self.output_names = [item[0] for item in self.io if not item[3]]
        if self.named:
            for (name, _, _, _), ptr in zip(self.io, self.ptrs):
                self.context.set_tensor_address(name, ptr)

    def infer(self, x):
        k = self.input_index
        self.host[k][...] = x.astype(self.host[k].dtype, copy=False)
        self.memory.to_device(self.ptrs[k], self.host[k])
        if self.named:
            self.context.execute_async_v3(self.memory.stream_handle)
        else:
            self.context.execute_async_v2(self.ptrs, self.memory.stream_handle)
        outs = {}
        for i, (name, _, _, is_input) in enumerate(self.io):
            if not is_input:
                self.memory.to_host(self.host[i], self.ptrs[i])
                outs[name] = self.host[i]
        self.memory.synchronize()
        return dict((name, array.copy()) for name, array in outs.items())


def make_backend(path, backend='auto', threads=None):
    """``onnxruntime`` for ``.onnx`` files, ``tensorrt`` for anything else (``auto``)."""
    if backend == 'auto':
        backend = 'onnxruntime' if path.endswith('.onnx') else 'tensorrt'
    if backend == 'onnxruntime':
        return OnnxRuntimeBackend(path, threads)
    if path.endswith('.onnx'):
        raise DeployError('{} is an ONNX file: build the engine with trtexec --onnx={} --fp16 '
                          '--saveEngine=... and pass the engine'.format(path, path))
    return TensorRTBackend(path)
