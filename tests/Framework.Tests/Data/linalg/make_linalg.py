#!/usr/bin/python3
"""Builds linalg_cases.json: torch.linalg's inv, det, slogdet, solve, cholesky, qr, svd, svdvals, eigh, lstsq, pinv,
vector_norm and matrix_norm computed by PyTorch itself (values, input gradients for a fixed upstream gradient, grad_fn).

Run with Debian's PyTorch:  /usr/bin/python3 make_linalg.py   (the JSON is committed; the C# tests never need Python).
QR, SVD and eigh are unique only up to the signs of their columns: those cases record sign-free quantities (R's
diagonal made positive, |U|, a reconstruction), so values and gradients do not depend on the LAPACK in use.
The C# side (Linalg/LinalgReferenceTests.cs) writes the same computation in our API under each case's name.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder  # noqa: E402

L = torch.linalg
rec = Recorder("make_linalg.py", 20261212)
randn = rec.randn
INF = float("inf")


def eye(n, *batch):
    return np.broadcast_to(np.eye(n), batch + (n, n))


def spd(*shape):
    a = randn(*shape)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).round(4)


def sym(*shape):
    a = randn(*shape)
    return ((a + np.swapaxes(a, -1, -2)) / 2).round(4)


def flat(*parts):
    return torch.cat([p.reshape(-1) for p in parts])


def qr_fixed(mode="reduced"):
    def run(a):
        q, r = L.qr(a, mode=mode)
        k = min(q.shape[-1], r.shape[-2])
        s = torch.sign(torch.diagonal(r[..., :k, :k], dim1=-2, dim2=-1))
        return flat(q[..., :k] * s.unsqueeze(-2), r[..., :k, :] * s.unsqueeze(-1))
    return run


def svd_invariants(full):
    def run(a):
        u, s, vh = L.svd(a, full_matrices=full)
        return flat((u * s.unsqueeze(-2)) @ vh, s, u.abs(), vh.abs())
    return run


def eigh_invariants(uplo):
    def run(a):
        w, q = L.eigh(a, UPLO=uplo)
        return flat(w, q.abs())
    return run


def cases(dt, sfx):
    def case(name, fn, *inputs):
        rec.case(name + sfx, fn, *inputs, dtype=dt)

    case("inv", L.inv, randn(3, 3) + 3 * eye(3))
    case("inv_batched", L.inv, randn(2, 2, 3, 3) + 3 * eye(3))
    case("inv_transposed", lambda a: L.inv(a.mT), randn(3, 3) + 3 * eye(3))
    case("det", L.det, randn(3, 3))
    case("det_batched", L.det, randn(2, 3, 3))
    case("det_1x1", L.det, randn(1, 1))
    case("det_singular", L.det, np.array([[1.0, 2, 3], [2, 4, 6], [1, 0, 1]]))
    case("slogdet_logabsdet", lambda a: L.slogdet(a).logabsdet, randn(3, 3))
    case("slogdet_logabsdet_batched", lambda a: L.slogdet(a).logabsdet, randn(2, 4, 4))
    case("slogdet_sign", lambda a: L.slogdet(a).sign.detach(), np.array([[[0.0, 1], [1, 0]], [[2, 0], [0, 3]], [[1, 2], [2, 4]]]))
    case("slogdet_singular", lambda a: L.slogdet(a).logabsdet.detach(), np.array([[1.0, 2], [2, 4]]))
    case("solve_matrix", L.solve, randn(3, 3) + 3 * eye(3), randn(3, 2))
    case("solve_vector", L.solve, randn(3, 3) + 3 * eye(3), randn(3))
    case("solve_batched_vector", L.solve, randn(2, 3, 3) + 3 * eye(3), randn(2, 3))
    case("solve_broadcast", L.solve, randn(2, 1, 3, 3) + 3 * eye(3), randn(3, 3, 2))
    case("solve_vector_broadcast", L.solve, randn(2, 3, 3) + 3 * eye(3), randn(3))
    case("cholesky", L.cholesky, spd(3, 3))
    case("cholesky_upper", lambda a: L.cholesky(a, upper=True), spd(3, 3))
    case("cholesky_batched", L.cholesky, spd(2, 4, 4))
    case("cholesky_lower_triangle_only", L.cholesky, np.tril(spd(3, 3)) + np.triu(randn(3, 3), 1))
    case("qr_tall", qr_fixed(), randn(4, 3))
    case("qr_wide", qr_fixed(), randn(3, 5))
    case("qr_batched", qr_fixed(), randn(2, 3, 3))
    case("qr_complete_wide", qr_fixed("complete"), randn(2, 4))
    case("qr_r", lambda a: L.qr(a, mode="r").R.detach().abs(), randn(4, 3))
    case("svd_square", svd_invariants(True), randn(3, 3))
    case("svd_tall", svd_invariants(False), randn(4, 3))
    case("svd_wide", svd_invariants(False), randn(2, 4))
    case("svd_batched", svd_invariants(True), randn(2, 3, 3))
    case("svdvals", L.svdvals, randn(4, 3))
    case("svdvals_batched", L.svdvals, randn(2, 2, 3))
    case("eigh", eigh_invariants("L"), sym(3, 3))
    case("eigh_upper_nonsymmetric", eigh_invariants("U"), randn(3, 3))
    case("eigh_lower_nonsymmetric", eigh_invariants("L"), randn(4, 4))
    case("eigh_batched", eigh_invariants("L"), sym(2, 3, 3))
    case("eigvals_only", lambda a: L.eigh(a).eigenvalues, sym(4, 4))
    case("lstsq", lambda a, b: L.lstsq(a, b).solution, randn(5, 3), randn(5, 2))
    # 1.13 cannot differentiate lstsq with a vector B (its backward raises IndexError): the forward only
    case("lstsq_vector", lambda a, b: L.lstsq(a, b).solution.detach(), randn(4, 2), randn(4))
    case("lstsq_square", lambda a, b: L.lstsq(a, b).solution, randn(3, 3) + 3 * eye(3), randn(3, 2))
    case("lstsq_batched", lambda a, b: L.lstsq(a, b).solution, randn(2, 4, 3), randn(2, 4, 2))
    case("lstsq_rank", lambda a, b: L.lstsq(a, b).rank, np.array([[1.0, 2], [2, 4], [3, 6]]), randn(3, 1))
    case("pinv_tall", L.pinv, randn(4, 3))
    case("pinv_wide", L.pinv, randn(2, 4))
    case("pinv_batched", L.pinv, randn(2, 3, 3) + 2 * eye(3))
    case("pinv_rank_one", L.pinv, np.array([[1.0, 2], [2, 4], [3, 6]]))
    case("pinv_hermitian", lambda a: L.pinv(a, hermitian=True), sym(2, 3, 3))
    case("pinv_hermitian_singular", lambda a: L.pinv(a, hermitian=True), np.array([[1.0, 2], [2, 4]]))
    case("vector_norm", L.vector_norm, randn(2, 3))
    case("vector_norm_ord1_dim0", lambda x: L.vector_norm(x, 1, dim=0), randn(3, 4))
    case("vector_norm_ord3_keep", lambda x: L.vector_norm(x, 3, dim=-1, keepdim=True), randn(3, 4))
    case("vector_norm_ord1.5_dims", lambda x: L.vector_norm(x, 1.5, dim=(0, 2)), randn(2, 3, 4))
    case("vector_norm_ord0.5", lambda x: L.vector_norm(x, 0.5, dim=1), randn(3, 4))
    case("vector_norm_ord-1", lambda x: L.vector_norm(x, -1), randn(5))
    case("vector_norm_ord0", lambda x: L.vector_norm(x, 0), np.array([1.0, 0, -2, 0, 3]))
    case("vector_norm_inf", lambda x: L.vector_norm(x, INF, dim=1), randn(3, 4))
    case("vector_norm_inf_ties", lambda x: L.vector_norm(x, INF), np.array([1.0, -3, 3, 2]))
    case("vector_norm_-inf", lambda x: L.vector_norm(x, -INF), randn(3, 4))
    case("vector_norm_zero_vector", lambda x: L.vector_norm(x), np.zeros(3))
    case("vector_norm_scalar", lambda x: L.vector_norm(x, 3), np.array(-1.5))
    case("matrix_norm_fro", L.matrix_norm, randn(2, 3, 4))
    case("matrix_norm_nuc", lambda a: L.matrix_norm(a, "nuc"), randn(2, 3, 4))
    case("matrix_norm_nuc_dims_keep", lambda a: L.matrix_norm(a, "nuc", dim=(0, 2), keepdim=True), randn(3, 2, 4))
    case("matrix_norm_1", lambda a: L.matrix_norm(a, 1), randn(2, 3, 4))
    case("matrix_norm_-1", lambda a: L.matrix_norm(a, -1), randn(3, 4))
    case("matrix_norm_2", lambda a: L.matrix_norm(a, 2), randn(2, 3, 4))
    case("matrix_norm_-2", lambda a: L.matrix_norm(a, -2), randn(4, 3))
    case("matrix_norm_inf", lambda a: L.matrix_norm(a, INF), randn(2, 3, 4))
    case("matrix_norm_-inf_keep", lambda a: L.matrix_norm(a, -INF, keepdim=True), randn(3, 4))
    case("matrix_norm_1_dims", lambda a: L.matrix_norm(a, 1, dim=(2, 0)), randn(3, 2, 4))
    case("matrix_norm_2_dims_keep", lambda a: L.matrix_norm(a, 2, dim=(-1, 0), keepdim=True), randn(3, 2, 4))


cases(F64, "")
cases(F32, "_f32")
rec.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "linalg_cases.json"))
