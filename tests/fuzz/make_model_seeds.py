#!/usr/bin/env python3
"""Writes the model seeds of the fuzz corpus (tests/fuzz/corpus/{tflite,caffemodel}/): small but
valid files, so that the fuzzers start from inputs the parsers accept and mutate their fields.

  tests/fuzz/make_model_seeds.py [DET1_CAFFEMODEL]

tflite: two one-subgraph models assembled here, field by field (TFLite's schema: Model.version,
.subgraphs, .buffers; SubGraph.tensors; Tensor.shape, .type, .buffer, .name; Buffer.data).
caffemodel: the net name and the first layers of weights/det1.caffemodel (made by
`mtcnn import-weights`), cut at a layer boundary so that the protobuf stays valid; and a
legacy-shaped blob (num/channels/height/width) assembled here.
"""
import struct
import sys
from pathlib import Path

corpus = Path(__file__).resolve().parent / "corpus"


class FlatBuffer:
    """Builds front to back: offsets point forward, vtables back (FlatBuffers allows both)."""

    def __init__(self):
        self.b = bytearray()

    def u8(self, v):
        self.b += struct.pack("<B", v)
        return len(self.b) - 1

    def u16(self, v):
        self.b += struct.pack("<H", v)
        return len(self.b) - 2

    def u32(self, v):
        self.b += struct.pack("<I", v & 0xFFFFFFFF)
        return len(self.b) - 4

    def raw(self, data):
        pos = len(self.b)
        self.b += data
        return pos

    def align4(self):
        while len(self.b) % 4:
            self.b.append(0)

    def link(self, field, target):
        struct.pack_into("<I", self.b, field, target - field)

    def vtable(self, offsets, table_size):
        pos = self.u16(4 + 2 * len(offsets))
        self.u16(table_size)
        for o in offsets:
            self.u16(o)
        self.align4()
        return pos

    def table(self, vtable_pos):
        pos = len(self.b)
        self.u32(pos - vtable_pos)
        return pos


def tflite(tensors):
    """tensors: (name, shape, floats or None); float data goes to buffers 1.., None to buffer 0."""
    fb = FlatBuffer()
    root = fb.u32(0)
    fb.raw(b"TFL3")
    model = fb.table(fb.vtable([4, 0, 8, 0, 12], 16))
    fb.u32(3)
    subgraphs_field = fb.u32(0)
    buffers_field = fb.u32(0)
    fb.link(root, model)

    subgraphs = fb.u32(1)
    subgraph_ref = fb.u32(0)
    fb.link(subgraphs_field, subgraphs)
    subgraph = fb.table(fb.vtable([4], 8))
    tensors_field = fb.u32(0)
    fb.link(subgraph_ref, subgraph)

    vector = fb.u32(len(tensors))
    refs = [fb.u32(0) for _ in tensors]
    fb.link(tensors_field, vector)
    tensor_vt = fb.vtable([4, 16, 8, 12], 20)  # shape, type, buffer, name
    buffer_of = []
    next_buffer = 1
    for (name, shape, data), ref in zip(tensors, refs):
        buffer_of.append(next_buffer if data is not None else 0)
        next_buffer += data is not None
        tensor = fb.table(tensor_vt)
        shape_field = fb.u32(0)
        fb.u32(buffer_of[-1])
        name_field = fb.u32(0)
        fb.u8(0)  # FLOAT32
        fb.align4()
        fb.link(ref, tensor)
        fb.link(shape_field, fb.u32(len(shape)))
        for d in shape:
            fb.u32(d)
        fb.link(name_field, fb.u32(len(name)))
        fb.raw(name.encode() + b"\0")
        fb.align4()

    datas = [d for _, _, d in tensors if d is not None]
    buffers = fb.u32(1 + len(datas))
    refs = [fb.u32(0) for _ in range(1 + len(datas))]
    fb.link(buffers_field, buffers)
    fb.link(refs[0], fb.table(fb.vtable([], 4)))
    data_vt = fb.vtable([4], 8)
    for data, ref in zip(datas, refs[1:]):
        buffer = fb.table(data_vt)
        data_field = fb.u32(0)
        fb.link(ref, buffer)
        fb.link(data_field, fb.u32(4 * len(data)))
        fb.raw(struct.pack(f"<{len(data)}f", *data))
        fb.align4()
    return bytes(fb.b)


def varint(v):
    out = bytearray()
    while True:
        byte = v & 0x7F
        v >>= 7
        out.append(byte | (0x80 if v else 0))
        if not v:
            return bytes(out)


def key(number, wire):
    return varint(number << 3 | wire)


def length_delimited(number, payload):
    return key(number, 2) + varint(len(payload)) + payload


def fields(data):
    """Top-level (number, wire type, start, end) of protobuf bytes."""
    pos = 0
    while pos < len(data):
        start = pos
        tag, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            tag |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            while data[pos] & 0x80:
                pos += 1
            pos += 1
        elif wire == 2:
            size, shift = 0, 0
            while True:
                byte = data[pos]
                pos += 1
                size |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    break
            pos += size
        elif wire == 5:
            pos += 4
        elif wire == 1:
            pos += 8
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, start, pos


def main():
    det1 = Path(sys.argv[1] if len(sys.argv) > 1 else
                Path(__file__).resolve().parents[2] / "weights" / "det1.caffemodel")

    out = corpus / "tflite"
    out.mkdir(parents=True, exist_ok=True)
    (out / "one_tensor.tflite").write_bytes(tflite([("t", [2], [1.5, -2.0])]))
    (out / "conv_prelu.tflite").write_bytes(tflite([
        ("pnet/conv1/weights/read", [2, 1, 1, 2], [0.5, -0.25, 1.0, 2.0]),
        ("pnet/conv1/Conv2D_bias", [2], [0.1, -0.1]),
        ("pnet/PReLU1/alpha/read", [1, 1, 2], [0.25, 0.5]),
        ("input", [1, 12, 12, 3], None),
    ]))

    out = corpus / "caffemodel"
    out.mkdir(parents=True, exist_ok=True)
    data = det1.read_bytes()
    kept, layers = bytearray(), 0
    for number, _, start, end in fields(data):
        if number == 100:
            layers += 1
            if layers > 2:  # conv1 and PReLU1 (about 1.2 kB)
                continue
        kept += data[start:end]
    (out / "det1_first_layers.caffemodel").write_bytes(bytes(kept))
    legacy_blob = (key(1, 0) + varint(1) + key(2, 0) + varint(1) + key(3, 0) + varint(1) +
                   key(4, 0) + varint(2) + length_delimited(5, struct.pack("<2f", 0.5, -1.0)))
    layer = (length_delimited(1, b"fc") + length_delimited(2, b"InnerProduct") +
             length_delimited(7, legacy_blob))
    (out / "legacy_blob_shape.caffemodel").write_bytes(
        length_delimited(1, b"tiny") + length_delimited(100, layer))


if __name__ == "__main__":
    main()
