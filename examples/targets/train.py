#!/usr/bin/python3
"""Trains the trained-prune targets (THEORY.md §2b) on Fashion-MNIST and exports them as ONNX.

Run with Debian's python3 and packages (not another python on the PATH):
    apt-get install -y python3-torch python3-onnx dataset-fashion-mnist
    /usr/bin/python3 examples/targets/train.py

Writes, next to this script:
  fashion-784-500-10.onnx   bias-free 784-500-10 ReLU net (Pensia et al.'s experiment 1 shape)
  fashion-784-64-10.onnx    784-64-10 ReLU net with biases
  accuracies.json           PyTorch's test accuracies (float32 and float64 forward passes), on the
                            10 000 test images and on the committed 500-image slice
  fixtures/                 tiny ONNX nets (Gemm and MatMul+Add exports) with PyTorch outputs, for tests
  ../../data/fashion-mnist-slice/  the first 500 test images and labels (IDX, gzip) for the quick trial

Inputs are the pixels divided by 255 (no mean/std normalization): the harness reads IDX uint8
images the same way. Everything is seeded; training runs on one CPU thread.
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = '/usr/share/datasets/fashion-mnist'
SLICE_DIR = os.path.join(HERE, '..', '..', 'data', 'fashion-mnist-slice')
SLICE = 500
SEED = 20260101


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_idx_gz(path, array):
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack('>' + 'I' * array.ndim, *array.shape)
    with open(path, 'wb') as raw:
        with gzip.GzipFile(fileobj=raw, mode='wb', mtime=0, filename='') as f:  # mtime 0: byte-stable
            f.write(header + array.astype(np.uint8).tobytes())


def load(split):
    prefix = 'train' if split == 'train' else 't10k'
    images = read_idx(os.path.join(DATA, f'{prefix}-images-idx3-ubyte.gz'))
    labels = read_idx(os.path.join(DATA, f'{prefix}-labels-idx1-ubyte.gz'))
    return images, labels


def mlp(widths, bias):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1], bias=bias))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(nn.Flatten(), *layers)


def accuracy(model, x, y, dtype):
    m = model.to(dtype)
    with torch.no_grad():
        predictions = m(x.to(dtype)).argmax(dim=1)
    model.to(torch.float32)
    correct = int((predictions == y).sum())
    return correct / len(y), correct


def train(widths, bias, epochs, x, y):
    torch.manual_seed(SEED)
    model = mlp(widths, bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(SEED)
    for epoch in range(epochs):
        order = torch.randperm(len(y), generator=generator)
        for start in range(0, len(y), 128):
            batch = order[start:start + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        print(f'{widths} bias={bias} epoch {epoch + 1}: loss {float(loss):.4f}', file=sys.stderr)
    return model.eval()


def export(model, path, d):
    torch.onnx.export(model, torch.zeros(1, d), path, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13)


class MatMulNet(nn.Module):
    """x @ W1 + b1, ReLU, x @ W2 (no bias): exports as MatMul + Add, Relu, MatMul."""

    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(6, 5) * 0.5)
        self.b1 = nn.Parameter(torch.randn(5) * 0.1)
        self.w2 = nn.Parameter(torch.randn(5, 3) * 0.5)

    def forward(self, x):
        return torch.relu(x @ self.w1 + self.b1) @ self.w2


def fixtures():
    out = os.path.join(HERE, 'fixtures')
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(SEED)
    x = torch.randn(8, 6)
    nets = {'tiny-gemm': mlp([6, 5, 4, 3], True).eval(), 'tiny-matmul': MatMulNet().eval()}
    expected = {'inputs': x.tolist()}
    for name, net in nets.items():
        export(net, os.path.join(out, name + '.onnx'), 6)
        with torch.no_grad():
            expected[name] = net(x).tolist()
    with open(os.path.join(out, 'tiny-outputs.json'), 'w') as f:
        json.dump(expected, f, indent=1)


def main():
    torch.set_num_threads(1)
    train_images, train_labels = load('train')
    test_images, test_labels = load('test')
    x = torch.tensor(train_images.reshape(-1, 784), dtype=torch.float32) / 255
    y = torch.tensor(train_labels, dtype=torch.long)
    tx = torch.tensor(test_images.reshape(-1, 784), dtype=torch.float32) / 255
    ty = torch.tensor(test_labels, dtype=torch.long)

    os.makedirs(SLICE_DIR, exist_ok=True)
    write_idx_gz(os.path.join(SLICE_DIR, 't10k-images-idx3-ubyte.gz'), test_images[:SLICE])
    write_idx_gz(os.path.join(SLICE_DIR, 't10k-labels-idx1-ubyte.gz'), test_labels[:SLICE])

    record = {'seed': SEED, 'torch': torch.__version__, 'input': 'pixels / 255, flattened to 784',
              'slice': f'first {SLICE} test images (data/fashion-mnist-slice)', 'models': {}}
    for name, widths, bias, epochs in [('fashion-784-500-10', [784, 500, 10], False, 8),
                                       ('fashion-784-64-10', [784, 64, 10], True, 8)]:
        model = train(widths, bias, epochs, x, y)
        export(model, os.path.join(HERE, name + '.onnx'), 784)
        entry = {'widths': widths, 'bias': bias, 'epochs': epochs, 'optimizer': 'Adam lr 1e-3, batch 128'}
        for label, (ix, iy) in {'test': (tx, ty), 'slice': (tx[:SLICE], ty[:SLICE])}.items():
            for dtype, suffix in [(torch.float32, ''), (torch.float64, '_float64')]:
                acc, correct = accuracy(model, ix, iy, dtype)
                entry[f'{label}_accuracy{suffix}'] = acc
                entry[f'{label}_correct{suffix}'] = correct
        record['models'][name] = entry
        print(name, json.dumps(entry), file=sys.stderr)
    with open(os.path.join(HERE, 'accuracies.json'), 'w') as f:
        json.dump(record, f, indent=1)
        f.write('\n')
    fixtures()


if __name__ == '__main__':
    main()
