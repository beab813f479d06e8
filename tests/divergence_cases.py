"""Every divergence with an output it fits and its target for class c (0 or 1): the cases the
compiled and batch training paths are each checked on against the dynamic graph."""

import nn

DIVERGENCES = [
    (nn.cross_entropy, "softmax", lambda c: c),
    (nn.kl_divergence, "softmax", lambda c: nn.one_hot(c, 2)),
    (nn.l2_divergence, "tanh", lambda c: nn.one_hot(c, 2)),
    (nn.binary_cross_entropy, "sigmoid", lambda c: c),
    (nn.hinge, "linear", lambda c: 2 * c - 1),
]
NAMES = ["cross_entropy", "kl", "l2", "bce", "hinge"]
